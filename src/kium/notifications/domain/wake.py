"""How the outbox worker learns that a message is waiting (docs/notifications.md).

Two ways, chosen by ``KIUM_NOTIFY_WAKE``:

* ``task`` (development and tests): after the commit, a django-tasks task delivers the
  message; with the immediate backend that happens in the same process at once.
* ``listen`` (production on PostgreSQL): a statement trigger on the outbox table sends
  ``NOTIFY kium_outbox`` when a row is inserted. PostgreSQL delivers it only when the
  transaction commits, so the request pays no extra statement and no extra commit, and
  ``run_worker`` (which LISTENs) wakes within milliseconds. A lost notification costs
  nothing but time: the worker also sweeps every ``--interval`` seconds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

CHANNEL = "kium_outbox"


def by_task() -> bool:
    """Whether ``record`` should enqueue a delivery task after the commit."""
    return getattr(settings, "KIUM_NOTIFY_WAKE", "task") != "listen"


def listening() -> bool:
    return connection.vendor == "postgresql"


def wait(timeout: float) -> bool:
    """Block until a message is announced or ``timeout`` passes; True if woken.

    Only on PostgreSQL; the caller sleeps elsewhere. The LISTEN is per database session,
    so it is (re)issued whenever Django has opened a new connection.
    """
    connection.ensure_connection()
    raw = connection.connection
    if getattr(raw, "_kium_listening", False) is False:
        with connection.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")
        raw._kium_listening = True
    woken = False
    for _notice in raw.notifies(timeout=timeout, stop_after=1):
        woken = True
    return woken
