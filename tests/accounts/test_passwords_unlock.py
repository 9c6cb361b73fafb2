import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError

from kium.accounts.domain.passwords import (
    find_usernames,
    make_reset_token,
    mask_username,
    reset_password,
    set_new_password,
    user_for_reset_token,
)
from kium.accounts.domain.unlock import failure_count, is_account_locked, unlock_account
from kium.core.models import AuditEntry

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC)


def lock(username: str, failures: int = 5) -> None:
    AccessAttempt.objects.create(
        username=username,
        ip_address="1.2.3.4",
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/admin/login/",
        failures_since_start=failures,
    )


@pytest.mark.parametrize(
    ("username", "masked"),
    [("NWUK015002", "NWUK0150**"), ("parent01", "parent**"), ("abcd", "ab**")],
)
def test_usernames_are_masked(username, masked):
    assert mask_username(username) == masked


def test_find_usernames_by_name_and_phone(people):
    people.staff("NWUK015002", name="박담당", phone="01011112222")
    people.staff("NWUK015003", name="박담당", phone="01011112222")
    people.staff("NWUK015004", name="다른사람", phone="01011112222")
    assert find_usernames(name="박담당", phone="01011112222", kind="staff") == [
        "NWUK0150**",
        "NWUK0150**",
    ]
    assert find_usernames(name="박담당", phone="01011112222", kind="guardian") == []


def test_reset_token_works_once_and_for_thirty_minutes(people):
    user = people.staff()
    with time_machine.travel(START, tick=False) as traveller:
        token = make_reset_token(user=user)
        traveller.shift(dt.timedelta(minutes=29))
        assert user_for_reset_token(token) == user
        traveller.shift(dt.timedelta(minutes=2))
        assert user_for_reset_token(token) is None
        fresh = make_reset_token(user=user)
        reset_password(user=user, password="newpass2026x")
        # Used: the password fingerprint changed, so the link is dead.
        assert user_for_reset_token(fresh) is None
    assert user_for_reset_token("forged:token") is None


def test_reset_password_unlocks_and_audits(people):
    user = people.staff()
    lock(user.username)
    reset_password(user=user, password="newpass2026x")
    user.refresh_from_db()
    assert user.check_password("newpass2026x")
    assert not is_account_locked(username=user.username)
    assert AuditEntry.objects.filter(action="account.password_reset", object_id=str(user.pk))


def test_password_rule_is_enforced(people):
    user = people.staff()
    with pytest.raises(ValidationError):
        set_new_password(actor=user, user=user, password="onlyletters", action="x")
    with pytest.raises(ValidationError):
        set_new_password(actor=user, user=user, password="1234567890", action="x")


def test_setting_a_password_clears_must_change(people):
    user = people.staff(must_change_password=True)
    set_new_password(
        actor=user, user=user, password="brandnew2026", action="account.password_change"
    )
    user.refresh_from_db()
    assert user.must_change_password is False
    entry = AuditEntry.objects.get(action="account.password_change")
    assert entry.before == {"must_change_password": True}


def test_officer_unlocks_an_account(people):
    officer = people.city_officer()
    user = people.staff()
    lock(user.username)
    assert is_account_locked(username=user.username)
    assert failure_count(username=user.username) == 5
    unlock_account(actor=officer, user=user, reason="전화 문의")
    assert not is_account_locked(username=user.username)
    entry = AuditEntry.objects.get(action="account.unlock")
    assert entry.actor_id == officer.pk
    assert entry.before == {"failures": 5}
    assert entry.reason == "전화 문의"


def test_find_usernames_skips_invited_accounts(people):
    from django.contrib.auth.hashers import make_password

    from kium.accounts.models import User

    User.objects.create(
        username="invited-abc123",
        password=make_password(None),
        kind="guardian",
        name="최보호",
        phone="01055556666",
    )
    assert find_usernames(name="최보호", phone="01055556666", kind="guardian") == []
