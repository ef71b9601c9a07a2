"""`./dev pamong ARGS` runs the documented `pamong` commands from a fresh shell (uv lives in .tools/bin, not on
PATH), with PAMONG_ENV=demo so the demo's built-in SECRET_KEY is accepted."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dev_pamong_runs_pamong_commands(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PAMONG_ENV", "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV")}
    uv = shutil.which("uv")
    if (ROOT / ".tools/bin/uv").exists() or uv is None:
        env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  # a fresh shell: ./dev finds its own uv
    env.update(PAMONG_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    def dev(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(ROOT / "dev"), "pamong", *args], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)

    assert dev("migrate", "--verbosity", "0").returncode == 0
    assert (tmp_path / "db.sqlite3").exists()
    env["PAMONG_PASSWORD"] = "Sawahlunto#2026"
    assert dev("user", "add", "operator.baru").returncode == 0
    verify = dev("audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert "Rantai audit utuh: 1 peristiwa" in verify.stdout
    # a file argument is read relative to where the command was typed
    case = ROOT / "tests/engine/cases/01-cpns-iiia-k1-pelaksana.json"
    (tmp_path / "kasus.json").write_bytes(case.read_bytes())
    simulated = dev("payroll", "simulate", "kasus.json")
    assert simulated.returncode == 0 and simulated.stdout.lstrip().startswith("{"), simulated.stderr
