"""Logging filters. Ordinary refusals (403, 404, 429 ...) are one warning line, never a traceback.

Django logs a PermissionDenied or Http404 raised by a view with the exception attached, so every "you may not see
this" printed a full traceback on the console, burying real errors. A 4xx is the app working as designed: keep
the one line ("Forbidden (Permission denied): /pegawai/12/"), drop the traceback. 5xx keep theirs.
"""

from __future__ import annotations

import logging


class RefusalsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
