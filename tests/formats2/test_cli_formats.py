#!/usr/bin/env python3
# Copyright 2026 The Wristflash developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""wristflash-cli inspect / split / codes on a backup of the virtual watch, and the
firmware identity a backup records."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ["WF_CLI"]


def run(*args, env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=full_env, timeout=300)


def last_json(stdout):
    return json.loads(stdout.strip().splitlines()[-1])


class FormatsCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="wf-cli-formats-")
        cls.env = {"XDG_DATA_HOME": cls.tmp, "WF_SIM_RATE": "0"}
        result = run("--simulate", "backup", "-o", os.path.join(cls.tmp, "backup"), env=cls.env)
        assert result.returncode == 0, result.stderr
        cls.flash = os.path.join(cls.tmp, "backup", "flash.bin")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_backup_records_firmware(self):
        with open(os.path.join(self.tmp, "backup", "backup.json"), encoding="utf-8") as f:
            record = json.load(f)
        firmware = record["firmware"]
        self.assertEqual(firmware["kind"], "dump")
        self.assertEqual(firmware["platform"], "MT6261")
        self.assertEqual(firmware["project"], "GPLUS61A_11C_NX9")
        self.assertEqual(firmware["layout"]["rom"], 0xB000)
        self.assertEqual(firmware["flash_ids"][0], "C8 60 17")
        self.assertEqual(firmware["sha256"], record["sha256"])

    def test_inspect_dump(self):
        result = run("inspect", self.flash)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Full-flash dump, 8192 KiB, header block valid", result.stdout)
        self.assertIn("Base project:    GPLUS61A_11C_NX9", result.stdout)
        self.assertIn("LCD:             ST7789", result.stdout)
        self.assertRegex(result.stdout, r"0x00B000  0x[0-9A-F]{6}  ROM")
        self.assertIn("ZIMAGE partition 0: LZMA", result.stdout)
        info = last_json(run("--json", "inspect", self.flash).stdout)
        self.assertEqual(info["event"], "inspect")
        self.assertEqual(info["type"], "dump")
        self.assertEqual(info["identity"]["verno"], "VW_DZ09_V1.0_COB_7789HSD_FT6236_EU_IPS_20250301")
        kinds = [r["kind"] for r in info["regions"]]
        for kind in ("header-block", "bootloader", "ext-bootloader", "rom", "viva", "fs"):
            self.assertIn(kind, kinds)

    def test_split_inspect_codes(self):
        out = os.path.join(self.tmp, "split")
        result = run("split", self.flash, "-o", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("header block: generated", result.stdout)
        self.assertTrue(os.path.exists(os.path.join(out, "GPLUS61A_11C_NX9_BB.cfg")))
        # never over an existing folder
        again = run("split", self.flash, "-o", out)
        self.assertEqual(again.returncode, 1)
        self.assertIn("already exists", again.stderr)

        package = last_json(run("inspect", out, "--json").stdout)
        self.assertEqual(package["type"], "package")
        self.assertEqual([f["name"] for f in package["files"]],
                         ["BOOTLOADER", "EXT_BOOTLOADER", "ROM", "VIVA", "FS_NVRAM.bin"])
        cfg = run("inspect", os.path.join(out, "GPLUS61A_11C_NX9_BB.cfg"))
        self.assertEqual(cfg.returncode, 0, cfg.stderr)
        self.assertIn("SP Flash Tool cfg for MT6261", cfg.stdout)
        self.assertIn("boot_region: BOOTLOADER EXT_BOOTLOADER", cfg.stdout)

        binary = last_json(run("--json", "inspect", os.path.join(out, "ROM")).stdout)
        self.assertEqual(binary["type"], "binary")

        codes = last_json(run("codes", out, "--json").stdout)
        found = {c["code"]: c for c in codes["codes"]}
        self.assertIn("*#8375#", found)
        self.assertTrue(found["*#8375#"]["known"])
        text = run("codes", self.flash)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("16 codes found.", text.stdout)

    def test_refusals(self):
        self.assertEqual(run("split", self.flash).returncode, 2)
        self.assertEqual(run("inspect").returncode, 2)
        missing = run("inspect", os.path.join(self.tmp, "nope.bin"))
        self.assertEqual(missing.returncode, 1)
        blank = os.path.join(self.tmp, "blank.bin")
        with open(blank, "wb") as f:
            f.write(b"\xff" * 65536)
        result = run("--json", "inspect", blank)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(last_json(result.stdout)["code"], "not-found")
        self.assertIn("blank", result.stderr)


if __name__ == "__main__":
    unittest.main()
