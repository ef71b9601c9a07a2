"""The `pamong` command: Django's management commands under short names.

pamong demo [--size N]          fresh SQLite demo city, then serve it
pamong serve [ADDR:PORT]        serve the app (waitress-free: Django's threaded server for the demo)
pamong import employees FILE    import units/positions/employees from CSV or XLSX (--dry-run)
pamong audit verify             recompute the audit hash chain
pamong <any manage.py command>  e.g. migrate, createsuperuser
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import": "import_data"}


def main(argv: list[str] | None = None) -> None:
    from pamong.core.lifeline import die_with_parent

    die_with_parent()  # a worker started by `pamong serve`/`demo` stops with it, even while still starting up
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    args[0] = "pamong"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
