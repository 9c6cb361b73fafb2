"""manage.py run_worker: the outbox worker (claim due messages, send, record, retry).

On PostgreSQL it LISTENs for the outbox table's NOTIFY (``domain/wake.py``) and sends a
new message as soon as its transaction commits; it also sweeps every ``--interval``
seconds for retries, messages whose announcement was missed and messages whose worker
died mid-send. With ``KIUM_NOTIFY_WAKE=task`` django_tasks_db's ``db_worker`` runs the
after-commit fast path instead. Several can run at once: claims never overlap.
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand

from kium.notifications.domain import wake
from kium.notifications.domain.outbox import process_due


class Command(BaseCommand):
    help = "알림 발송함(outbox) 작업자: 발송할 메시지를 점유해 보내고 결과를 기록합니다."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="한 번만 처리하고 종료")
        parser.add_argument("--batch", type=int, default=20)
        parser.add_argument("--interval", type=float, default=2.0, help="빈 회차 후 대기(초)")

    def handle(self, *args, once=False, batch=20, interval=2.0, **options):
        self._stop = False
        if not once:
            signal.signal(signal.SIGTERM, self._request_stop)
            signal.signal(signal.SIGINT, self._request_stop)
        total: dict[str, int] = {}
        while True:
            counts = process_due(limit=batch)  # a fresh claim token each round
            for status, n in counts.items():
                total[status] = total.get(status, 0) + n
            if counts:
                self.stdout.write(", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
            if once or self._stop:
                break
            if not counts:
                self._wait(interval)
        if once:
            self.stdout.write("done " + ", ".join(f"{k}={v}" for k, v in sorted(total.items())))

    def _wait(self, interval: float) -> None:
        if wake.listening():
            wake.wait(interval)
        else:
            time.sleep(interval)

    def _request_stop(self, *_):
        self._stop = True
