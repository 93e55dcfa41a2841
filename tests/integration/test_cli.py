#!/usr/bin/env python3
"""Integration tests of wristflash-cli's contract: global options, --json, --simulate, exit statuses."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from wfsim import VirtualWatch, json_lines, run_cli, tempdir  # noqa: E402


class CliTest(unittest.TestCase):
    def test_help_and_usage(self):
        result = run_cli("--help")
        self.assertEqual(result.returncode, 0)
        for command in ("ports", "doctor", "wait", "info", "backup"):
            self.assertIn(command, result.stdout)
        self.assertEqual(run_cli().returncode, 2)
        self.assertEqual(run_cli("no-such-command").returncode, 2)
        result = run_cli("backup", "--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("--resume", result.stdout)

    def test_backup_needs_output(self):
        result = run_cli("--simulate", "backup")
        self.assertEqual(result.returncode, 2)
        self.assertIn("backup -o DIR", result.stderr)

    def test_port_and_simulate_exclusive(self):
        self.assertEqual(run_cli("--port", "/dev/null", "--simulate", "info").returncode, 2)

    def test_simulate_info_json_global_option_after_command(self):
        with tempdir() as tmp:
            env = {"XDG_DATA_HOME": tmp}
            result = run_cli("info", "--simulate", "--json", env=env)
            self.assertEqual(result.returncode, 0, result.stderr)
            info = json_lines(result.stdout)[-1]
            self.assertEqual(info["event"], "info")
            self.assertEqual(info["chip"], "MT6261DA")
            self.assertEqual(info["flash"]["size"], 8 * 1024 * 1024)
            self.assertEqual(info["flash"]["jedec_id"], "C86017")
            flash = os.path.join(tmp, "wristflash", "virtual-watch", "flash.bin")
            self.assertTrue(os.path.exists(flash))
            # the virtual watch keeps its identity between runs
            again = json_lines(run_cli("--json", "--simulate", "info", env=env).stdout)[-1]
            self.assertEqual(again["me_id"], info["me_id"])

    def test_simulate_backup(self):
        with tempdir() as tmp:
            env = {"XDG_DATA_HOME": tmp, "WF_SIM_RATE": "0"}
            dest = os.path.join(tmp, "b")
            result = run_cli("--simulate", "backup", "-o", dest, env=env)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("Backup complete and verified", result.stdout)
            flash = os.path.join(tmp, "wristflash", "virtual-watch", "flash.bin")
            with open(flash, "rb") as a, open(os.path.join(dest, "flash.bin"), "rb") as b:
                self.assertEqual(a.read(), b.read())

    def test_wire_log(self):
        with tempdir() as tmp, VirtualWatch(tmp, size="4M", rate=0) as watch:
            log = os.path.join(tmp, "wire.log")
            result = run_cli("--port", watch.link, "--wire-log", log, "info")
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(log, encoding="utf-8") as f:
                text = f.read()
            # the handshake, both ways
            self.assertRegex(text, r"> +A0")
            self.assertRegex(text, r"< +5F")

    def test_doctor_json(self):
        result = run_cli("--json", "doctor")
        self.assertIn(result.returncode, (0, 1))
        report = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertIn("checks", report)

    def test_ports_json(self):
        result = run_cli("ports", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("ports", json_lines(result.stdout)[-1])


if __name__ == "__main__":
    unittest.main()
