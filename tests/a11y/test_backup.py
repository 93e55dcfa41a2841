#!/usr/bin/python3
# Copyright 2026 The Wristflash developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Smoke test through AT-SPI, as a screen reader sees the app: start
`wristflash --simulate`, find the Back Up button by its accessible name,
press it, wait for "Backup complete".

Usage: test_backup.py WRISTFLASH_BINARY SCHEMA_DIR
Exit 77 (skipped) without a display, a session bus or dogtail."""
import os
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def main():
    binary, schema_dir = sys.argv[1], sys.argv[2]
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

    with tempfile.TemporaryDirectory(prefix="wf-a11y-") as home:
        env = dict(os.environ)
        for var in ("DATA", "CONFIG", "CACHE", "STATE"):
            os.makedirs(os.path.join(home, var.lower()), exist_ok=True)
            env[f"XDG_{var}_HOME"] = os.path.join(home, var.lower())
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
        proc = subprocess.Popen([binary, "--simulate"], env=env)
        try:
            app = None
            deadline = time.monotonic() + 30
            while app is None and time.monotonic() < deadline:
                for child in tree.root.children:
                    if child.name.lower() == "wristflash":
                        app = child
                time.sleep(0.2)
            if app is None:
                print("FAIL: the application never showed up on the accessibility bus")
                return 1
            print(f"found application {app.name!r}")

            button = None
            deadline = time.monotonic() + 30
            while button is None and time.monotonic() < deadline:
                # GTK 4.8 does not report "showing"; the button is enabled
                # once a watch is connected
                found = app.findChildren(GenericPredicate(roleName="push button", name="Back Up"),
                                         showingOnly=False)
                button = next((b for b in found if b.sensitive), None)
                if button is None:
                    time.sleep(0.2)
            if button is None:
                print("FAIL: no usable push button named 'Back Up'")
                return 1
            print("found push button 'Back Up'; clicking")
            button.doActionNamed("click")

            start = time.monotonic()
            done = None
            while done is None and time.monotonic() - start < 60:
                done = next(iter(app.findChildren(
                    GenericPredicate(name="Backup complete"), showingOnly=False)), None)
                if done is None:
                    time.sleep(0.2)
            if done is None:
                print("FAIL: 'Backup complete' did not appear within 60 s")
                return 1
            print(f"'Backup complete' shown after {time.monotonic() - start:.1f} s ({done.roleName})")
            backups = os.path.join(home, "data", "wristflash", "backups")
            made = [d for d in os.listdir(backups) if not d.endswith(".partial")]
            if len(made) != 1 or not os.path.exists(os.path.join(backups, made[0], "flash.bin")):
                print(f"FAIL: expected one backup in {backups}, found {made}")
                return 1
            print(f"backup folder: {made[0]}")
            return 0
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
