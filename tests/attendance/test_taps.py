"""ATT-2: taps alternate per child and day, are idempotent by nonce, and land where their
tapped_at puts them; unknown cards, no-care days, manual entries, voids and absences."""

from __future__ import annotations

import datetime as dt

import pytest

from kium.attendance.domain import cards, readers, taps
from kium.attendance.domain.errors import AttendanceError
from kium.attendance.models import Absence, Tap
from kium.core.models import AuditEntry
from kium.notifications.models import OutboxMessage
from tests.attendance.support import TODAY, at, care


def tap(setup, hour, minute=0, nonce=None, uid="04A2241B", reader=None):
    return taps.record_tap(
        reader=reader or setup.reader,
        card_uid=uid,
        tapped_at=at(hour, minute),
        nonce=nonce or f"n-{hour}-{minute}",
    )


def events(setup):
    return [
        (t.tapped_at.astimezone(at(0).tzinfo).strftime("%H:%M"), t.event)
        for t in Tap.objects.filter(child=setup.child, voided_at__isnull=True)
    ]


def test_taps_alternate_check_in_and_out(setup):
    first = tap(setup, 12, 50)
    assert first.tap.event == "check_in" and not first.duplicate
    # the clock is 13:00; a later tap must not be in the future
    assert tap(setup, 12, 55).tap.event == "check_out"
    assert tap(setup, 12, 58).tap.event == "check_in"
    assert [e for _, e in events(setup)] == ["check_in", "check_out", "check_in"]
    assert not first.tap.flagged_no_care


def test_same_nonce_twice_is_recorded_once(setup):
    one = tap(setup, 12, 50, nonce="abc")
    two = tap(setup, 12, 50, nonce="abc")
    assert two.duplicate is True
    assert two.tap.pk == one.tap.pk
    assert Tap.objects.count() == 1
    # the same nonce on another reader is another tap
    other, _token = readers.register_reader(
        actor=setup.manager, facility=setup.facility, name="후문"
    )
    three = tap(setup, 12, 52, nonce="abc", reader=other)
    assert not three.duplicate and three.tap.event == "check_out"


def test_arrival_and_departure_are_notified_once(setup):
    tap(setup, 12, 50, nonce="a")
    tap(setup, 12, 50, nonce="a")
    tap(setup, 12, 59, nonce="b")
    sent = OutboxMessage.objects.order_by("pk")
    assert [m.event for m in sent] == ["attendance.arrived", "attendance.departed"]
    assert all(m.recipient_id == setup.guardian.pk for m in sent)
    assert sent[0].context["child"] == setup.child.name
    assert sent[0].context["time"] == "12:50"


def test_a_late_tap_is_placed_by_tapped_at_and_relabels_the_day(setup):
    tap(setup, 12, 40, nonce="a")  # check_in
    tap(setup, 12, 55, nonce="c")  # check_out
    OutboxMessage.objects.all().delete()
    late = tap(setup, 12, 45, nonce="b")  # an offline reader's buffer, between the two
    assert late.tap.event == "check_out"
    assert events(setup) == [
        ("12:40", "check_in"),
        ("12:45", "check_out"),
        ("12:55", "check_in"),
    ]
    # Not announced (not the day's last tap), and the relabel is audited.
    assert not OutboxMessage.objects.exists()
    entry = AuditEntry.objects.get(action="attendance.tap.late")
    assert entry.after["relabelled"][0]["event"] == "check_in"


def test_a_late_tap_that_is_the_last_one_is_announced_if_recent(setup, frozen_clock):
    tap(setup, 12, 40, nonce="a")
    frozen_clock.move_to(at(14, 0))
    tap(setup, 13, 30, nonce="b")  # received 30 minutes late, still the day's last
    assert OutboxMessage.objects.filter(event="attendance.departed").count() == 1
    frozen_clock.move_to(at(17, 0))
    stale = tap(setup, 13, 40, nonce="c")  # 3 h 20 late: recorded, not announced
    assert stale.tap.event == "check_in"
    assert OutboxMessage.objects.filter(event="attendance.arrived").count() == 1


def test_unknown_and_retired_cards_are_unknown(setup):
    with pytest.raises(AttendanceError) as unknown:
        tap(setup, 12, 50, uid="DEADBEEF")
    assert unknown.value.code == "unknown_card" and unknown.value.http_status == 404
    cards.retire_card(actor=setup.manager, card=setup.card, reason="분실")
    with pytest.raises(AttendanceError) as retired:
        tap(setup, 12, 51)
    assert retired.value.code == "unknown_card"
    # kept for the teacher's sheet, without a child
    assert Tap.objects.filter(child__isnull=True).count() == 2


def test_card_of_another_centre_is_unknown_at_this_reader(people, setup):
    other = people.facility("NW")
    reader, _token = readers.register_reader(actor=None, facility=other, name="다른 센터")
    with pytest.raises(AttendanceError) as exc:
        tap(setup, 12, 50, reader=reader)
    assert exc.value.code == "unknown_card"


def test_uid_spelling_is_normalised(setup):
    assert tap(setup, 12, 50, uid="04:a2:24:1b").tap.child_id == setup.child.pk


def test_a_tap_without_care_that_day_is_recorded_and_flagged(people, setup):
    kid = people.child(setup.guardian, name="김바다")
    cards.register_card(actor=setup.manager, facility=setup.facility, child=kid, card_uid="AA01")
    result = tap(setup, 12, 50, uid="AA01")
    assert result.tap.event == "check_in"
    assert result.tap.flagged_no_care is True


def test_tapped_at_in_the_future_or_without_offset_is_refused(setup):
    with pytest.raises(AttendanceError) as future:
        taps.record_tap(reader=setup.reader, card_uid="04A2241B", tapped_at=at(14, 0), nonce="f")
    assert future.value.field == "tapped_at"
    with pytest.raises(AttendanceError):
        taps.record_tap(
            reader=setup.reader,
            card_uid="04A2241B",
            tapped_at=dt.datetime(2026, 10, 6, 12, 0),
            nonce="g",
        )
    assert not Tap.objects.exists()


def test_manual_check_in_and_out_follow_the_alternation(setup):
    t = taps.record_manual(
        actor=setup.manager,
        child=setup.child,
        facility=setup.facility,
        event="check_in",
        at=at(12, 30),
        reason="카드 미지참",
    )
    assert t.manual and t.staff == setup.manager and t.event == "check_in"
    with pytest.raises(AttendanceError) as twice:
        taps.record_manual(
            actor=setup.manager,
            child=setup.child,
            facility=setup.facility,
            event="check_in",
            at=at(12, 40),
            reason="중복",
        )
    assert twice.value.code == "out_of_order"
    with pytest.raises(AttendanceError) as no_reason:
        taps.record_manual(
            actor=setup.manager,
            child=setup.child,
            facility=setup.facility,
            event="check_out",
            at=at(12, 40),
            reason=" ",
        )
    assert no_reason.value.field == "reason"
    assert OutboxMessage.objects.filter(event="attendance.arrived").count() == 1
    assert AuditEntry.objects.filter(action="attendance.tap.manual").count() == 1


def test_manual_entry_before_a_later_tap_is_refused(setup):
    tap(setup, 12, 50)
    with pytest.raises(AttendanceError) as exc:
        taps.record_manual(
            actor=setup.manager,
            child=setup.child,
            facility=setup.facility,
            event="check_out",
            at=at(12, 40),
            reason="늦은 입력",
        )
    assert exc.value.code == "out_of_order"


def test_voiding_a_wrong_tap_relabels_and_is_audited(setup):
    tap(setup, 12, 40, nonce="a")
    wrong = tap(setup, 12, 41, nonce="b").tap  # a double tap at the door
    tap(setup, 12, 55, nonce="c")
    taps.void_tap(actor=setup.manager, tap=wrong, reason="중복 태그")
    assert events(setup) == [("12:40", "check_in"), ("12:55", "check_out")]
    entry = AuditEntry.objects.get(action="attendance.tap.void")
    assert entry.reason == "중복 태그"
    with pytest.raises(AttendanceError) as again:
        taps.void_tap(actor=setup.manager, tap=wrong, reason="다시")
    assert again.value.code == "already_voided"


def test_out_of_scope_staff_cannot_act(people, setup):
    stranger = people.district_officer("GN")
    with pytest.raises(AttendanceError) as exc:
        taps.mark_absent(
            actor=stranger, child=setup.child, facility=setup.facility, day=TODAY, reason="x"
        )
    assert exc.value.code == "not_found"


def test_mark_absent_only_without_taps(people, setup):
    absence = taps.mark_absent(
        actor=setup.manager, child=setup.child, facility=setup.facility, day=TODAY, reason="감기"
    )
    assert Absence.objects.get() == absence
    with pytest.raises(AttendanceError) as twice:
        taps.mark_absent(
            actor=setup.manager, child=setup.child, facility=setup.facility, day=TODAY, reason="x"
        )
    assert twice.value.code == "already_absent"
    taps.unmark_absent(actor=setup.manager, absence=absence, reason="잘못 입력")
    assert not Absence.objects.exists()
    tap(setup, 12, 50)
    with pytest.raises(AttendanceError) as present:
        taps.mark_absent(
            actor=setup.manager, child=setup.child, facility=setup.facility, day=TODAY, reason="x"
        )
    assert present.value.code == "already_present"


def test_completed_reservation_still_counts_as_care(people, setup):
    kid = people.child(setup.guardian, name="김구름")
    care(setup.facility, kid, status="completed")
    assert taps.has_care(kid.pk, setup.facility.pk, TODAY)
    other = people.child(setup.guardian, name="김별")
    care(setup.facility, other, status="cancelled")
    assert not taps.has_care(other.pk, setup.facility.pk, TODAY)
