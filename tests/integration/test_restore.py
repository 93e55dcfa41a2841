#!/usr/bin/env python3
"""Integration tests of restore: wristflash-cli against wristflash-sim over a real pty.

Each test backs the virtual watch up, changes its flash file while the simulator is stopped (as a
failed flash or the watch's own firmware would), starts it again and restores.
"""
import hashlib
import json
import os
import random
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from wfsim import VirtualWatch, json_lines, run_cli, tempdir  # noqa: E402

FAST = 0  # rate 0 = unthrottled link
SIZE = 4 * 1024 * 1024
STAGE1_LEN = 0x434  # the sizes of SP Flash Tool's DA build (protocol.md §5.11)
STAGE2_LEN = 0x1B4A8


def damage(path, offset, length, xor=0xA5):
    with open(path, "r+b") as f:
        f.seek(offset)
        data = bytearray(f.read(length))
        for i in range(len(data)):
            data[i] ^= xor
        f.seek(offset)
        f.write(data)


def synthetic_flat_da(path):
    """A flat DA file (stage 1 + stage 2 + flash table) filled with random bytes: never a real
    MediaTek DA. Its flash table has a record for the virtual watch's C2 20 16."""
    rng = random.Random(6261)
    stage1 = bytes(rng.getrandbits(8) for _ in range(STAGE1_LEN))
    stage2 = bytes(rng.getrandbits(8) for _ in range(STAGE2_LEN))
    table = b""
    for i, code in enumerate([0x0014, 0x0015, 0x0016, 0x0017]):
        table += struct.pack("<IIIIH4HHII", 0x100 + i, 0, 0, 0, 1, 0x00C2, 0x0020, code, 0, 0, 0, 0)
    table += struct.pack("<I", 0x0000FFFF) + bytes(32)
    with open(path, "wb") as f:
        f.write(stage1 + stage2 + table)
    return "stage1=%d,stage2=%d" % (STAGE1_LEN, STAGE2_LEN)


class RestoreTest(unittest.TestCase):
    def setUp(self):
        self.tmp_ctx = tempdir()
        self.tmp = self.tmp_ctx.__enter__()
        self.data_home = os.path.join(self.tmp, "data")
        self.env = {"XDG_DATA_HOME": self.data_home}
        self.flash_file = os.path.join(self.tmp, "watch.bin")
        self.backup_dir = os.path.join(self.data_home, "wristflash", "backups", "watch")

    def tearDown(self):
        self.tmp_ctx.__exit__(None, None, None)

    def watch(self, faults=()):
        return VirtualWatch(self.tmp, size="4M", rate=FAST, faults=faults, extra=["--fast-nor"],
                            flash_file=self.flash_file)

    def cli(self, watch, *args):
        return run_cli("--port", watch.link, "--json", *args, "--timeout", "20", env=self.env)

    def make_backup(self):
        with self.watch() as watch:
            result = self.cli(watch, "backup", "-o", self.backup_dir)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.me_id = watch.ready["me_id"].lower()
            return watch.flash()

    def restore(self, *extra, faults=()):
        with self.watch(faults) as watch:
            result = self.cli(watch, "restore", self.backup_dir, *extra)
            return result, watch.flash()

    def result_event(self, result):
        events = [e for e in json_lines(result.stdout) if e["event"] == "result"]
        self.assertEqual(len(events), 1, result.stdout)
        return events[0]

    def history(self):
        path = os.path.join(self.data_home, "wristflash", "history", self.me_id + ".json")
        with open(path, encoding="utf-8") as f:
            return json.load(f)["entries"]

    def test_restore_after_damage_writes_only_what_differs(self):
        original = self.make_backup()
        damage(self.flash_file, 0x30010, 16)  # inside the MAUI ROM
        damage(self.flash_file, 0x2FF000, 0x1000)  # an erased sector
        result, after = self.restore()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(after, original)
        events = json_lines(result.stdout)
        plan = [e for e in events if e["event"] == "plan"][0]
        self.assertEqual(plan["bytes_to_write"], 2 * 0x1000)
        self.assertEqual(len(plan["plan"]["write"]), 2)
        self.assertTrue(any(e["event"] == "progress" and e["operation"] for e in events))
        final = self.result_event(result)
        self.assertEqual(final["result"], "ok")
        self.assertEqual(final["method"], "sfi")
        self.assertIn("Download Agent", final["method_reason"])
        self.assertTrue(all(w["state"] == "verified" for w in final["writes"]))
        entry = self.history()[-1]
        self.assertEqual(entry["operation"], "restore")
        self.assertEqual(entry["result"], "ok")
        with open(os.path.join(self.backup_dir, "backup.json"), encoding="utf-8") as f:
            self.assertEqual(entry["sources"][0]["sha256"], json.load(f)["sha256"])

    def test_bricked_watch_restored_through_sfi(self):
        original = self.make_backup()
        # header block and first bootloader gone: the DA would call the flash blank
        damage(self.flash_file, 0, 0x2000, 0xFF)
        with open(self.flash_file, "rb") as f:
            self.assertNotEqual(f.read(8), b"SF_BOOT\0")
        result, after = self.restore()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(after, original)
        final = self.result_event(result)
        self.assertEqual(final["method"], "sfi")
        self.assertIn("first sectors", final["method_reason"])

    def test_restore_through_the_download_agent(self):
        original = self.make_backup()
        damage(self.flash_file, 0x40000, 0x10000)  # a block of the MAUI ROM
        da = os.path.join(self.tmp, "synthetic_da.bin")
        layout = synthetic_flat_da(da)
        result, after = self.restore("--da", da, "--da-layout", layout)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(after, original)
        final = self.result_event(result)
        self.assertEqual(final["method"], "da")
        self.assertEqual(final["bytes_written"], 0x10000)
        self.assertEqual(self.history()[-1]["method"], "da")

    def test_full_restore_rewrites_everything(self):
        original = self.make_backup()
        damage(self.flash_file, 0x300000, 0x100)
        result, after = self.restore("--full")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(after, original)
        final = self.result_event(result)
        self.assertEqual(final["bytes_to_write"], SIZE)
        self.assertIn("full-image", final["method_reason"])

    def test_dry_run_writes_nothing(self):
        self.make_backup()
        damage(self.flash_file, 0x100000, 0x1000)
        with open(self.flash_file, "rb") as f:
            damaged = f.read()
        result, after = self.restore("--dry-run")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(after, damaged)
        self.assertEqual(self.result_event(result)["result"], "dry-run")
        self.assertFalse(os.path.exists(os.path.join(self.data_home, "wristflash", "history")))

    def test_refuses_another_watchs_backup(self):
        self.make_backup()
        other = os.path.join(self.tmp, "other.bin")
        with VirtualWatch(self.tmp, size="4M", rate=FAST, flash_file=other) as watch:
            before = watch.flash()
            result = self.cli(watch, "restore", self.backup_dir)
            self.assertEqual(result.returncode, 1)
            self.assertIn("ANOTHER watch", result.stderr)
            self.assertIn("--i-understand-this-is-another-watch", result.stderr)
            self.assertEqual(watch.flash(), before)
            error = json_lines(result.stdout)[-1]
            self.assertEqual(error["event"], "error")
            self.assertEqual(error["code"], "refused")

    def test_refuses_a_damaged_backup(self):
        self.make_backup()
        damage(os.path.join(self.backup_dir, "flash.bin"), 0x1234, 1)
        damage(self.flash_file, 0x100000, 0x10)
        with open(self.flash_file, "rb") as f:
            damaged = f.read()
        result, after = self.restore()
        self.assertEqual(result.returncode, 1)
        self.assertIn("SHA-256", result.stderr)
        self.assertEqual(after, damaged)

    def test_interrupted_write_then_restore_repairs(self):
        original = self.make_backup()
        # four blocks of the MAUI ROM (0xB000…): erased and programmed again, about 135 kB
        # to the watch per block through SFI
        damage(self.flash_file, 0x20000, 0x40000)
        # the port vanishes in the third block
        result, after = self.restore(faults=["disconnect:out:350000"])
        self.assertEqual(result.returncode, 1)
        self.assertIn("The write stopped part-way", result.stderr)
        self.assertIn("written and verified", result.stderr)
        self.assertIn("not written", result.stderr)
        self.assertIn("wristflash-cli restore " + self.backup_dir, result.stderr)
        final = self.result_event(result)
        self.assertEqual(final["result"], "interrupted")
        states = {w["state"] for w in final["writes"]}
        self.assertIn("verified", states)
        self.assertIn("not-written", states)
        self.assertNotEqual(after, original)
        self.assertEqual(self.history()[-1]["result"], "interrupted")
        # the boot ROM is always reachable: the same command repairs the watch
        result, after = self.restore()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(after, original)
        with open(os.path.join(self.backup_dir, "backup.json"), encoding="utf-8") as f:
            self.assertEqual(hashlib.sha256(after).hexdigest(), json.load(f)["sha256"])


if __name__ == "__main__":
    unittest.main()
