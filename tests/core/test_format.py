from types import SimpleNamespace

from kium.core.templatetags.kium_format import changes, phone


def test_phone_numbers_are_shown_with_hyphens():
    assert phone("01012345678") == "010-1234-5678"
    assert phone("0101234567") == "010-123-4567"
    assert phone("0221334947") == "02-2133-4947"
    assert phone("021234567") == "02-123-4567"
    assert phone("12") == "12"
    assert phone(None) == ""


def test_changes_lists_only_changed_fields():
    entry = SimpleNamespace(
        before={"name": "김", "is_active": True, "phone": "010"},
        after={"name": "이", "is_active": False, "phone": "010"},
    )
    assert changes(entry) == [("name", "김", "이"), ("is_active", "예", "아니오")]
    assert changes(SimpleNamespace(before=None, after={"a": 1})) == [("a", "—", "1")]
