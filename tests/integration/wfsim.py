"""Helpers for integration tests: run wristflash-sim behind a pty and wristflash-cli against it."""
import json
import os
import signal
import subprocess
import tempfile
import time

BUILD = os.environ.get("WF_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
SIM = os.path.join(BUILD, "src", "sim", "wristflash-sim")
CLI = os.path.join(BUILD, "src", "cli", "wristflash-cli")


class VirtualWatch:
    """A wristflash-sim process; the pty link is self.link."""

    def __init__(self, workdir, size="4M", rate=None, turnaround_ms=None, faults=(), extra=(), flash_file=None):
        self.workdir = workdir
        self.link = os.path.join(workdir, "watch")
        self.flash_file = flash_file or os.path.join(workdir, "watch.bin")
        args = [SIM, "--link", self.link, "--flash-file", self.flash_file, "--size", size]
        if rate is not None:
            args += ["--rate", str(rate)]
        if turnaround_ms is not None:
            args += ["--turnaround-ms", str(turnaround_ms)]
        for fault in faults:
            args += ["--fault", fault]
        args += list(extra)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("wristflash-sim did not start: " + self.proc.stderr.read())
        self.ready = json.loads(line)
        assert self.ready["event"] == "ready", self.ready

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def flash(self):
        with open(self.flash_file, "rb") as f:
            return f.read()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def run_cli(*args, timeout=300, env=None):
    full_env = dict(os.environ)
    full_env.setdefault("LC_ALL", "C.UTF-8")
    if env:
        full_env.update(env)
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout, env=full_env)


def json_lines(text):
    events = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            events.append(json.loads(line))
    return events


def tempdir():
    return tempfile.TemporaryDirectory(prefix="wf-it-")
