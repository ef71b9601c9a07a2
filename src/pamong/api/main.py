"""The JSON API under /api/v1: one NinjaAPI, one error shape for every refusal.

{"error": {"code": "...", "message": "...", "details": ...}} for 400/401/403/404/405/409/422 (and 500).

What django-ninja does by default, and what this module maps it to:
- auth failure: 401 {"detail": "Unauthorized"}            → 401 not_authenticated
- CSRF failure (session writes): 403 {"detail": "CSRF check Failed"} → 403 csrf_failed (api/auth.py)
- bad query/body: 422 {"detail": [{type, loc, msg, ...}]} → 422 validation_failed, details [{loc, type, msg}]
- unparsable JSON body: 400 {"detail": "Cannot parse request body"} → 400 bad_request
- Http404: 404 {"detail": "Not Found"}                     → 404 not_found
- unknown path under /api/v1/: Django's HTML 404 page      → 404 not_found (catch-all pattern, see urls)
- wrong method on a known path: 405 text/plain              → 405 method_not_allowed (Allow header kept)
- IntegrityError / other exceptions: a 500 from Django      → 409 conflict / 500 server_error (logged)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from ninja import NinjaAPI
from ninja.constants import NOT_SET
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from pamong.core.errors import DomainError

from .auth import session_or_token

logger = logging.getLogger("django.request")

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_failed",
    429: "throttled",
}


# What each error status means here; every operation documents each one it can answer (see _document_errors).
ERROR_DESCRIPTIONS = {
    400: "Isi permintaan bukan JSON yang dapat dibaca (bad_request).",
    401: "Belum masuk, atau token API tidak sah, kedaluwarsa atau dicabut (not_authenticated).",
    403: "Tidak berwenang atas data ini (forbidden), atau sesi tanpa header X-CSRFToken yang cocok (csrf_failed).",
    404: "Data tidak ada atau tidak boleh Anda lihat; keduanya tidak dibedakan (not_found).",
    409: "Bentrok dengan data yang sudah ada, mis. NIP atau NIK ganda (conflict).",
    422: (
        "Data tidak valid (validation_failed): menurut skema ini (details: [{loc, type, msg}]) atau menurut "
        "aturan layanan (details: [{field, message}] atau {kolom: [pesan]})."
    ),
    429: "Terlalu banyak permintaan; ulangi setelah Retry-After detik (throttled).",
}
UNSAFE_METHODS = ("post", "put", "patch", "delete")


def _constrained(parameter: dict[str, Any]) -> bool:
    """A parameter a request can get wrong (a number, a choice, a bound, a pattern): a plain string cannot."""
    schema = {k: v for k, v in parameter.get("schema", {}).items() if k not in ("title", "description", "default")}
    return schema not in ({"type": "string"}, {})


def _document_errors(schema: dict[str, Any], *, throttled: bool) -> None:
    """Add to every operation the error responses the machinery gives it, besides those its handler declares
    with errors(...): 401 when it needs credentials, 400 and 422 for a JSON body, 422 for a parameter that can
    be wrong, 403 for a write a session makes (CSRF), 404 for an object named in the path, 429 when throttled.
    Each points at the one error shape, ErrorOut."""
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for ops in schema["paths"].values():
        for method, op in ops.items():
            statuses = {int(s) for s in op["responses"] if int(s) >= 400}
            params = op.get("parameters", [])
            security = [name for entry in op.get("security", []) for name in entry]
            if security:
                statuses.add(401)
            if "requestBody" in op:
                statuses |= {400, 422}
            if any(_constrained(p) for p in params):
                statuses.add(422)
            if method in UNSAFE_METHODS and "SessionAuth" in security:
                statuses.add(403)
            if any(p["in"] == "path" for p in params):
                statuses.add(404)
            if throttled:
                statuses.add(429)
            for status in sorted(statuses):
                op["responses"][status] = {"description": ERROR_DESCRIPTIONS[status], **ref}
            op["responses"] = dict(sorted(op["responses"].items(), key=lambda kv: int(kv[0])))


class PamongAPI(NinjaAPI):
    """NinjaAPI whose URL patterns also answer unknown paths and wrong methods in the one error shape, and whose
    OpenAPI document lists every error response an operation can give."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _document_errors(schema, throttled=self.throttle is not NOT_SET and bool(self.throttle))
        return schema

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for p in patterns:
            if isinstance(p, URLPattern):
                p.callback = _shaped(p.callback)
        return [*patterns, re_path(r"", _unknown_path, name="unknown")], app_name, namespace


api = PamongAPI(
    title="Pamong API",
    version="1",
    description=(
        "Kepegawaian, kinerja dan penggajian ASN pemerintah daerah.\n\n"
        "Autentikasi: sesi login (cookie, dengan header X-CSRFToken untuk POST/PATCH/DELETE) atau "
        "`Authorization: Bearer <token>` (buat token dengan POST /tokens atau `pamong api_token`).\n\n"
        'Setiap galat berbentuk `{"error": {"code", "message", "details"}}`.'
    ),
    auth=session_or_token,
    urls_namespace="api-v1",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, details: object = None) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details if details is not None else {}}}
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="pamong"'
    return response


def _shaped(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an API view so a 405 or an Http404 escaping ninja (the API root) comes out in the error shape."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _error(request, 404, "not_found", "Alamat API tidak dikenal.")
        if isinstance(response, HttpResponseNotAllowed):
            shaped = _error(
                request,
                405,
                "method_not_allowed",
                f"Metode {request.method} tidak didukung untuk alamat ini.",
                {"allowed": sorted(m.strip() for m in response["Allow"].split(","))},
            )
            shaped["Allow"] = response["Allow"]
            return shaped
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # as ninja's own views: CSRF is checked by auth
    return wrapper


def _unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _error(request, 404, "not_found", "Alamat API tidak dikenal.", {"path": request.path})


_unknown_path.csrf_exempt = True  # type: ignore[attr-defined]


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, str(exc.message), exc.details)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = [{"loc": list(e.get("loc", [])), "type": e.get("type"), "msg": e.get("msg")} for e in exc.errors]
    return _error(request, 422, "validation_failed", "Data yang dikirim tidak valid.", details)


@api.exception_handler(DjangoValidationError)
def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """full_clean() in a service: the same 422 as ValidationFailed, with {field: [messages]}."""
    details: Any = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "validation_failed", "Data tidak valid.", details)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", "Harus masuk (login) atau memakai token API.")


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", str(exc) or "Anda tidak berwenang melakukan ini.")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Data tidak ditemukan.")


@api.exception_handler(ObjectDoesNotExist)
def object_missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return _error(request, 404, "not_found", "Data tidak ditemukan.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = {400: "Isi permintaan bukan JSON yang dapat dibaca."}.get(exc.status_code, str(exc))
    response = _error(request, exc.status_code, HTTP_CODES.get(exc.status_code, "error"), message)
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(IntegrityError)
def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    return _error(request, 409, "conflict", "Data bentrok dengan data yang sudah ada (misalnya NIP ganda).")


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if settings.DEBUG:
        raise exc
    logger.error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
    )
    return _error(request, 500, "server_error", "Terjadi kesalahan pada server; sudah dicatat.")


from . import routes  # noqa: E402,F401  (registers the routers on `api`)
