"""A supervised child process stops with its parent. No Django here: `pamong.cli` calls this before Django starts
(a cold start takes seconds, and the parent may be gone by then)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

SUPERVISED_BY = "PAMONG_SUPERVISED_BY"  # environment: the pid of the process the child must not outlive


def die_with_parent() -> None:
    """In a supervised child: get SIGTERM when the supervising process goes, however it goes (Linux prctl
    PR_SET_PDEATHSIG); if it is already gone, stop now."""
    parent = os.environ.get(SUPERVISED_BY, "")
    if not parent.isdigit():
        return
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != int(parent):
        sys.exit(0)
