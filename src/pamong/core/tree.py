"""Materialised paths for trees (units, positions): a subtree is one indexed prefix query on any database."""

from __future__ import annotations

SEGMENT = 8  # digits per level: ids up to 99,999,999


def child_path(parent_path: str, pk: int) -> str:
    return f"{parent_path}{pk:0{SEGMENT}d}/"


def depth_of(path: str) -> int:
    return path.count("/")
