"""django-csp's middleware with the policy text kept between requests.

django-csp builds the Content-Security-Policy header anew for every response (settings
read, dataclasses turned into dicts, directives joined) — about a tenth of a millisecond
on every page and every API call, for a text that only changes with the settings. Kium
uses neither nonces nor per-view policy changes, so the text is built once per process
(again when a test changes the setting) and the library's own code still handles any
response that does ask for something special.
"""

from __future__ import annotations

import functools
import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

# What a view or decorator sets on a response to change its policy (django-csp 4).
_CUSTOMISING = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)


@functools.cache
def _policy(report_only: bool) -> str:
    return build_policy(report_only=report_only)


def _forget_policy(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


setting_changed.connect(_forget_policy)


class CSPMiddleware(LibraryCSPMiddleware):
    def process_response(self, request, response):
        if self._needs_library(request, response):
            return super().process_response(request, response)
        self._set(request, response, HEADER, _policy(False), "CONTENT_SECURITY_POLICY", "")
        self._set(
            request,
            response,
            HEADER_REPORT_ONLY,
            _policy(True),
            "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            "_ro",
        )
        # As the library does: a nonce asked for after the header is written is an error.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _needs_library(request, response) -> bool:
        debug_page = settings.DEBUG and response.status_code in (
            http.client.INTERNAL_SERVER_ERROR,
            http.client.NOT_FOUND,
        )
        nonce_used = isinstance(getattr(request, "_csp_nonce", None), str)
        customised = any(getattr(response, name, None) is not None for name in _CUSTOMISING)
        return debug_page or nonce_used or customised

    @staticmethod
    def _set(request, response, header: str, text: str, setting: str, suffix: str) -> None:
        if not text or header in response or getattr(response, f"_csp_exempt{suffix}", False):
            return
        prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
        if request.path_info.startswith(tuple(prefixes)):
            return
        response[header] = text
