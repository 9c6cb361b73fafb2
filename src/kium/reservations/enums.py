"""Care types, statuses and the other closed vocabularies of reservations (RES-*)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CareType(models.TextChoices):
    REGULAR = "regular", _("정기돌봄")
    TEMPORARY = "temporary", _("일시돌봄")
    SICK = "sick", _("아픈아이 돌봄")


# Care types that book one operating day and take a place at once (first come, first served).
SINGLE_DAY_TYPES = (CareType.TEMPORARY, CareType.SICK)


class Status(models.TextChoices):
    """API.md's reservation statuses; transitions live in domain/transitions.py."""

    PENDING = "pending", _("승인대기")
    CONFIRMED = "confirmed", _("이용확정")
    WAITLISTED = "waitlisted", _("대기")
    OFFERED = "offered", _("자리 제안")
    REJECTED = "rejected", _("반려")
    CANCELLED = "cancelled", _("취소")
    EXPIRED = "expired", _("제안 만료")
    COMPLETED = "completed", _("이용완료")


# Statuses in which a reservation counts as the child's live claim on that care
# (so a second identical one is a duplicate).
ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
# Statuses in which a single-day reservation holds a place (CareDay rows exist).
HOLDING_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.OFFERED)


class Pool(models.TextChoices):
    """Which places a care day uses: shared capacity, or the temporary-only quota (RES-3)."""

    SHARED = "shared", _("정원")
    QUOTA = "quota", _("일시돌봄 별도정원")


class Source(models.TextChoices):
    ONLINE = "online", _("온라인 신청")
    OFFLINE = "offline", _("방문·전화 접수")


class DocumentKind(models.TextChoices):
    """RES-6: the four documents of an application."""

    APPLICATION = "application", _("이용신청서")
    PRIVACY = "privacy", _("개인정보 수집·이용 동의서")
    PICKUP = "pickup", _("등하원·응급처치·귀가 동의서")
    ADMISSION = "admission", _("입소 구비서류")


class Exemption(models.TextChoices):
    NONE = "", _("해당 없음")
    BASIC_LIVELIHOOD = "basic_livelihood", _("기초생활수급자")
    NEAR_POOR = "near_poor", _("차상위계층")
    SINGLE_PARENT = "single_parent", _("한부모가정")
    MULTI_CHILD = "multi_child", _("다자녀가정")
    DISABILITY = "disability", _("장애인가정")


class PriorityRule(models.TextChoices):
    """Criteria a centre orders its regular-care applicants by (DOMAIN.md, per centre)."""

    WORKING_LOW_GRADE = "working_low_grade", _("맞벌이·한부모 가정 저학년(1~3학년)")
    MANY_CHILDREN_LOW_GRADE = "many_children_low_grade", _("다자녀(3자녀 이상) 가정 저학년")
    WORKING = "working", _("맞벌이·한부모 가정 고학년")
    COMPLEX_RESIDENT = "complex_resident", _("공동주택 단지 입주민 자녀")
    LOW_GRADE = "low_grade", _("저학년(1~3학년)")


DEFAULT_PRIORITY_RULES: list[str] = [
    PriorityRule.WORKING_LOW_GRADE,
    PriorityRule.MANY_CHILDREN_LOW_GRADE,
    PriorityRule.WORKING,
]
