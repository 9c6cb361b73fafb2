"""접속기록 월간점검: the monthly check of personal-data access records.

Korea's personal-information safety rules ask the controller to check access records at
least once a month for abnormal use. The screen shows, for one month and the reviewer's
scope: reads per account, accounts that read unusually much or at night, and every
download of personal data with its reason; the reviewer then records "점검 완료".

"Unusually much" = at least ``UNUSUAL_MIN_COUNT`` records and more than
``UNUSUAL_FACTOR`` × the median of the month's accounts; "night" = 22:00–06:00 Seoul.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from kium.core.audit import log_action
from kium.core.clock import SEOUL
from kium.orgs.domain.errors import FORBIDDEN, OrgError
from kium.orgs.domain.scope import access_records_for_user, has_menu, scope_for
from kium.orgs.models import AccessReview, District

UNUSUAL_MIN_COUNT = 50
UNUSUAL_FACTOR = 3
NIGHT_START_HOUR = 22
NIGHT_END_HOUR = 6
DOWNLOAD_ACTION = "download"


def first_of_month(value: dt.date) -> dt.date:
    return value.replace(day=1)


def month_range(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's first instant, in Seoul."""
    start = dt.datetime.combine(first_of_month(month), dt.time.min, tzinfo=SEOUL)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following


def night_q() -> Q:
    # ``at__hour`` is taken in the current time zone (Asia/Seoul, settings.TIME_ZONE).
    return Q(at__hour__gte=NIGHT_START_HOUR) | Q(at__hour__lt=NIGHT_END_HOUR)


@dataclass
class AccountLine:
    username: str
    total: int
    night: int
    unusual: bool = False


@dataclass
class ReviewSummary:
    month: dt.date
    accounts: list[AccountLine] = field(default_factory=list)
    downloads: QuerySet | None = None
    review: AccessReview | None = None
    median: float = 0

    @property
    def unusual(self) -> list[AccountLine]:
        return [line for line in self.accounts if line.unusual]

    @property
    def night(self) -> list[AccountLine]:
        return [line for line in self.accounts if line.night]

    @property
    def total(self) -> int:
        return sum(line.total for line in self.accounts)


def review_district(actor) -> District | None:
    """The district a review covers: none (the city) for city officers."""
    scope = scope_for(actor)
    if scope.city or not scope.district_ids:
        return None
    return District.objects.filter(pk__in=scope.district_ids).order_by("sort_order").first()


def review_summary(*, actor, month: dt.date) -> ReviewSummary:
    start, end = month_range(month)
    records = access_records_for_user(actor).filter(at__gte=start, at__lt=end)
    rows = (
        records.values("actor_username")
        .annotate(total=Count("id"), night=Count("id", filter=night_q()))
        .order_by("-total", "actor_username")
    )
    lines = [AccountLine(r["actor_username"], r["total"], r["night"]) for r in rows]
    median = statistics.median([line.total for line in lines]) if lines else 0
    for line in lines:
        line.unusual = line.total >= UNUSUAL_MIN_COUNT and line.total > UNUSUAL_FACTOR * median
    return ReviewSummary(
        month=first_of_month(month),
        accounts=lines,
        downloads=records.filter(action=DOWNLOAD_ACTION).order_by("at"),
        review=AccessReview.objects.filter(
            month=first_of_month(month), district=review_district(actor)
        ).first(),
        median=median,
    )


@transaction.atomic
def complete_review(*, actor, month: dt.date, note: str = "") -> AccessReview:
    """점검 완료: one record per month and scope, with the reviewer and their note."""
    if not has_menu(actor, "users.review"):
        raise OrgError(FORBIDDEN, _("접속기록 점검 권한이 없습니다."))
    month = first_of_month(month)
    district = review_district(actor)
    if AccessReview.objects.filter(month=month, district=district).exists():
        raise OrgError("already_reviewed", _("이 달의 점검은 이미 완료되었습니다."))
    try:
        with transaction.atomic():
            review = AccessReview.objects.create(
                month=month,
                district=district,
                reviewer=actor,
                reviewer_username=actor.get_username(),
                note=note.strip(),
            )
    except IntegrityError as exc:
        raise OrgError("already_reviewed", _("이 달의 점검은 이미 완료되었습니다.")) from exc
    # The review itself is evidence: note it in the audit log as well.
    log_action(
        actor=actor,
        action="access.review",
        obj=review,
        after={"month": month.isoformat(), "note": review.note},
    )
    return review
