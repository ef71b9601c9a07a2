"""`pamong serve` in a real process: it starts a background worker, and a SIGTERM to the server stops the worker too
(before, the worker outlived it: SIGTERM ends Python without running atexit)."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has exited (waiting for whoever adopted it to reap it)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_to_serve_stops_its_worker(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PAMONG_TASKS")}
    env.update(PAMONG_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="pamong.settings", PYTHONUNBUFFERED="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "pamong.cli", "serve", f"127.0.0.1:{free_port()}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()  # type: ignore[union-attr]
    worker_pid = None
    try:
        deadline = time.monotonic() + 180  # a fresh database is migrated first
        seen = []
        while worker_pid is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert server.poll() is None, "".join(seen)
                continue
            seen.append(line)
            m = re.search(r"Pekerja latar belakang berjalan \(pid (\d+)\)", line)
            if m:
                worker_pid = int(m.group(1))
        assert worker_pid is not None and alive(worker_pid), "".join(seen)
        time.sleep(1)  # let the worker get going (its signal handlers installed)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        deadline = time.monotonic() + 15
        while alive(worker_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(worker_pid)
    finally:
        if server.poll() is None:
            server.kill()
        if worker_pid is not None and alive(worker_pid):
            os.kill(worker_pid, signal.SIGKILL)
