"""Editing, publishing and restoring CMS pages; the seeded pages."""

import pytest

from kium.boards.domain.errors import BoardsError
from kium.boards.domain.pages import restore_revision, set_published, update_page
from kium.boards.models import Page
from kium.boards.seed_pages import SEED_PAGES
from kium.core.models import AuditEntry


@pytest.fixture
def page(db):
    return Page.objects.get(slug="kium/intro")


def test_every_seed_page_is_loaded_with_a_first_revision(db):
    assert Page.objects.count() == len(SEED_PAGES)
    for page in Page.objects.all():
        assert page.is_published
        assert page.body.count("<p>") >= 1
        assert page.revisions.get().number == 1
    assert "2133-4947" in Page.objects.get(slug="kium/intro").body
    assert set(Page.objects.values_list("slug", flat=True)) >= {
        "kium/intro", "kium/guide", "hub/1", "hub/7", "local-child/intro",
        "youth-academy/intro", "school-care/intro", "community-room/intro", "sharing/intro",
        "child-care-service/intro", "coordinator/intro", "kidscafe/intro",
        "reservations/guide",
    }  # fmt: skip


def test_update_sanitises_keeps_a_revision_and_audits(people, page):
    officer = people.city_officer()
    update_page(actor=officer, page=page, title=" 새 제목 ", body="<p>새 글</p><script>x</script>")
    page.refresh_from_db()
    assert (page.title, page.body, page.updated_by) == ("새 제목", "<p>새 글</p>", officer)
    latest = page.revisions.first()
    assert (latest.number, latest.body, latest.saved_by) == (2, "<p>새 글</p>", officer)
    entry = AuditEntry.objects.get(action="cms.page.update")
    assert entry.object_id == str(page.pk) and entry.after["title"] == "새 제목"


def test_saving_unchanged_content_adds_no_revision(people, page):
    update_page(actor=people.city_officer(), page=page, title=page.title, body=page.body)
    assert page.revisions.count() == 1
    assert not AuditEntry.objects.filter(action="cms.page.update").exists()


def test_empty_title_is_refused_next_to_the_field(people, page):
    with pytest.raises(BoardsError) as exc:
        update_page(actor=people.city_officer(), page=page, title="  ", body="<p>x</p>")
    assert exc.value.field == "title"


def test_restore_brings_back_old_content_as_a_new_revision(people, page):
    officer = people.city_officer()
    original = (page.title, page.body)
    update_page(actor=officer, page=page, title="바뀐 제목", body="<p>바뀐 글</p>")
    restore_revision(actor=officer, page=page, revision=page.revisions.get(number=1))
    page.refresh_from_db()
    assert (page.title, page.body) == original
    assert list(page.revisions.values_list("number", flat=True)) == [3, 2, 1]
    assert page.revisions.first().note == "제1판 복원"
    assert AuditEntry.objects.filter(action="cms.page.restore").count() == 1


def test_restore_refuses_another_pages_revision(people, page):
    other = Page.objects.get(slug="kium/guide").revisions.get()
    with pytest.raises(BoardsError):
        restore_revision(actor=people.city_officer(), page=page, revision=other)


def test_set_published_is_audited(people, page):
    set_published(actor=people.city_officer(), page=page, published=False)
    page.refresh_from_db()
    assert not page.is_published
    assert AuditEntry.objects.filter(action="cms.page.unpublish").count() == 1


def test_model_save_sanitises_too(page):
    page.body = '<p onclick="x()">글</p>'
    page.save()
    page.refresh_from_db()
    assert page.body == "<p>글</p>"
