"""rush-web's requests are what a browser sends after steps 1 and 2: the page books with
them, CSRF enforced, and refuses them with a wrong token (so the bench measures the real
check, not a bypass)."""

from __future__ import annotations

import time_machine
from django.test import Client

from bench.load import Request
from bench.targets.rush_web import confirm_request, write_sessions
from kium.reservations.models import Reservation
from tests.reservations.support import NEXT_DAY, NOW, open_centre

ORIGIN = "https://testserver"  # the site as the browser sees it (secure=True below)


def _send(client: Client, request: Request):
    headers = {k: v for k, v in request.headers.items() if k != "Content-Type"}
    return client.generic(
        request.method,
        request.path,
        request.body,
        content_type=request.headers["Content-Type"],
        secure=True,
        headers=headers,
    )


def _ready(people):
    centre = open_centre(people)
    parent = people.guardian()
    kid = people.child(parent)
    # The test centre opens at 13:00 (the bench's at 09:00).
    [key] = write_sessions([(parent, centre.code, kid.pk, NEXT_DAY)], hours=("14:00", "18:00"))
    return centre, kid, key


def test_a_bench_session_books_through_the_page_with_csrf_enforced(people):
    with time_machine.travel(NOW, tick=False):
        centre, kid, key = _ready(people)
        csrf = "a" * 32
        answer = _send(
            Client(enforce_csrf_checks=True), confirm_request(ORIGIN, key, centre.code, csrf)
        )
        assert answer.status_code == 302
        reservation = Reservation.objects.get(child=kid)
        assert answer["Location"] == f"/accounts/reservations/{reservation.pk}/done/"
        assert (reservation.status, reservation.date) == ("confirmed", NEXT_DAY)
        assert reservation.privacy_consent_at is not None


def test_a_wrong_csrf_token_is_refused(people):
    with time_machine.travel(NOW, tick=False):
        centre, kid, key = _ready(people)
        request = confirm_request(ORIGIN, key, centre.code, "a" * 32)
        forged = Request(
            method=request.method,
            path=request.path,
            headers=request.headers,
            body=request.body.replace(b"a" * 32, b"b" * 32),
        )
        answer = _send(Client(enforce_csrf_checks=True), forged)
        assert answer.status_code == 403
        assert not Reservation.objects.filter(child=kid).exists()
