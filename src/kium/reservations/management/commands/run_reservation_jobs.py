"""The reservation engine's periodic work, safe to run every few minutes from cron or a
systemd timer (docs/operations.md): lapse offers past their deadline and hand the places
on, mark ended care completed, send the day-before reminders, and after a quarter's
cut-off continue the regular care nobody stopped."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kium.reservations.domain import extension, transitions


class Command(BaseCommand):
    help = "예약 주기 작업: 만료된 자리 제안 정리, 이용완료 처리, 전날 알림, 분기 자동 연장"

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            choices=["offers", "complete", "reminders", "extensions"],
            help="run one job only",
        )

    def handle(self, *args, only=None, **options):
        jobs = {
            "offers": self._offers,
            "complete": self._complete,
            "reminders": self._reminders,
            "extensions": self._extensions,
        }
        for name, job in jobs.items():
            if only in (None, name):
                self.stdout.write(f"{name}: {job()}")

    def _offers(self) -> str:
        return f"{transitions.expire_due_offers()} offers lapsed"

    def _complete(self) -> str:
        return f"{transitions.complete_past()} completed"

    def _reminders(self) -> str:
        return f"{transitions.send_reminders()} reminders"

    def _extensions(self) -> str:
        quarter = extension.quarter_to_extend()
        if quarter is None:
            return "no quarter past its cut-off"
        result = extension.run_extensions(quarter=quarter)
        return f"{quarter}: {result.extended} extended, {result.waiting} waiting"
