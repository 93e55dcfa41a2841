#!/usr/bin/env python3
"""Integration tests of the verified backup: wristflash-cli against wristflash-sim over a real pty."""
import hashlib
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from wfsim import VirtualWatch, json_lines, run_cli, tempdir  # noqa: E402

FAST = 0  # rate 0 = unthrottled link


class BackupTest(unittest.TestCase):
    def backup(self, watch, dest, *extra, timeout_s=20):
        return run_cli("--port", watch.link, "--json", "backup", "-o", dest, "--timeout", str(timeout_s), *extra)

    def assert_complete_backup(self, dest, watch):
        with open(os.path.join(dest, "flash.bin"), "rb") as f:
            image = f.read()
        self.assertEqual(image, watch.flash(), "backup differs from the watch's flash")
        with open(os.path.join(dest, "backup.json"), encoding="utf-8") as f:
            record = json.load(f)
        self.assertEqual(record["sha256"], hashlib.sha256(image).hexdigest())
        self.assertEqual(record["flash_size"], len(image))
        self.assertEqual(record["me_id"], watch.ready["me_id"].lower())
        self.assertEqual(record["method"], "brom-read32")
        self.assertFalse(os.path.exists(dest + ".partial"))
        return record

    def assert_no_complete_backup(self, dest):
        self.assertFalse(os.path.exists(dest), "a failed backup must not look complete")

    def test_backup_4mib_byte_exact(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST) as watch:
            dest = os.path.join(tmp, "backup")
            result = self.backup(watch, dest)
            self.assertEqual(result.returncode, 0, result.stderr)
            record = self.assert_complete_backup(dest, watch)
            self.assertEqual(record["flash_size"], 4 * 1024 * 1024)
            self.assertEqual(record["jedec_id"].upper(), "C22016")
            events = json_lines(result.stdout)
            self.assertEqual(events[-1]["event"], "backup-complete")
            self.assertTrue(any(e["event"] == "progress" for e in events))

    def test_backup_8mib_default_link(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="8M") as watch:
            dest = os.path.join(tmp, "backup")
            result = self.backup(watch, dest)
            self.assertEqual(result.returncode, 0, result.stderr)
            record = self.assert_complete_backup(dest, watch)
            self.assertEqual(record["flash_size"], 8 * 1024 * 1024)
            self.assertEqual(record["jedec_id"].upper(), "C86017")
            # two passes over a 1 MB/s link: at least 2 × 8 MiB / 1e6 seconds
            self.assertGreater(record["link"]["seconds"], 2 * 8 * 1024 * 1024 / 1e6 * 0.95)

    def test_existing_backup_is_never_overwritten(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST) as watch:
            dest = os.path.join(tmp, "backup")
            os.mkdir(dest)
            marker = os.path.join(dest, "keep-me")
            open(marker, "w").close()
            result = self.backup(watch, dest)
            self.assertEqual(result.returncode, 1)
            self.assertIn("never overwritten", result.stderr)
            self.assertEqual(os.listdir(dest), ["keep-me"])

    def test_disconnect_then_resume(self):
        with tempdir() as tmp:
            dest = os.path.join(tmp, "backup")
            flash_file = os.path.join(tmp, "watch.bin")
            # the port vanishes after ~2.5 MiB have gone to the host
            with VirtualWatch(tmp, size="4M", rate=FAST, faults=["disconnect:in:2600000"],
                              flash_file=flash_file) as watch:
                result = self.backup(watch, dest)
                self.assertEqual(result.returncode, 1)
                self.assertIn("--resume", result.stderr)
                self.assert_no_complete_backup(dest)
                self.assertTrue(os.path.isdir(dest + ".partial"))
                error = json_lines(result.stdout)[-1]
                self.assertEqual(error["event"], "error")
                self.assertEqual(error["code"], "device-lost")
            with VirtualWatch(tmp, size="4M", rate=FAST, flash_file=flash_file) as watch:
                result = self.backup(watch, dest, "--resume")
                self.assertEqual(result.returncode, 0, result.stderr)
                record = self.assert_complete_backup(dest, watch)
                # only what was not verified before is read again
                self.assertLess(record["link"]["flash_bytes_read"], 2 * 4 * 1024 * 1024)

    def test_resume_refuses_another_watch(self):
        with tempdir() as tmp:
            dest = os.path.join(tmp, "backup")
            with VirtualWatch(tmp, size="4M", rate=FAST, faults=["disconnect:in:2600000"],
                              flash_file=os.path.join(tmp, "a.bin")) as watch:
                self.assertEqual(self.backup(watch, dest).returncode, 1)
            with VirtualWatch(tmp, size="4M", rate=FAST, flash_file=os.path.join(tmp, "b.bin")) as watch:
                result = self.backup(watch, dest, "--resume")
                self.assertEqual(result.returncode, 1)
                self.assertIn("another watch", result.stderr)
                self.assert_no_complete_backup(dest)

    def test_flaky_read_is_reread_and_verified(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST, faults=["flaky-read:0x123450"]) as watch:
            dest = os.path.join(tmp, "backup")
            result = self.backup(watch, dest)
            self.assertEqual(result.returncode, 0, result.stderr)
            record = self.assert_complete_backup(dest, watch)
            self.assertGreaterEqual(record["link"]["chunks_reread"], 1)

    def test_corrupted_byte_on_the_wire_is_caught(self):
        # byte 1 500 000 from the watch lands inside flash data of the first pass
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST, faults=["corrupt:in:1500000"]) as watch:
            dest = os.path.join(tmp, "backup")
            result = self.backup(watch, dest)
            self.assertEqual(result.returncode, 0, result.stderr)
            record = self.assert_complete_backup(dest, watch)
            self.assertGreaterEqual(record["link"]["chunks_reread"], 1)

    def test_unstable_read_fails_clearly(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST, faults=["unstable-read:0x200000"]) as watch:
            dest = os.path.join(tmp, "backup")
            result = self.backup(watch, dest)
            self.assertEqual(result.returncode, 1)
            self.assertIn("never read the same twice", result.stderr)
            self.assert_no_complete_backup(dest)

    def test_dropped_byte_gives_a_clear_error(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST, faults=["drop:in:1000000"]) as watch:
            dest = os.path.join(tmp, "backup")
            result = self.backup(watch, dest)
            self.assertEqual(result.returncode, 1)
            self.assertTrue(result.stderr.startswith("Error:"), result.stderr)
            self.assert_no_complete_backup(dest)

    def test_stall_gives_a_clear_error(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST, faults=["stall:in:1000000:5000"]) as watch:
            dest = os.path.join(tmp, "backup")
            result = self.backup(watch, dest)
            self.assertEqual(result.returncode, 1)
            self.assertRegex(result.stderr, "no answer|timed out")
            self.assert_no_complete_backup(dest)

    def test_never_handshaking_port(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST, faults=["no-handshake"]) as watch:
            result = run_cli("--port", watch.link, "info", "--timeout", "2")
            self.assertEqual(result.returncode, 1)
            self.assertIn("Error:", result.stderr)

    def test_wrong_handshake(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST, faults=["bad-handshake"]) as watch:
            result = run_cli("--port", watch.link, "info", "--timeout", "2")
            self.assertEqual(result.returncode, 1)
            self.assertIn("Error:", result.stderr)

    def test_short_lived_port_is_caught(self):
        # an unattended watch whose port lives 300 ms and re-appears: the CLI starts late and still catches it
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=FAST, extra=["--lifetime-ms", "300"]) as watch:
            result = run_cli("--port", watch.link, "--json", "wait", "--timeout", "10")
            self.assertEqual(result.returncode, 0, result.stderr)
            caught = json_lines(result.stdout)[-1]
            self.assertEqual(caught["event"], "caught")


if __name__ == "__main__":
    unittest.main()
