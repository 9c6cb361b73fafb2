"""The deck's password rule: 10–20 characters mixing letters and digits (ACC-1)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

PASSWORD_RULE = gettext_noop("비밀번호는 10~20자의 영문과 숫자를 섞어 사용해야 합니다.")


def check_password_rule(password: str) -> None:
    if not 10 <= len(password) <= 20:
        raise ValidationError(_(PASSWORD_RULE), code="password_length")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise ValidationError(_(PASSWORD_RULE), code="password_mix")


class KiumPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        check_password_rule(password)

    def get_help_text(self) -> str:
        return _(PASSWORD_RULE)
