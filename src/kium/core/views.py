"""Error pages in Korean, JSON under /api/."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "not_found", "message": "찾을 수 없습니다."},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "errors/404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "server_error", "message": "일시적인 오류가 발생했습니다."},
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    # No request context: the context processors read the session, which may be the
    # very database that just failed.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
