"""The rush bench's WSGI app: Kium as deployed, plus the two baselines of the issue
served by the same gunicorn workers (never part of a deployment).

``/bench/ping`` and ``/bench/minimal-booking`` call ``kium.core.bench_views`` directly,
outside Django's URL resolver and middleware: they are lower bounds, the least any
endpoint on this stack and this database can cost. ``/bench/django/minimal-booking`` is
the same minimal booking behind Django's whole request stack (the deployed middleware,
URL resolving, the request and response objects): what the framework alone costs before
any of Kium's own work. Everything else goes to Kium's own ``kium.wsgi.application``
unchanged.
"""

from __future__ import annotations

from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import close_old_connections

from kium.core import bench_views
from kium.wsgi import application as kium_application

BASELINES = {
    "/bench/ping": bench_views.ping,
    "/bench/minimal-booking": bench_views.minimal_booking,
}


class _ThroughDjango(WSGIHandler):
    """Django's own WSGI handler with the bench URLconf for this request only."""

    def get_response(self, request):
        request.urlconf = "bench.rush_urls"
        return super().get_response(request)


through_django = _ThroughDjango()


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path.startswith("/bench/django/"):
        return through_django(environ, start_response)
    view = BASELINES.get(path)
    if view is None:
        return kium_application(environ, start_response)
    close_old_connections()
    response = view(WSGIRequest(environ))
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]
