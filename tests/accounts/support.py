"""Helpers for the account tests: read the codes the console SMS provider 'sent'."""

from __future__ import annotations

import re

import pytest

from kium.accounts import sms


@pytest.fixture
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def last_code(phone: str) -> str:
    """The 6-digit code of the newest message to ``phone`` (digits only)."""
    digits = re.sub(r"\D", "", phone)
    for message in reversed(sms.outbox):
        if message.phone == digits:
            found = re.search(r"인증번호 (\d{6})", message.text)
            if found:
                return found.group(1)
    raise AssertionError(f"no code was sent to {phone}")


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"
