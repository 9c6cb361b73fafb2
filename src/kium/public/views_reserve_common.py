"""What the 예약하기 steps and 내 예약 share: the session draft, the facility and the care
types it offers, the two-week calendar, and turning a draft into a booking request.

The draft lives in the session under the facility's code, so a guardian who goes back a
step, opens another tab or has to log in first finds every choice where they left it.
Django's ``login()`` cycles the session key but keeps the data of an anonymous session,
which is what carries an anonymous visitor's draft through the login page.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from kium.centres.domain.availability import availability
from kium.centres.domain.holidays import public_holidays
from kium.centres.domain.queries import closed_days_for
from kium.centres.models import OperatingPeriod
from kium.orgs.models import Facility
from kium.reservations.domain import booking, policy
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.places import capacities
from kium.reservations.enums import CareType
from kium.reservations.forms_public import DATE_FORMAT, TIME_FORMAT, WEEKDAY_NAMES

SESSION_KEY = "kium_reserve_drafts"
# A guardian rarely compares more than a few centres; older drafts make way.
MAX_DRAFTS = 5
# The order the choices are offered in (the common case first).
CARE_TYPE_ORDER = (CareType.TEMPORARY, CareType.SICK, CareType.REGULAR)
SATURDAY, SUNDAY = 5, 6


# --- the facility ------------------------------------------------------------------------


def facility_or_404(code: str) -> Facility:
    facility = booking.bookable_facility((code or "")[:7])
    if facility is None:
        raise Http404(_("시설을 찾을 수 없습니다."))
    return facility


def profile_of(facility: Facility):
    try:
        return facility.profile
    except ObjectDoesNotExist:
        return None


def offered_care_types(facility: Facility) -> list[str]:
    """The care types the engine takes at this facility (booking.check_care_type decides)."""
    offered = []
    for care_type in CARE_TYPE_ORDER:
        try:
            booking.check_care_type(facility, care_type)
        except ReservationError:
            continue
        offered.append(str(care_type))
    return offered


# --- the draft ---------------------------------------------------------------------------


def get_draft(request: HttpRequest, code: str) -> dict:
    return dict(request.session.get(SESSION_KEY, {}).get(code, {}))


def save_draft(request: HttpRequest, code: str, values: dict) -> dict:
    drafts = OrderedDict(request.session.get(SESSION_KEY, {}))
    draft = dict(drafts.pop(code, {}))
    draft.update(values)
    drafts[code] = draft
    while len(drafts) > MAX_DRAFTS:
        drafts.popitem(last=False)
    request.session[SESSION_KEY] = dict(drafts)
    return draft


def replace_draft(request: HttpRequest, code: str, values: dict) -> dict:
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts.pop(code, None)
    request.session[SESSION_KEY] = drafts
    return save_draft(request, code, values)


def clear_draft(request: HttpRequest, code: str) -> None:
    drafts = dict(request.session.get(SESSION_KEY, {}))
    if drafts.pop(code, None) is not None:
        request.session[SESSION_KEY] = drafts


def parse_date(value) -> dt.date | None:
    try:
        return dt.datetime.strptime(str(value or ""), DATE_FORMAT).date()
    except ValueError:
        return None


def parse_time(value) -> dt.time | None:
    try:
        return dt.datetime.strptime(str(value or ""), TIME_FORMAT).time()
    except ValueError:
        return None


def child_from_draft(draft: dict, children) -> object | None:
    wanted = str(draft.get("child", ""))
    return next((child for child in children if str(child.pk) == wanted), None)


# --- hours and the calendar --------------------------------------------------------------


def periods_over(facility: Facility, start: dt.date, end: dt.date) -> list[OperatingPeriod]:
    return list(
        OperatingPeriod.objects.filter(facility=facility, start__lte=end, end__gte=start).order_by(
            "start"
        )
    )


def hours_on(periods: list[OperatingPeriod], day: dt.date) -> tuple[dt.time, dt.time] | None:
    """The facility's hours on ``day`` (Saturday hours on Saturdays), None when closed."""
    for period in periods:
        if period.start <= day <= period.end:
            if day.weekday() == SUNDAY:
                return None
            if day.weekday() == SATURDAY:
                if period.saturday_open_time is None:
                    return None
                return period.saturday_open_time, period.saturday_close_time
            return period.open_time, period.close_time
    return None


def closed_reasons(facility: Facility, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    reasons: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in public_holidays(year).items():
            if start <= day <= end:
                reasons[day] = str(name)
    for closed in closed_days_for(facility, start, end):
        reasons.setdefault(closed.date, closed.reason)
    return reasons


def calendar_rows(facility: Facility, *, today: dt.date, selected: dt.date | None) -> list[dict]:
    """Today … today + 14 (RES-5): open or closed, hours, free places and waitlist per day."""
    first, last = policy.temporary_window(today)
    periods = periods_over(facility, first, last)
    reasons = closed_reasons(facility, first, last)
    _shared, _quota, waitlist_capacity = capacities(facility)
    rows = []
    for day in availability(facility=facility, start=first, end=last):
        hours = hours_on(periods, day.date) if day.open else None
        waitlist_full = day.open and day.temporary_free <= 0 and day.waitlist >= waitlist_capacity
        if not day.open or hours is None:
            state = "closed"
        elif day.temporary_free > 0:
            state = "free"
        elif waitlist_full:
            state = "full"
        else:
            state = "waitlist"
        rows.append(
            {
                "date": day.date,
                "value": day.date.strftime(DATE_FORMAT),
                "weekday": WEEKDAY_NAMES[day.date.weekday()],
                "is_today": day.date == today,
                "open": state != "closed",
                "state": state,
                "free": day.temporary_free,
                "waitlist": day.waitlist,
                "next_position": day.waitlist + 1,
                "hours": hours,
                "open_time": hours[0].strftime(TIME_FORMAT) if hours else "",
                "close_time": hours[1].strftime(TIME_FORMAT) if hours else "",
                "reason": reasons.get(day.date, ""),
                "selected": selected == day.date,
                "selectable": state in ("free", "waitlist"),
            }
        )
    return rows


def default_regular_period(
    facility: Facility, today: dt.date, start: dt.date | None = None
) -> tuple[dt.date, dt.date | None, tuple[dt.time, dt.time] | None]:
    """Start today (or ``start``), end with the operating period that contains the start."""
    start = max(start or today, today)
    periods = periods_over(facility, start, start + dt.timedelta(days=policy.REGULAR_MAX_DAYS))
    current = next((p for p in periods if p.start <= start <= p.end), None)
    if current is None and periods:
        current = periods[0]
        start = max(start, current.start)
    if current is None:
        return start, None, None
    end = current.end if policy.regular_length_ok(start, current.end) else None
    return start, end, (current.open_time, current.close_time)


# --- from the draft to the engine's request ------------------------------------------------


def build_request(facility: Facility, child, draft: dict) -> booking.Request | None:
    """The engine's Request from a complete draft; None when a value is missing."""
    care_type = draft.get("care_type")
    start_time, end_time = parse_time(draft.get("start_time")), parse_time(draft.get("end_time"))
    if care_type == CareType.REGULAR:
        start_date, end_date = (
            parse_date(draft.get("start_date")),
            parse_date(draft.get("end_date")),
        )
        weekdays = [int(day) for day in draft.get("weekdays", []) if str(day).isdigit()]
        if not (start_date and end_date and weekdays and start_time and end_time):
            return None
        return booking.Request(
            facility=facility,
            child=child,
            care_type=care_type,
            start_date=start_date,
            end_date=end_date,
            weekdays=weekdays,
            start_time=start_time,
            end_time=end_time,
            household=booking.Household(
                dual_earner=bool(draft.get("dual_earner")),
                single_parent=bool(draft.get("single_parent")),
                many_children=bool(draft.get("many_children")),
                complex_resident=bool(draft.get("complex_resident")),
            ),
            consents=booking.Consents(
                privacy=bool(draft.get("privacy")), pickup=bool(draft.get("pickup"))
            ),
            note=str(draft.get("note", ""))[:500],
        )
    if care_type not in (CareType.TEMPORARY, CareType.SICK):
        return None
    day = parse_date(draft.get("date"))
    if day is None:
        return None
    if start_time is None or end_time is None:
        hours = hours_on(periods_over(facility, day, day), day)
        if hours is None:
            # A closed day: the engine's check names it next to the date.
            hours = (dt.time(0, 0), dt.time(0, 1))
        start_time, end_time = hours
    return booking.Request(
        facility=facility,
        child=child,
        care_type=care_type,
        date=day,
        start_time=start_time,
        end_time=end_time,
        consents=booking.Consents(
            privacy=bool(draft.get("privacy")), pickup=bool(draft.get("pickup"))
        ),
        sick=booking.SickCare(
            symptoms=str(draft.get("symptoms", "")),
            clinic_escort_consent=bool(draft.get("clinic_escort_consent")),
            reachable_phone=str(draft.get("reachable_phone", "")),
        ),
        note=str(draft.get("note", ""))[:500],
    )


def check_details(request_obj: booking.Request, *, guardian, today: dt.date) -> None:
    """The engine's checks that need no lock (raised as ReservationError with a field)."""
    booking.check_child(request_obj, guardian)
    booking.check_care_type(request_obj.facility, request_obj.care_type)
    if request_obj.care_type == CareType.REGULAR:
        booking.check_regular(request_obj, today)
    else:
        if request_obj.care_type == CareType.SICK:
            booking.check_sick(request_obj)
        booking.check_single_day(request_obj, today)
