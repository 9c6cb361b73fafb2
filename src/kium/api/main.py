"""The /api/v1 contract (shared/API.md). Routers live in kium/api/routers/.

Every error is ``{"code", "message"}`` (+ ``fields`` for validation), Korean message,
never a 500 for bad input.
"""

from __future__ import annotations

from django.db import DataError, IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from kium.api.errors import ApiError, error_response
from kium.api.routers import attendance, auth, centres, orgs, public, reservations
from kium.core.locking import BUSY_MESSAGE, BUSY_RETRY_AFTER_SECONDS, LockTimeout


class KoreanJSONRenderer(JSONRenderer):
    """UTF-8 Korean in the body instead of \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


# pydantic's error types → a Korean sentence for the person reading the form.
FIELD_MESSAGES = {
    "missing": "필수 입력 항목입니다.",
    "string_too_short": "값을 입력해 주세요.",
    "string_too_long": "입력한 값이 너무 깁니다.",
    "string_type": "문자로 입력해 주세요.",
    "string_pattern_mismatch": "형식이 올바르지 않습니다.",
    "int_parsing": "숫자로 입력해 주세요.",
    "int_type": "숫자로 입력해 주세요.",
    "float_parsing": "숫자로 입력해 주세요.",
    "float_type": "숫자로 입력해 주세요.",
    "decimal_parsing": "숫자로 입력해 주세요.",
    "bool_parsing": "참(true) 또는 거짓(false)으로 입력해 주세요.",
    "bool_type": "참(true) 또는 거짓(false)으로 입력해 주세요.",
    "date_from_datetime_parsing": "날짜는 YYYY-MM-DD 형식으로 입력해 주세요.",
    "date_from_datetime_inexact": "날짜는 YYYY-MM-DD 형식으로 입력해 주세요.",
    "date_parsing": "날짜는 YYYY-MM-DD 형식으로 입력해 주세요.",
    "date_type": "날짜는 YYYY-MM-DD 형식으로 입력해 주세요.",
    "time_parsing": "시간은 HH:MM 형식으로 입력해 주세요.",
    "literal_error": "허용되지 않는 값입니다.",
    "enum": "허용되지 않는 값입니다.",
    "greater_than": "값이 너무 작습니다.",
    "greater_than_equal": "값이 너무 작습니다.",
    "less_than": "값이 너무 큽니다.",
    "less_than_equal": "값이 너무 큽니다.",
    "list_type": "목록으로 입력해 주세요.",
    "too_short": "하나 이상 입력해 주세요.",
    "too_long": "항목이 너무 많습니다.",
    "model_attributes_type": "JSON 객체로 보내 주세요.",
    "dict_type": "JSON 객체로 보내 주세요.",
    "json_invalid": "JSON 형식이 올바르지 않습니다.",
}


def korean_field_message(error: dict) -> str:
    kind = str(error.get("type", ""))
    if kind == "value_error":
        # Our own validators raise ValueError with a Korean sentence.
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return FIELD_MESSAGES.get(kind, "올바르지 않은 값입니다.")


api = NinjaAPI(
    renderer=KoreanJSONRenderer(),
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
        fields.setdefault(".".join(loc) or "body", []).append(korean_field_message(err))
    return error_response(400, "invalid", "입력값을 확인해 주세요.", fields)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return error_response(401, "unauthorized", "로그인이 필요합니다.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(404, "not_found", "찾을 수 없습니다.")


@api.exception_handler(DataError)
def _data_error(request, exc):
    # The database refused a value that passed the schema (a NUL character, a number
    # out of range): that is bad input, not a server fault.
    return error_response(400, "invalid", "입력값을 확인해 주세요.")


@api.exception_handler(IntegrityError)
def _conflict(request, exc):
    return error_response(
        409, "conflict", "다른 요청이 같은 정보를 먼저 저장했습니다. 다시 시도해 주세요."
    )


@api.exception_handler(LockTimeout)
def _busy(request, exc):
    # The facility stayed locked longer than the timeout: nothing was written, retry.
    response = error_response(503, "busy", BUSY_MESSAGE)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # ninja raises HttpError(400) for a body that is not JSON; never echo parser English.
    if exc.status_code == 400:
        return error_response(400, "invalid_json", "요청 본문이 올바른 JSON이 아닙니다.")
    return error_response(exc.status_code, "error", "요청을 처리할 수 없습니다.")


api.add_router("", public.router)
api.add_router("", auth.router)
api.add_router("", orgs.router)
api.add_router("", centres.router)
api.add_router("", reservations.router)
api.add_router("", attendance.router)
