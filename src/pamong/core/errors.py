"""Domain refusals. Each maps once to an HTTP status and the shape {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Any = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details if details is not None else {}
        if code:
            self.code = code

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": str(self.message), "details": self.details}}


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotVisible(DomainError):
    """The object does not exist or the user may not see it (the two are not told apart)."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TransitionRefused(Conflict):
    code = "transition_refused"


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class ImportRejected(ValidationFailed):
    code = "import_rejected"
