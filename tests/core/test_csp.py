"""core/csp.py: the same Content-Security-Policy header as django-csp's own middleware,
built once instead of on every response."""

from __future__ import annotations

import pytest
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from kium.core import csp

HEADER = "Content-Security-Policy"


def _through(middleware_class, view, path="/"):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    return middleware(request)


def _page(request):
    return HttpResponse("ok")


@pytest.mark.parametrize("path", ["/", "/api/v1/health"])
def test_the_header_is_the_librarys(path):
    ours = _through(csp.CSPMiddleware, _page, path)
    theirs = _through(LibraryCSPMiddleware, _page, path)
    assert ours[HEADER] == theirs[HEADER]
    assert "default-src 'self'" in ours[HEADER]
    assert "Content-Security-Policy-Report-Only" not in ours


def test_a_changed_setting_changes_the_header(settings):
    before = _through(csp.CSPMiddleware, _page)[HEADER]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    after = _through(csp.CSPMiddleware, _page)[HEADER]
    assert before != after
    assert after == "default-src 'none'"


def test_a_report_only_policy_is_sent_too(settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"script-src": ["'self'"]}}
    ours = _through(csp.CSPMiddleware, _page)["Content-Security-Policy-Report-Only"]
    assert ours == _through(LibraryCSPMiddleware, _page)["Content-Security-Policy-Report-Only"]
    assert "script-src 'self'" in ours


def test_per_view_changes_and_exemptions_behave_as_in_the_library():
    updated = _through(csp.CSPMiddleware, csp_update({"img-src": ["https://example.org"]})(_page))
    assert "https://example.org" in updated[HEADER]
    assert HEADER not in _through(csp.CSPMiddleware, csp_exempt()(_page))


def test_excluded_prefixes_get_no_header(settings):
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": ["/media/"],
    }
    assert HEADER not in _through(csp.CSPMiddleware, _page, "/media/x.png")
    assert HEADER in _through(csp.CSPMiddleware, _page, "/")


def test_a_nonce_asked_for_after_the_header_is_an_error():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    csp.CSPMiddleware(_page)(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
