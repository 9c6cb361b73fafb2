"""The rush bench's WSGI app: Kium as deployed, plus the two baselines of the issue
served by the same gunicorn workers (never part of a deployment).

``/bench/ping`` and ``/bench/minimal-booking`` call ``kium.core.bench_views`` directly,
outside Django's URL resolver and middleware: they are lower bounds, the least any
endpoint on this stack and this database can cost. Everything else goes to Kium's own
``kium.wsgi.application`` unchanged.
"""

from __future__ import annotations

from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections

from kium.core import bench_views
from kium.wsgi import application as kium_application

BASELINES = {
    "/bench/ping": bench_views.ping,
    "/bench/minimal-booking": bench_views.minimal_booking,
}


def application(environ, start_response):
    view = BASELINES.get(environ.get("PATH_INFO", ""))
    if view is None:
        return kium_application(environ, start_response)
    close_old_connections()
    response = view(WSGIRequest(environ))
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]
