"""알림톡 관리: the per-event templates officers edit (NotificationTemplate).

Read at send time by the worker, never on the request that records a message, so a
booking pays nothing for them and an edit counts for every message not yet sent.

A row holds what differs from the built-in default (``domain/texts.py``): a body (empty
means the default text), the approved 알림톡 template code (empty means
``KIUM_ALIMTALK_TEMPLATES``) and whether the event is sent at all. Only city-level staff
manage them (the messages belong to no single district); every change is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from string import Formatter

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from kium.core.audit import log_action, snapshot
from kium.notifications.domain import texts
from kium.notifications.models import NotificationTemplate
from kium.orgs.domain.scope import scope_for

# 알림톡's limit for a template's text, counted on the text registered with Kakao
# (the prefix included, variables as #{name}).
MAX_LENGTH = 1000
CODE_MAX_LENGTH = 100
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]*$")
_AUDIT_FIELDS = ["event", "body", "alimtalk_template_code", "enabled"]


class TemplateError(Exception):
    """A broken rule with a Korean message; ``field`` names the form field it belongs to."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.field = field


# --- reads (also used by the outbox worker and the providers) ----------------------------


def template_row(event: str) -> NotificationTemplate | None:
    return NotificationTemplate.objects.filter(event=event).first()


def event_enabled(event: str) -> bool:
    """An event without a row is enabled (the built-in default)."""
    row = template_row(event)
    return row is None or row.enabled


def setting_code(event: str) -> str:
    return (getattr(settings, "KIUM_ALIMTALK_TEMPLATES", None) or {}).get(event, "")


def alimtalk_code(event: str) -> str:
    """The approved 알림톡 template code: the row's, else KIUM_ALIMTALK_TEMPLATES."""
    row = template_row(event)
    if row is not None and row.alimtalk_template_code:
        return row.alimtalk_template_code
    return setting_code(event)


def can_manage(user) -> bool:
    return scope_for(user).city


@dataclass(frozen=True)
class TemplateStatus:
    """One line of the 알림톡 템플릿 관리 list: the event and what is saved for it."""

    spec: texts.EventSpec
    row: NotificationTemplate | None
    code_from_settings: str

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def enabled(self) -> bool:
        return self.row is None or self.row.enabled

    @property
    def customised(self) -> bool:
        return self.row is not None and bool(self.row.body.strip())

    @property
    def body(self) -> str:
        """What is sent: the saved body, else the default text."""
        return self.row.body if self.customised else self.spec.default  # type: ignore[union-attr]

    @property
    def code(self) -> str:
        if self.row is not None and self.row.alimtalk_template_code:
            return self.row.alimtalk_template_code
        return self.code_from_settings

    @property
    def code_is_setting(self) -> bool:
        return bool(self.code) and not (self.row and self.row.alimtalk_template_code)


def template_statuses() -> list[TemplateStatus]:
    """Every known event in registry order, with its saved row (one query)."""
    rows = {
        row.event: row
        for row in NotificationTemplate.objects.select_related("updated_by", "created_by")
    }
    return [
        TemplateStatus(spec=spec, row=rows.get(key), code_from_settings=setting_code(key))
        for key, spec in texts.events().items()
    ]


def template_status(event: str) -> TemplateStatus:
    spec = _spec(event)
    row = (
        NotificationTemplate.objects.select_related("updated_by", "created_by")
        .filter(event=event)
        .first()
    )
    return TemplateStatus(spec=spec, row=row, code_from_settings=setting_code(event))


# --- validation --------------------------------------------------------------------------


def _spec(event: str) -> texts.EventSpec:
    spec = texts.event_spec(event)
    if spec is None:
        raise TemplateError(
            "unknown_event", _("알 수 없는 알림입니다: %(event)s") % {"event": event}
        )
    return spec


def _allowed(spec: texts.EventSpec) -> str:
    return ", ".join("{" + v.name + "}" for v in spec.variables) or _("없음")


def clean_body(event: str, body: str) -> str:
    """The body as it will be stored: line endings normalised, checked against the event's
    variables, balanced braces and the 알림톡 length limit. Empty means the default."""
    spec = _spec(event)
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        return ""
    try:
        fields = list(Formatter().parse(body))
    except ValueError:
        raise TemplateError(
            "braces",
            _(
                "중괄호의 짝이 맞지 않습니다. 변수는 {변수명}처럼 쓰고, "
                "중괄호 글자 자체는 {{ 또는 }}로 적어 주세요."
            ),
            "body",
        ) from None
    for _literal, name, spec_text, conversion in fields:
        if name is None:
            continue
        if not name.isidentifier() or spec_text or conversion:
            raise TemplateError(
                "variable",
                _(
                    "‘{%(name)s}’는 쓸 수 없는 형식입니다. 변수는 {변수명}처럼 이름만 "
                    "적어 주세요. 쓸 수 있는 변수: %(allowed)s"
                )
                % {
                    "name": name
                    + (f"!{conversion}" if conversion else "")
                    + (f":{spec_text}" if spec_text else ""),
                    "allowed": _allowed(spec),
                },
                "body",
            )
        if name not in spec.variable_names:
            raise TemplateError(
                "variable",
                _("‘{%(name)s}’는 이 알림에서 쓸 수 없는 변수입니다. 쓸 수 있는 변수: %(allowed)s")
                % {"name": name, "allowed": _allowed(spec)},
                "body",
            )
    length = len(texts.kakao_text(body))
    if length > MAX_LENGTH:
        raise TemplateError(
            "too_long",
            _("알림톡 본문은 머리말을 포함해 %(max)s자 이하여야 합니다. (현재 %(n)s자)")
            % {"max": f"{MAX_LENGTH:,}", "n": f"{length:,}"},
            "body",
        )
    return body


def clean_code(code: str) -> str:
    code = (code or "").strip()
    if len(code) > CODE_MAX_LENGTH:
        raise TemplateError(
            "code",
            _("템플릿 코드는 %(max)d자 이하로 적어 주세요.") % {"max": CODE_MAX_LENGTH},
            "code",
        )
    if not CODE_PATTERN.match(code):
        raise TemplateError(
            "code",
            _("템플릿 코드에는 영문, 숫자, 밑줄(_), 하이픈(-)만 쓸 수 있습니다."),
            "code",
        )
    return code


# --- changes -----------------------------------------------------------------------------


def _require_manager(actor) -> None:
    if not can_manage(actor):
        raise TemplateError("forbidden", _("알림톡 템플릿은 서울시 담당자만 관리할 수 있습니다."))


def _locked_row(event: str, actor) -> tuple[NotificationTemplate, dict | None]:
    """The event's row under a lock (created if missing) and its state before, or None."""
    row = NotificationTemplate.objects.select_for_update().filter(event=event).first()
    if row is not None:
        return row, snapshot(row, _AUDIT_FIELDS)
    user = actor if getattr(actor, "is_authenticated", False) else None
    row, created = NotificationTemplate.objects.get_or_create(
        event=event, defaults={"created_by": user, "updated_by": user}
    )
    return row, None if created else snapshot(row, _AUDIT_FIELDS)


def _save(row: NotificationTemplate, actor, before: dict | None, action: str) -> None:
    row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    log_action(
        actor=actor, action=action, obj=row, before=before, after=snapshot(row, _AUDIT_FIELDS)
    )


def save_template(
    *, actor, event: str, body: str, code: str, enabled: bool
) -> NotificationTemplate:
    """Save what ``event`` says, its approved 알림톡 code and whether it is sent.

    A body equal to the default text is stored empty, so the row keeps only what
    differs and the default keeps following its translations.
    """
    _require_manager(actor)
    spec = _spec(event)
    body = clean_body(event, body)
    if body == spec.default.strip():
        body = ""
    code = clean_code(code)
    with transaction.atomic():
        row, before = _locked_row(event, actor)
        if before is not None and (row.body, row.alimtalk_template_code, row.enabled) == (
            body,
            code,
            enabled,
        ):
            return row
        row.body, row.alimtalk_template_code, row.enabled = body, code, bool(enabled)
        _save(row, actor, before, "notification.template_save")
    return row


def set_enabled(*, actor, event: str, enabled: bool) -> NotificationTemplate:
    """사용/중지: a disabled event is not sent by the worker."""
    _require_manager(actor)
    _spec(event)
    with transaction.atomic():
        row, before = _locked_row(event, actor)
        if before is not None and row.enabled == bool(enabled):
            return row
        row.enabled = bool(enabled)
        _save(row, actor, before, "notification.template_enabled")
    return row


def reset_template(*, actor, event: str) -> NotificationTemplate | None:
    """기본값으로: drop the saved body (the code and 사용 stay); None if nothing was saved."""
    _require_manager(actor)
    _spec(event)
    with transaction.atomic():
        row = NotificationTemplate.objects.select_for_update().filter(event=event).first()
        if row is None or not row.body:
            return row
        before = snapshot(row, _AUDIT_FIELDS)
        row.body = ""
        _save(row, actor, before, "notification.template_reset")
    return row


# --- preview -----------------------------------------------------------------------------


def sample_context(event: str) -> dict[str, str]:
    return {v.name: v.sample for v in _spec(event).variables}


def preview(event: str, body: str | None = None) -> str:
    """The message as it would be sent, with the sample values: the saved template (or
    the default) when ``body`` is None, else ``body`` after the same checks as saving."""
    context = sample_context(event)
    if body is None:
        return texts.render(event, context)
    return texts.PREFIX + texts.render_body(event, context, clean_body(event, body))
