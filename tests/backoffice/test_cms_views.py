"""CMS > 콘텐츠 관리: list, edit with preview, publish, revisions and restore."""

import pytest
from django.urls import reverse

from kium.boards.models import Page
from tests.backoffice.conftest import assert_login_redirect


@pytest.fixture
def page(db):
    return Page.objects.get(slug="kium/guide")


@pytest.fixture
def officer(people):
    return people.city_officer(name="김시청")


def test_list_groups_pages_by_menu_with_editor(login, officer, page, client):
    client = login(officer)
    client.post(
        reverse("backoffice:cms_page_edit", args=[page.pk]),
        {"title": page.title, "body": "<p>바뀜</p>", "action": "save"},
    )
    html = client.get(reverse("backoffice:cms_pages")).content.decode()
    for menu in ("초등돌봄", "영유아돌봄", "서울형 키즈카페", "예약신청", "홍보·자료"):
        assert f">{menu}</h2>" in html
    assert "김시청" in html and "수정일시" in html


def test_edit_shows_on_the_portal(login, officer, page, client):
    url = reverse("backoffice:cms_page_edit", args=[page.pk])
    response = login(officer).post(
        url,
        {
            "title": "새 이용안내",
            "body": "<p>새로 쓴 안내</p><script>x()</script>",
            "action": "save",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    client.logout()
    html = client.get("/info/kium/guide/").content.decode()
    assert "새로 쓴 안내" in html and "새 이용안내" in html
    assert "x()" not in html


def test_preview_shows_sanitised_html_without_saving(login, officer, page):
    before = page.body
    response = login(officer).post(
        reverse("backoffice:cms_page_edit", args=[page.pk]),
        {"title": page.title, "body": '<p onclick="x()">미리 본 글</p>', "action": "preview"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<p>미리 본 글</p>" in html and "onclick" not in html.split("kium-cms-body", 1)[1]
    page.refresh_from_db()
    assert page.body == before


def test_empty_title_gets_a_message_and_keeps_the_body(login, officer, page):
    response = login(officer).post(
        reverse("backoffice:cms_page_edit", args=[page.pk]),
        {"title": "", "body": "<p>쓰던 글</p>", "action": "save"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "제목을 입력해 주세요." in html
    assert "&lt;p&gt;쓰던 글&lt;/p&gt;" in html


def test_unpublish_hides_the_page(login, officer, page, client):
    response = login(officer).post(
        reverse("backoffice:cms_page_publish", args=[page.pk]), {"published": "0"}
    )
    assert response.status_code == 302
    assert client.get("/info/kium/guide/").status_code == 404
    client.post(reverse("backoffice:cms_page_publish", args=[page.pk]), {"published": "1"})
    assert client.get("/info/kium/guide/").status_code == 200


def test_revision_compare_and_restore(login, officer, page):
    client = login(officer)
    original = page.body
    client.post(
        reverse("backoffice:cms_page_edit", args=[page.pk]),
        {"title": page.title, "body": "<p>잘못 고친 글</p>", "action": "save"},
    )
    html = client.get(reverse("backoffice:cms_revisions", args=[page.pk])).content.decode()
    assert "김시청" in html and "2 (현재)" in html
    rev_url = reverse("backoffice:cms_revision", args=[page.pk, 1])
    compare = client.get(rev_url).content.decode()
    assert "+&lt;p&gt;잘못 고친 글&lt;/p&gt;" in compare
    response = client.post(rev_url)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.body == original
    assert page.revisions.count() == 3


def test_unknown_page_or_revision_is_404(login, officer, page):
    client = login(officer)
    assert client.get(reverse("backoffice:cms_page_edit", args=[999999])).status_code == 404
    assert client.get(reverse("backoffice:cms_revision", args=[page.pk, 99])).status_code == 404


def test_anonymous_goes_to_the_backoffice_login(client, page):
    for url in (
        reverse("backoffice:cms_pages"),
        reverse("backoffice:cms_page_edit", args=[page.pk]),
        reverse("backoffice:cms_revisions", args=[page.pk]),
    ):
        assert_login_redirect(client.get(url), url)
    response = client.post(reverse("backoffice:cms_page_publish", args=[page.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    page.refresh_from_db()
    assert page.is_published


@pytest.mark.parametrize("make", ["district_officer", "guardian"])
def test_non_city_users_get_403_and_change_nothing(people, login, page, make):
    client = login(getattr(people, make)())
    assert client.get(reverse("backoffice:cms_pages")).status_code == 403
    edit = reverse("backoffice:cms_page_edit", args=[page.pk])
    response = client.post(edit, {"title": "해킹", "body": "", "action": "save"})
    assert response.status_code == 403
    response = client.post(
        reverse("backoffice:cms_page_publish", args=[page.pk]), {"published": "0"}
    )
    assert response.status_code == 403
    page.refresh_from_db()
    assert page.title != "해킹" and page.is_published


def test_centre_manager_gets_403(people, login, nw, page):
    client = login(people.centre_manager(nw))
    assert client.get(reverse("backoffice:cms_page_edit", args=[page.pk])).status_code == 403
