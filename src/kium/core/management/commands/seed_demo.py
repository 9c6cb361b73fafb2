"""manage.py seed_demo [--if-empty]: load Seoul's demo data (idempotent) and list its accounts.

The data and the functions live in ``kium.core.demo``; this command only reports.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kium.core import demo
from kium.orgs.domain.errors import OrgError


class Command(BaseCommand):
    help = _("데모 데이터(서울시·자치구 담당자, 시설, 센터 담당자, 보호자와 자녀)를 만듭니다.")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("시설이 하나라도 있으면 아무것도 만들지 않습니다 (make run에서 사용)."),
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if if_empty and demo.any_facility_exists():
            self.stdout.write(_("시설이 이미 있어 데모 데이터를 만들지 않았습니다 (--if-empty)."))
        else:
            try:
                result = demo.seed_demo()
            except demo.DemoSeedError as exc:
                raise CommandError(str(exc)) from exc
            except (OrgError, ValidationError) as exc:
                # E.g. a demo username already taken by someone else; nothing was saved.
                detail = exc.message if isinstance(exc, OrgError) else " ".join(exc.messages)
                raise CommandError(
                    _("데모 데이터를 만들지 못했습니다 (바뀐 것은 없습니다): %(detail)s")
                    % {"detail": detail}
                ) from exc
            self.stdout.write(self._summary(result))
        self._print_accounts()

    @staticmethod
    def _summary(result: demo.SeedResult) -> str:
        if not result.changed:
            return _("데모 데이터가 이미 모두 있습니다. 바뀐 것은 없습니다.")
        labels = {
            "officers": (_("담당자"), _("명")),
            "facilities": (_("시설"), _("곳")),
            "centre_managers": (_("센터 담당자"), _("명")),
            "guardians": (_("보호자"), _("명")),
            "children": (_("아동"), _("명")),
        }
        parts = [f"{label} {result.created[key]}{unit}" for key, (label, unit) in labels.items()]
        return _("데모 데이터를 만들었습니다: %(parts)s.") % {"parts": ", ".join(parts)}

    def _print_accounts(self) -> None:
        rows = demo.demo_account_rows()
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write(
            _("데모 계정 (비밀번호는 모두 %(password)s):") % {"password": demo.DEMO_PASSWORD}
        )
        self.stdout.write(demo.format_account_table(rows))
