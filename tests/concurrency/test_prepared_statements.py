"""On PostgreSQL the booking's statements are prepared once per connection: after a few
bookings (the day's first one differs, and psycopg prepares a statement on its sixth run)
the server holds them as prepared statements and plans them no more
(docs/decisions/0003)."""

from __future__ import annotations

import time_machine
from django.db import connection
from django.test import Client

from kium.accounts.domain.tokens import issue_token
from tests.factories import people
from tests.reservations.support import NEXT_DAY, NOW, open_centre


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_booking_s_statements_end_up_prepared():
    assert connection.connection is None or connection.connection.prepare_threshold == 5
    traveller = time_machine.travel(NOW, tick=False)
    traveller.start()
    try:
        _book_eight()
    finally:
        traveller.stop()
    prepared = _prepared()
    assert any("accounts_apitoken" in text for text in prepared)  # the token read
    assert any("pg_advisory_xact_lock" in text for text in prepared)  # the lock
    assert any(text.startswith("WITH kium_w0 AS (INSERT INTO") for text in prepared)  # writes


def _book_eight() -> None:
    centre = open_centre(people)
    client = Client()
    for n in range(8):
        guardian = people.guardian(f"prep{n}")
        kid = people.child(guardian)
        token, _ = issue_token(user=guardian)
        answer = client.post(
            "/api/v1/reservations",
            {
                "facility": centre.code,
                "child": kid.pk,
                "care_type": "temporary",
                "date": NEXT_DAY.isoformat(),
                "start_time": "13:00",
                "end_time": "15:00",
            },
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 201, answer.content
