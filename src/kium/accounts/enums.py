from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    GUARDIAN = "guardian", _("보호자")
    STAFF = "staff", _("담당자")
    DEVICE = "device", _("단말기")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("승인대기")
    APPROVED = "approved", _("승인")
    REJECTED = "rejected", _("반려")


class Sex(models.TextChoices):
    MALE = "M", _("남")
    FEMALE = "F", _("여")


class VerificationPurpose(models.TextChoices):
    SIGNUP = "signup", _("회원가입")
    STAFF_SIGNUP = "staff_signup", _("담당자 가입")
    PASSWORD_RESET = "password_reset", _("비밀번호 초기화")
    FIND_ID = "find_id", _("아이디 찾기")
    UNLOCK = "unlock", _("계정잠금해제")
