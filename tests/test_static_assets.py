"""The look's contract: vendored assets, the static files the shells load, no inline code.

- Every /static/ file a rendered page references exists, and so does every file those
  stylesheets reference in turn (fonts, icons), so production's manifest storage can
  hash them.
- No template carries inline script, inline style or inline event handlers: the CSP
  (script-src 'self', style-src 'self') would block them.
- The back-office shell carries the markup kium.js hooks onto (menus, side navigation,
  idle warning).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template import RequestContext, Template, loader
from django.test import RequestFactory

ROOT = Path(settings.PROJECT_DIR)
TEMPLATE_DIRS = sorted(p for p in (ROOT / "src" / "kium").rglob("templates") if p.is_dir())
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"src", "href"} and value and value.startswith(settings.STATIC_URL):
                self.urls.append(value)


def static_urls(html: str) -> list[str]:
    collector = _AssetCollector()
    collector.feed(html)
    return collector.urls


def _relative_refs(css_text: str) -> list[str]:
    refs = []
    for ref in CSS_URL.findall(css_text):
        if ref.startswith(("data:", "http:", "https:", "//", "#", "/")):
            continue
        refs.append(urldefrag(ref)[0])
    return refs


def missing_static(urls: list[str]) -> list[str]:
    """Static paths that no finder has, following stylesheets' url() references."""
    missing, seen = [], set()
    queue = [u[len(settings.STATIC_URL) :].split("?")[0] for u in urls]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        found = finders.find(path)
        if not found:
            missing.append(path)
            continue
        if path.endswith(".css"):
            text = Path(found).read_text(encoding="utf-8")
            queue.extend(urljoin(path, ref) for ref in _relative_refs(text))
    return missing


# --- pages of the public shell ---------------------------------------------------------


@pytest.mark.django_db
def test_home_page_static_files_exist(client):
    response = client.get("/")
    assert response.status_code == 200
    urls = static_urls(response.content.decode())
    for needed in (
        "vendor/krds/krds.min.css",
        "vendor/pretendard/pretendardvariable-gov-dynamic-subset.css",
        "kium/kium.css",
        "vendor/htmx/htmx.min.js",
        "kium/kium.js",
    ):
        assert f"{settings.STATIC_URL}{needed}" in urls
    assert missing_static(urls) == []


@pytest.mark.django_db
def test_not_found_page_static_files_exist(client):
    response = client.get("/there-is-no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "페이지를 찾을 수 없습니다" in html
    urls = static_urls(html)
    assert f"{settings.STATIC_URL}kium/kium.css" in urls
    assert missing_static(urls) == []


@pytest.mark.django_db
def test_conflict_page_static_files_exist():
    request = RequestFactory().get("/some/form/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = loader.render_to_string(
        "errors/409.html", {"message": "다른 사용자가 먼저 저장했습니다."}, request=request
    )
    assert "다른 사용자가 먼저 저장했습니다." in html
    assert 'href="/some/form/"' in html  # reload the page, keep what the URL says
    assert missing_static(static_urls(html)) == []


def test_server_error_page_needs_no_database_and_no_context():
    """No db fixture: a database query here would fail the test."""
    html = loader.get_template("errors/500.html").render({})
    assert "일시적인 오류가 발생했습니다" in html
    assert "2133-4947" in html
    assert missing_static(static_urls(html)) == []


def test_server_error_handler_renders_korean_page_without_database():
    from kium.core.views import server_error

    response = server_error(RequestFactory().get("/boom/"))
    assert response.status_code == 500
    assert "일시적인 오류가 발생했습니다" in response.content.decode()


@pytest.mark.django_db
def test_backoffice_login_page_static_files_exist(client):
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("backoffice:login")
    except NoReverseMatch:  # the login screen is another piece of work
        pytest.skip("backoffice:login is not registered yet")
    response = client.get(url)
    assert response.status_code == 200
    urls = static_urls(response.content.decode())
    assert f"{settings.STATIC_URL}kium/kium.js" in urls
    assert missing_static(urls) == []


def test_missing_static_finds_a_broken_reference(tmp_path, settings):
    """The checker itself: a stylesheet pointing at a missing icon is reported."""
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "a.css").write_text(".x{background:url(img/nope.svg)}")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    finders.get_finder.cache_clear()
    try:
        assert missing_static(["/static/broken/a.css"]) == ["broken/img/nope.svg"]
    finally:
        finders.get_finder.cache_clear()


# --- vendored assets ---------------------------------------------------------------------


def test_vendored_versions_match_package_json():
    pins = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    lines = (ROOT / "static" / "vendor" / "VERSIONS.txt").read_text().splitlines()
    vendored = dict(line.rsplit("@", 1) for line in lines if line and not line.startswith("#"))
    assert vendored == pins


def test_vendored_files_and_licences_are_present():
    vendor = ROOT / "static" / "vendor"
    for path in (
        "krds/krds.min.css",
        "krds/krds.min.js",
        "pretendard/pretendardvariable-gov-dynamic-subset.css",
        "htmx/htmx.min.js",
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/images/marker-icon.png",
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MarkerCluster.css",
        "leaflet.markercluster/MarkerCluster.Default.css",
        "chartjs/chart.umd.min.js",
    ):
        assert (vendor / path).is_file(), path
    for package in ("krds", "pretendard", "htmx", "leaflet", "leaflet.markercluster", "chartjs"):
        assert list((vendor / package).glob("LICENSE*")), package
    # Source maps stay out (the manifest storage would chase their references).
    assert not list(vendor.rglob("*.map"))
    for script in vendor.rglob("*.js"):
        assert "sourceMappingURL" not in script.read_text(encoding="utf-8"), script


def test_krds_icons_are_served_from_here_not_from_krds_go_kr():
    css = (ROOT / "static" / "vendor" / "krds" / "krds.min.css").read_text(encoding="utf-8")
    assert "krds.go.kr" not in css  # the CSP allows images only from 'self'
    assert missing_static(["/static/vendor/krds/krds.min.css"]) == []


def test_production_static_storage_can_hash_every_file(tmp_path, settings):
    """collectstatic with the manifest storage fails on any dangling reference."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "kium/kium.css" in manifest
    assert "vendor/krds/img/component/icon/ico_angle.svg" in manifest


# --- no inline code in templates ---------------------------------------------------------

SCRIPT_BODY = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
INLINE_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
HX_ON = re.compile(r"\shx-on[:\-]", re.IGNORECASE)


def _templates() -> list[Path]:
    files = [p for d in TEMPLATE_DIRS for p in d.rglob("*.html")]
    assert files, "no templates found"
    return files


def test_no_inline_scripts_in_templates():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _templates()
        if any(body.strip() for body in SCRIPT_BODY.findall(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_no_inline_styles_in_templates():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        if INLINE_STYLE_ATTR.search(text) or STYLE_TAG.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_inline_event_handlers_in_templates():
    """onclick=… and hx-on need inline script, which the CSP forbids."""
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        if EVENT_HANDLER.search(text) or HX_ON.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize(
    ("snippet", "pattern"),
    [
        ("<script>alert(1)</script>", SCRIPT_BODY),
        ('<p style="color:red">', INLINE_STYLE_ATTR),
        ("<style>p{}</style>", STYLE_TAG),
        ('<button onclick="go()">', EVENT_HANDLER),
        ('<div hx-on:click="go()">', HX_ON),
    ],
)
def test_inline_code_patterns_catch_offenders(snippet, pattern):
    match = pattern.search(snippet)
    assert match and (pattern is not SCRIPT_BODY or match.group(1).strip())


# --- the back-office shell: markup kium.js relies on ---------------------------------------

SHELL = Template(
    '{% extends "backoffice/base.html" %}{% block bo_content %}<h1>본문</h1>{% endblock %}'
)


def render_shell(user, path="/admin/somewhere/", **context) -> str:
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    return SHELL.render(RequestContext(request, context))


@pytest.mark.django_db
def test_backoffice_shell_shows_only_held_top_menus_and_the_idle_warning(people):
    centre = people.facility("NW")
    user = people.staff(role="센터관리자_우리동네키움센터", facility_obj=centre, name="박센터")
    html = render_shell(user)
    assert "박센터" in html
    nav = html.split('class="bo-menu"', 1)[1].split("</nav>", 1)[0]
    assert "예약관리" in nav and "통계관리" in nav
    assert "조직관리" not in nav  # a centre manager does not hold the organisation menu
    assert "시스템운영관리" not in nav
    assert 'data-idle-seconds="1800"' in html
    assert 'data-extend-url="/admin/session/extend"' in html
    assert 'data-expired-url="/admin/login/?expired=1"' in html
    assert 'id="kium-idle-modal"' in html
    assert "30분 동안 사용하지 않아 곧 로그아웃됩니다" in html
    assert "data-idle-extend" in html
    assert missing_static(static_urls(html)) == []


@pytest.mark.django_db
def test_backoffice_shell_lists_eight_top_menus_for_the_city_and_builds_the_side_menu(people):
    user = people.staff(role="총괄운영", city=True)
    html = render_shell(user, active_top="org", active_item="org.staff")
    nav = html.split('class="bo-menu"', 1)[1].split("</nav>", 1)[0]
    for label in (
        "조직관리",
        "사용자관리",
        "예약관리",
        "게시판관리",
        "홈페이지관리",
        "CMS",
        "시스템운영관리",
        "통계관리",
    ):
        assert label in nav
    side = html.split('class="krds-side-navigation bo-side"', 1)[1].split("</nav>", 1)[0]
    assert "부서 관리" in side and "보육반장 코드 관리" in side
    assert "예약신청관리" not in side  # only the active top menu's items
    assert 'aria-current="page"' in side
    crumbs = html.split('class="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    assert "관리자 홈" in crumbs and "조직관리" in crumbs and "담당자 관리" in crumbs


@pytest.mark.django_db
def test_backoffice_shell_prefers_the_side_menu_a_view_passes(people):
    user = people.staff(role="총괄운영", city=True)
    side_menu = {
        "label": "맞춤 메뉴",
        "items": [{"href": "/admin/x/", "label": "첫 항목", "code": "x"}],
    }
    html = render_shell(user, side_menu=side_menu, active_item="x")
    side = html.split('class="krds-side-navigation bo-side"', 1)[1].split("</nav>", 1)[0]
    assert "맞춤 메뉴" in side
    assert 'href="/admin/x/"' in side and 'aria-current="page"' in side
    assert "부서 관리" not in side


@pytest.mark.django_db
def test_backoffice_shell_for_anonymous_has_no_idle_warning(client):
    from django.contrib.auth.models import AnonymousUser

    html = render_shell(AnonymousUser())
    assert "data-idle-seconds" not in html
    assert "kium-idle-modal" not in html
    assert "bo-menu" not in html
