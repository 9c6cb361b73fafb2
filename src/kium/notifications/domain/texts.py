"""What a message says, per event: the SMS/e-mail text and the 알림톡 fallback text.

The back-office 알림톡 관리 screen (a later slice) will keep editable templates; until
then these defaults are used. Variables come from the caller's context; a missing one
renders as an empty string, never an error.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

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


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(event: str, context: dict) -> str:
    template = _texts().get(event, _("새 알림이 있습니다."))
    try:
        body = template.format_map(_Blank(context))
    except (ValueError, IndexError, AttributeError):
        body = template
    return PREFIX + body


def subject(event: str) -> str:
    return PREFIX + _("알림")
