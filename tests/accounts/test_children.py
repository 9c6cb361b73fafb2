import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from kium.accounts.domain.children import children_of, register_child, update_child
from kium.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def child_fields(**overrides):
    fields = {
        "name": "김하늘",
        "birth_date": dt.date(2018, 3, 2),
        "sex": "F",
        "school": "상계초등학교",
        "grade": 2,
        "health_notes": "",
        "guardian_consent": True,
        "sensitive_consent": False,
    }
    fields.update(overrides)
    return fields


def test_register_child_records_consent_time_and_audits(people):
    guardian = people.guardian()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        child = register_child(guardian=guardian, **child_fields())
    assert child.guardian_consent_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert child.sensitive_consent_at is None
    entry = AuditEntry.objects.get(action="child.register")
    assert entry.after["name"] == "김하늘"
    assert entry.actor_id == guardian.pk


def test_no_child_without_the_guardian_consent(people):
    guardian = people.guardian()
    with pytest.raises(ValidationError) as err:
        register_child(guardian=guardian, **child_fields(guardian_consent=False))
    assert "guardian_consent" in err.value.message_dict
    assert not children_of(guardian=guardian).exists()


def test_health_notes_need_the_sensitive_data_consent(people):
    guardian = people.guardian()
    with pytest.raises(ValidationError) as err:
        register_child(guardian=guardian, **child_fields(health_notes="땅콩 알레르기"))
    assert "sensitive_consent" in err.value.message_dict
    child = register_child(
        guardian=guardian, **child_fields(health_notes="땅콩 알레르기", sensitive_consent=True)
    )
    assert child.sensitive_consent_at is not None
    # The audit log says that notes exist, not what they say.
    entry = AuditEntry.objects.get(action="child.register")
    assert entry.after["has_health_notes"] is True
    assert "땅콩" not in str(entry.after)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", dt.date(2099, 1, 1)),
        ("birth_date", dt.date(1990, 1, 1)),
        ("grade", 7),
        ("sex", "X"),
        ("name", "  "),
    ],
)
def test_bad_values_are_refused(people, field, value):
    with pytest.raises(ValidationError) as err:
        register_child(guardian=people.guardian(), **child_fields(**{field: value}))
    assert field in err.value.message_dict


def test_staff_cannot_register_children(people):
    with pytest.raises(PermissionError):
        register_child(guardian=people.staff(), **child_fields())


def test_update_child_and_withdraw_sensitive_consent(people):
    guardian = people.guardian()
    child = register_child(
        guardian=guardian, **child_fields(health_notes="천식", sensitive_consent=True)
    )
    values = child_fields(health_notes="천식", sensitive_consent=False, grade=3)
    values.pop("guardian_consent")
    with pytest.raises(ValidationError):
        update_child(guardian=guardian, child=child, **values)
    values["health_notes"] = ""
    update_child(guardian=guardian, child=child, **values)
    child.refresh_from_db()
    assert (child.grade, child.health_notes, child.sensitive_consent_at) == (3, "", None)
    entry = AuditEntry.objects.get(action="child.update")
    assert entry.before["grade"] == 2 and entry.after["grade"] == 3
    assert entry.after["health_notes_changed"] is True


def test_a_guardian_cannot_update_another_guardians_child(people):
    child = people.child(people.guardian())
    values = child_fields()
    values.pop("guardian_consent")
    with pytest.raises(PermissionError):
        update_child(guardian=people.guardian(), child=child, **values)
