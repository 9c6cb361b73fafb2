from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kium.boards.domain.pages import TITLE_MAX


class PageForm(forms.Form):
    """콘텐츠 수정: title and HTML body; the domain sanitises the body on save."""

    title = forms.CharField(
        label=_("제목"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("제목을 입력해 주세요."),
            "max_length": _("제목은 200자 이내로 입력해 주세요."),
        },
    )
    body = forms.CharField(
        label=_("본문 (HTML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "class": "kium-textarea is-code"}),
        help_text=_(
            "제목(h2~h6), 문단, 목록, 표, 링크, 굵게·기울임, http(s) 주소의 그림을 쓸 수 "
            "있습니다. 스크립트와 스타일, 허용되지 않은 속성은 저장할 때 지워집니다."
        ),
    )
