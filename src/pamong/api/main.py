"""The JSON API under /api/v1: one NinjaAPI, one error shape for every refusal.

{"error": {"code": "...", "message": "...", "details": ...}} for 400/401/403/404/409/422.
"""

from __future__ import annotations

from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from pamong.core.errors import DomainError

from .auth import session_or_token

api = NinjaAPI(
    title="Pamong API",
    version="1",
    description="Kepegawaian, kinerja dan penggajian ASN pemerintah daerah.",
    auth=session_or_token,
    urls_namespace="api-v1",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, details: object = None) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or {}}}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, str(exc.message), exc.details)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = [{"loc": list(e.get("loc", [])), "type": e.get("type"), "msg": e.get("msg")} for e in exc.errors]
    return _error(request, 422, "validation_failed", "Data yang dikirim tidak valid.", details)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", "Harus masuk (login) atau memakai token API.")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Data tidak ditemukan.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}
    return _error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


@api.exception_handler(IntegrityError)
def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    return _error(request, 409, "conflict", "Data bentrok dengan data yang sudah ada (misalnya NIP ganda).")


from . import routes  # noqa: E402,F401  (registers the routers on `api`)
