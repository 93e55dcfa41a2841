#!/usr/bin/python3
# Copyright 2026 The Wristflash developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test through AT-SPI, as a screen reader user would work:
start `wristflash --simulate`, back up by clicking, see the verdict of a
firmware package in the library, flash it, answer "How did it go?", revert
to the backup, and check the virtual watch's flash equals the backup again.

The package is prepared before the app starts: a second virtual watch (the
CLI's, in its own flash file) is backed up, one 16-byte run inside its ROM
is changed so that flashing it really writes, and the result is split into
a package. It reaches the library through the library's JSON file: the
GtkFileChooserNative dialog is not driven through AT-SPI here.

Usage: test_flash_flow.py WRISTFLASH CLI SCHEMA_DIR DATA_DIR
Exit 77 (skipped) without a display, a session bus or dogtail."""
import filecmp
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
ROM_PATCH_OFFSET = 0x40000  # inside the generated ROM (0x00B000 + 0x61A2C)


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


class Failure(Exception):
    pass


def wait_for(what, probe, timeout):
    """Poll @probe until it returns something; bounded by @timeout s."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        found = probe()
        if found is not None:
            print(f"  {what}: after {time.monotonic() - start:.1f} s")
            return found
        time.sleep(0.2)
    raise Failure(f"{what}: not within {timeout} s")


def make_package(cli, home, env):
    """Back up a second virtual watch with the CLI, change its ROM, split."""
    other = os.path.join(home, "other-watch")
    os.makedirs(other)
    cli_env = dict(env)
    cli_env.update({"WF_SIM_FLASH": os.path.join(other, "flash.bin"), "WF_SIM_SIZE": "4M",
                    "WF_SIM_RATE": "0", "WF_SIM_TURNAROUND_US": "0",
                    "WF_BACKUPS_DIR": other})
    backup = os.path.join(other, "backup")
    subprocess.run([cli, "--simulate", "backup", "-o", backup], env=cli_env, check=True,
                   stdout=subprocess.DEVNULL, timeout=120)
    dump = os.path.join(other, "changed.bin")
    shutil.copyfile(os.path.join(backup, "flash.bin"), dump)
    with open(dump, "r+b") as f:
        f.seek(ROM_PATCH_OFFSET)
        run = f.read(16)
        f.seek(ROM_PATCH_OFFSET)
        f.write(bytes(b ^ 0xFF for b in run))
    package = os.path.join(home, "changed-build")
    subprocess.run([cli, "split", dump, "-o", package], env=cli_env, check=True,
                   stdout=subprocess.DEVNULL, timeout=60)
    return package


def press(node):
    """The node's first AT-SPI action: "click" on buttons, the toggle on
    check and radio buttons."""
    actions = list(node.actions.keys())
    if not actions:
        raise Failure(f"{node.roleName} {node.name!r} has no action")
    node.doActionNamed(actions[0])


def run(app, tree_mod, predicate, home, package, flash_bin):
    def find(name, role=None, sensitive=False):
        # GTK 4.8 appends a button's label text to the accessible label it
        # was given ("Flash pkg Flash…"): match the label as a prefix
        def probe():
            kwargs = {} if role is None else {"roleName": role}
            for node in app.findChildren(predicate(**kwargs), showingOnly=False):
                # and some names keep the mnemonic's underscore
                text = node.name.replace("_", "")
                if text != name and not (role and text.startswith(name + " ")):
                    continue
                if not sensitive or node.sensitive:
                    return node
            return None
        return probe

    # back up by clicking
    press(wait_for("usable 'Back Up' button", find("Back Up", "push button", True), 30))
    wait_for("'Backup complete'", find("Backup complete"), 60)
    backups = os.path.join(home, "data", "wristflash", "backups")
    made = [d for d in os.listdir(backups) if not d.endswith(".partial")]
    if len(made) != 1:
        raise Failure(f"expected one backup in {backups}, found {made}")
    backup_bin = os.path.join(backups, made[0], "flash.bin")
    if not filecmp.cmp(backup_bin, flash_bin, shallow=False):
        raise Failure("the backup differs from the virtual watch's flash")

    # the Firmware page, through the view switcher
    def switcher():
        for node in app.findChildren(predicate(name="Firmware"), showingOnly=False):
            if node.roleName in ("toggle button", "radio button", "push button", "page tab"):
                return node
        return None
    press(wait_for("'Firmware' page switch", switcher, 10))

    # the package's row: the verdict badge and its Flash button
    name = os.path.basename(package)
    try:
        flash_button = wait_for(f"'Flash {name}' button",
                                find(f"Flash {name}", "push button", True), 30)
    except Failure:
        # say what is there instead
        for node in app.findChildren(predicate(roleName="push button"), showingOnly=False):
            print(f"  push button {node.name!r} sensitive={node.sensitive}")
        raise
    row = flash_button
    verdict = None
    while row is not None and verdict is None:
        row = row.parent
        for label in ("Compatible", "Risky", "Incompatible"):
            if row is not None and row.findChildren(predicate(name=label), showingOnly=False):
                verdict = label
    print(f"  verdict of {name}: {verdict}")
    if verdict != "Compatible":
        raise Failure(f"expected the verdict 'Compatible' for {name}, got {verdict}")

    # the plan, then the write
    press(flash_button)
    press(wait_for("plan: 'Write to the Watch'",
                   find("Write to the Watch", "push button", True), 60))
    wait_for("'Firmware Written'", find("Firmware Written"), 120)
    if filecmp.cmp(backup_bin, flash_bin, shallow=False):
        raise Failure("the flash still equals the backup after the write")

    # "How did it go?"
    def answer():
        for role in ("radio button", "check box"):
            node = find("Works", role, True)()
            if node is not None:
                return node
        return None
    works = wait_for("answer 'Works'", answer, 10)
    if works.actions:
        press(works)
        press(wait_for("'Save Answer'", find("Save Answer", "push button", True), 10))
        wait_for("answer saved", find("Saved", "push button"), 10)
    else:
        # GTK 4.8 exposes no AT-SPI action on check buttons and its
        # Component.GrabFocus fails, so a check button cannot be ticked from
        # here; tests/ui/test-flash.c stores an answer through the dialog
        print("  NOTE: 'How did it go?' offered, not answered: GTK 4.8 check buttons "
              "have no AT-SPI action")

    # Revert to my backup: a restore plan, then the write
    press(wait_for("'Revert to My Backup'", find("Revert to My Backup", "push button", True), 10))
    press(wait_for("restore plan: 'Write to the Watch'",
                   find("Write to the Watch", "push button", True), 60))
    wait_for("'Backup Restored'", find("Backup Restored"), 120)
    wait_for("flash equal to the backup",
             lambda: True if filecmp.cmp(backup_bin, flash_bin, shallow=False) else None, 30)
    return 0


def main():
    binary, cli, schema_dir, data_dir = sys.argv[1:5]
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        skip("no display")
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        skip("no session bus")
    # dogtail 0.9 bails out at import unless toolkit accessibility is on;
    # keep that setting in this process only
    os.environ["GSETTINGS_BACKEND"] = "memory"
    try:
        from dogtail.utils import enableA11y
        enableA11y(True)
        from dogtail import tree
        from dogtail.config import config
        from dogtail.predicate import GenericPredicate
    except Exception as e:  # pylint: disable=broad-except
        skip(f"dogtail unusable: {e}")
    config.searchCutoffCount = 20
    config.defaultDelay = 0.2
    config.logDebugToFile = False

    with tempfile.TemporaryDirectory(prefix="wf-a11y-flash-") as home:
        env = dict(os.environ)
        for var in ("DATA", "CONFIG", "CACHE", "STATE"):
            os.makedirs(os.path.join(home, var.lower()), exist_ok=True)
            env[f"XDG_{var}_HOME"] = os.path.join(home, var.lower())
        env["WF_DATA_DIR"] = data_dir
        env["WF_PROFILES_DIR"] = os.path.join(data_dir, "profiles")
        package = make_package(cli, home, env)
        library = os.path.join(home, "data", "wristflash", "firmware-library.json")
        os.makedirs(os.path.dirname(library), exist_ok=True)
        with open(library, "w", encoding="utf-8") as f:
            json.dump({"format": 1, "packages": [package]}, f)
        # a small, fast virtual watch: the test is about the UI
        keyfile = os.path.join(home, "config", "glib-2.0", "settings", "keyfile")
        os.makedirs(os.path.dirname(keyfile))
        with open(keyfile, "w", encoding="utf-8") as f:
            f.write("[io/github/wristflash/Wristflash]\n"
                    "sim-flash-size='4M'\nsim-link-rate=uint32 0\nsim-turnaround-ms=uint32 0\n")
        env["GSETTINGS_BACKEND"] = "keyfile"
        env["GSETTINGS_SCHEMA_DIR"] = schema_dir
        env.pop("GTK_A11Y", None)
        env.pop("NO_AT_BRIDGE", None)
        flash_bin = os.path.join(home, "data", "wristflash", "virtual-watch", "flash.bin")
        proc = subprocess.Popen([binary, "--simulate"], env=env)
        try:
            def find_app():
                for child in tree.root.children:
                    if child.name.lower() == "wristflash":
                        return child
                return None
            app = wait_for("application on the accessibility bus", find_app, 30)
            return run(app, tree, GenericPredicate, home, package, flash_bin)
        except Failure as e:
            print(f"FAIL: {e}")
            return 1
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
