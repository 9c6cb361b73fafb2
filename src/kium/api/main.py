"""The /api/v1 contract (shared/API.md). Routers live in kium/api/routers/.

Every error is ``{"code", "message"}`` (+ ``fields`` for validation), Korean message,
never a 500 for bad input.
"""

from __future__ import annotations

from django.db import IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kium.api.errors import ApiError, error_response
from kium.api.routers import auth, orgs, public

api = NinjaAPI(
    title="Kium API",
    version="1",
    description="우리동네키움포털 API — RF 리더기, 보호자 앱, 자치구 시스템을 위한 계약",
    urls_namespace="api",
)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error_response(exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [
            str(part)
            for part in err.get("loc", [])
            if part not in {"body", "payload", "query", "path"}
        ]
        fields.setdefault(".".join(loc) or "body", []).append(
            err.get("msg", "올바르지 않은 값입니다.")
        )
    return error_response(400, "invalid", "입력값을 확인해 주세요.", fields)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return error_response(401, "unauthorized", "로그인이 필요합니다.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(404, "not_found", "찾을 수 없습니다.")


@api.exception_handler(IntegrityError)
def _conflict(request, exc):
    return error_response(
        409, "conflict", "다른 요청이 같은 정보를 먼저 저장했습니다. 다시 시도해 주세요."
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error_response(exc.status_code, "error", str(exc))


api.add_router("", public.router)
api.add_router("", auth.router)
api.add_router("", orgs.router)
