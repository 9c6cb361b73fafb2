"""Every /api/ error answer is {"code", "message"} JSON, whatever produced it.

ninja answers an unsupported method with a plain-text 405, and Django answers a request
it cannot parse (a multipart body without a boundary) with its HTML 400 page; neither
goes through the API's exception handlers, so this middleware rewrites them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from kium.api.errors import error_response

MESSAGES = {
    400: ("invalid", "요청을 처리할 수 없습니다. 입력값을 확인해 주세요."),
    401: ("unauthorized", "로그인이 필요합니다."),
    403: ("forbidden", "권한이 없습니다."),
    404: ("not_found", "찾을 수 없습니다."),
    405: ("method_not_allowed", "이 주소에서 지원하지 않는 요청 방식입니다."),
    413: ("too_large", "요청이 너무 큽니다."),
    500: ("server_error", "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요."),
}
FALLBACK = ("error", "요청을 처리할 수 없습니다.")


class JsonApiErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _needs_json(request, response):
            return response
        code, message = MESSAGES.get(response.status_code, FALLBACK)
        replaced = error_response(response.status_code, code, message)
        if response.has_header("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced


def _needs_json(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.path.startswith("/api/")
        and response.status_code >= 400
        and not response.get("Content-Type", "").startswith("application/json")
    )
