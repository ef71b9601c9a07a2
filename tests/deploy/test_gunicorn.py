"""The documented production command serves the app: `gunicorn pamong.wsgi`, static files included (WhiteNoise)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .test_settings import GOOD_KEY

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 (a local URL)
        return resp.status, dict(resp.headers), resp.read()


def test_gunicorn_serves_pages_and_static_files(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(PAMONG_ENV="production", SECRET_KEY=GOOD_KEY, PAMONG_DATA_DIR=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    proc = subprocess.Popen([str(BIN / "gunicorn"), "pamong.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, headers, body = _get(f"{base}/masuk/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not answer")
        assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
        assert b"Masuk ke Pamong" in body
        status, headers, body = _get(f"{base}/static/vendor/htmx.org-2.0.11/htmx.min.js")
        assert status == 200 and headers["Content-Type"].startswith("text/javascript") and len(body) > 10_000
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
