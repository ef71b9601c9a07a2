"""A background worker beside the web server: `db_worker` (django-tasks, database backend) in a child process, so
payroll runs started from the web are computed while the demo or a single-machine install is running."""

from __future__ import annotations

import atexit
import subprocess
import sys


def start_worker() -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pamong.cli", "db_worker", "--no-reload", "--interval", "0.5", "--no-startup-delay"]
    )

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()

    atexit.register(stop)
    return proc
