"""django-tasks entry point: deliver one outbox message right after its commit.

With the immediate backend (dev, tests) this runs inside the on_commit callback; with
django_tasks_db it runs in ``manage.py db_worker``. Retries and lost enqueues are the
outbox worker's job (``manage.py run_worker``), not the task backend's.
"""

from __future__ import annotations

from django_tasks import task

from kium.notifications.domain.outbox import deliver_key


@task()
def deliver_message(idempotency_key: str) -> str:
    return str(deliver_key(idempotency_key))
