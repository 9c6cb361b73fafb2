"""What a message says, per event: the registry of events, their default texts and the
variables each may use, and ``render`` (the SMS/e-mail text and the 알림톡 text).

The back-office 알림톡 관리 screen keeps an editable body per event
(``NotificationTemplate``, see ``domain/templates.py``); ``render`` uses it when it has a
non-empty body, else the default below. Variables come from the caller's context
(``notify(event, recipient, context)``); a missing one renders as an empty string, and a
body that cannot be filled (a broken placeholder) falls back to the default text, so
rendering never raises (docs/notifications.md, 알림톡 템플릿 관리).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from string import Formatter

from django.utils.translation import gettext as _

from kium.core import clock

PREFIX = "[우리동네키움포털] "


def _texts() -> dict[str, str]:
    return {
        "reservation.pending": _("예약 신청이 접수되었습니다. (예약번호 {reservation})"),
        "reservation.confirmed": _("예약이 확정되었습니다. (예약번호 {reservation})"),
        "reservation.waitlisted": _("대기 순번에 등록되었습니다. (예약번호 {reservation})"),
        "reservation.rejected": _("예약 신청이 반려되었습니다. 사유: {reason}"),
        "reservation.cancelled": _("예약이 취소되었습니다. (예약번호 {reservation})"),
        "reservation.offered": _(
            "대기하신 자리가 났습니다. {deadline}까지 수락해 주세요. (예약번호 {reservation})"
        ),
        "reservation.expired": _("수락 기한이 지나 자리 제안이 만료되었습니다."),
        "reservation.ended": _("돌봄 이용이 종료되었습니다. (예약번호 {reservation})"),
        "reservation.reminder": _("내일({date}) {start_time} {facility} 돌봄 예약이 있습니다."),
        "reservation.offer_accepted": _("자리 제안을 수락해 예약이 확정되었습니다."),
        "reservation.extended": _("정기돌봄 이용이 연장되었습니다."),
        "reservation.extension_waiting": _("정기돌봄 연장 신청이 대기 중입니다."),
        "attendance.arrived": _("{child} 아동이 {time}에 {facility}에 등원했습니다."),
        "attendance.departed": _("{child} 아동이 {time}에 {facility}에서 하원했습니다."),
        "staff.signup_received": _("{name}님의 관리자 가입 신청이 접수되었습니다."),
        "staff.approved": _("{name}님의 관리자 계정이 승인되었습니다."),
        "staff.rejected": _("{name}님의 관리자 가입 신청이 반려되었습니다. 사유: {reason}"),
        "capacity.requested": _("{facility_name} 정원 변경({requested_capacity}명) 요청"),
        "capacity.approved": _("{facility_name} 정원 변경이 승인되었습니다."),
        "capacity.rejected": _("{facility_name} 정원 변경이 반려되었습니다."),
    }


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    sample: str

    @property
    def shown(self) -> str:
        """The sample as it reads in a message (dates as 2026.03.02 18:00)."""
        return str(readable(self.sample))


@dataclass(frozen=True)
class EventSpec:
    key: str
    label: str
    default: str
    variables: tuple[Variable, ...]

    @property
    def variable_names(self) -> frozenset[str]:
        return frozenset(v.name for v in self.variables)


def _variables() -> dict[str, Variable]:
    """Every variable a caller of ``notify`` passes that makes sense in a message.

    The samples have the shape the callers really send (``deadline`` and ``date`` are ISO
    strings, ``reservation`` is the reservation's number), so the preview is honest.
    """
    return {
        v.name: v
        for v in (
            Variable("reservation", _("예약번호"), "1024"),
            Variable("reason", _("사유"), _("제출 서류를 확인해 주세요")),
            Variable("deadline", _("수락 기한"), "2026-03-02T18:00:00+09:00"),
            Variable("date", _("이용일"), "2026-03-03"),
            Variable("start_time", _("시작 시각"), "13:00"),
            Variable("child", _("아동 이름"), _("김하늘")),
            Variable("time", _("태그 시각"), "13:05"),
            Variable("facility", _("시설명"), _("노원1호점")),
            Variable("name", _("신청자 이름"), _("홍길동")),
            Variable("username", _("아이디"), "kium_admin"),
            Variable("duty", _("담당업무"), _("우리동네키움센터")),
            Variable("district", _("자치구"), _("노원구")),
            Variable("role", _("권한"), _("구관리자_우리동네키움센터")),
            Variable("facility_name", _("시설명"), _("노원1호점")),
            Variable("requested_capacity", _("요청 정원"), "30"),
        )
    }


# event → (label, variables it gets), from the callers of notify() in src/:
# reservations (booking, transitions, places, extension), attendance (taps),
# orgs (approvals), accounts (signup), centres (capacity_requests). Context keys that are
# internal ids or codes (a reservation's facility id, care_type, a tap id) are left out.
def _events() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return (
        ("reservation.pending", _("예약 신청 접수"), ("reservation",)),
        ("reservation.confirmed", _("예약 확정"), ("reservation",)),
        ("reservation.waitlisted", _("대기 등록"), ("reservation",)),
        ("reservation.rejected", _("예약 반려"), ("reservation", "reason")),
        ("reservation.cancelled", _("예약 취소"), ("reservation",)),
        ("reservation.offered", _("대기 자리 제안"), ("reservation", "deadline")),
        ("reservation.expired", _("자리 제안 만료"), ("reservation",)),
        ("reservation.offer_accepted", _("자리 제안 수락"), ("reservation",)),
        ("reservation.ended", _("돌봄 이용 종료"), ("reservation",)),
        (
            "reservation.reminder",
            _("이용 전날 안내"),
            ("reservation", "child", "date", "start_time", "facility"),
        ),
        ("reservation.extended", _("정기돌봄 연장"), ("reservation",)),
        ("reservation.extension_waiting", _("정기돌봄 연장 대기"), ("reservation",)),
        ("attendance.arrived", _("등원 알림"), ("child", "time", "facility")),
        ("attendance.departed", _("하원 알림"), ("child", "time", "facility")),
        (
            "staff.signup_received",
            _("관리자 가입 신청 접수"),
            ("name", "username", "duty", "district"),
        ),
        ("staff.approved", _("관리자 계정 승인"), ("name", "username", "role")),
        ("staff.rejected", _("관리자 가입 반려"), ("name", "username", "reason")),
        ("capacity.requested", _("정원 변경 요청"), ("facility_name", "requested_capacity")),
        (
            "capacity.approved",
            _("정원 변경 승인"),
            ("facility_name", "requested_capacity", "reason"),
        ),
        (
            "capacity.rejected",
            _("정원 변경 반려"),
            ("facility_name", "requested_capacity", "reason"),
        ),
    )


def events() -> dict[str, EventSpec]:
    """The registry, in screen order (built per call: labels follow the active language)."""
    texts = _texts()
    variables = _variables()
    return {
        key: EventSpec(
            key=key,
            label=label,
            default=texts[key],
            variables=tuple(variables[name] for name in names),
        )
        for key, label, names in _events()
    }


def event_spec(event: str) -> EventSpec | None:
    return events().get(event)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def placeholders(template: str) -> list[str]:
    """The ``{name}`` fields of a template, in order; ValueError if it cannot be parsed
    (unbalanced braces) or a field is more than a plain name (``{a.b}``, ``{0}``,
    ``{x!r}``, ``{x:>5}``): only plain names are ever filled."""
    names = []
    for _literal, field, spec, conversion in Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValueError(field)
        names.append(field)
    return names


def fill(template: str, context: dict) -> str:
    """The template with the context's values; missing ones are empty. Raises ValueError
    when the template cannot be filled (see ``placeholders``)."""
    placeholders(template)
    return template.format_map(_Blank({k: readable(v) for k, v in (context or {}).items()}))


def readable(value):
    """Dates and times as people read them (house rule 12: 2026.03.02 18:00, Seoul
    time); the outbox keeps them as ISO text, so they are turned back here."""
    if not isinstance(value, str) or len(value) < 10 or value[4:5] != "-":
        return value
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value).strftime("%Y.%m.%d")
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = clock.to_seoul(moment)
    return moment.strftime("%Y.%m.%d %H:%M")


def _override(event: str) -> str:
    from kium.notifications.models import NotificationTemplate

    body = NotificationTemplate.objects.filter(event=event).values_list("body", flat=True).first()
    return body or ""


def render_body(event: str, context: dict, body: str | None = None) -> str:
    """The message without the prefix: ``body`` if given, else the saved template, else
    the default; a body that cannot be filled falls back to the default."""
    default = _texts().get(event, _("새 알림이 있습니다."))
    template = body if body is not None else _override(event)
    if template.strip():
        try:
            return fill(template, context)
        except (ValueError, IndexError, KeyError, AttributeError, TypeError):
            pass
    try:
        return fill(default, context)
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return default


def render(event: str, context: dict) -> str:
    return PREFIX + render_body(event, context)


def subject(event: str) -> str:
    return PREFIX + _("알림")


def kakao_text(body: str) -> str:
    """The text to register with Kakao for approval: the prefix, and each ``{name}``
    written as Kakao's ``#{name}`` (the provider sends the values as ``#{name}``)."""
    try:
        placeholders(body)
    except ValueError:
        return PREFIX + body
    parts = []
    for literal, field, _spec, _conversion in Formatter().parse(body):
        parts.append(literal)
        if field is not None:
            parts.append("#{" + field + "}")
    return PREFIX + "".join(parts)
