"""``backoffice_view``: the one gate in front of every back-office page.

* anonymous → the back-office login, with ``next`` so they come back;
* signed in but not a back-office user (a guardian, a pending, rejected or disabled
  staff account) → 403 page;
* a back-office user without the page's menu → 403 page.

Objects outside the user's scope are a separate matter: views fetch them through the
``..._for_user()`` queries and answer 404.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kium.orgs.domain.scope import has_menu, is_backoffice_user, scope_for

# Used only until the back-office login page is wired in (backoffice:login).
FALLBACK_LOGIN_PATH = "/admin/login/"


def login_url() -> str:
    try:
        return reverse("backoffice:login")
    except NoReverseMatch:
        return FALLBACK_LOGIN_PATH


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(
        request,
        "backoffice/forbidden.html",
        {
            "message": message
            or _("이 메뉴를 사용할 권한이 없습니다. 담당 관리자에게 문의해 주세요.")
        },
        status=403,
    )


def backoffice_view(menu_code: str | Iterable[str] | None = None) -> Callable:
    """Guard a view; ``menu_code`` may name one menu item or several (any of them)."""
    if menu_code is None:
        codes: tuple[str, ...] = ()
    elif isinstance(menu_code, str):
        codes = (menu_code,)
    else:
        codes = tuple(menu_code)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url())
            if not is_backoffice_user(user):
                return forbidden(request, _("관리자 페이지를 사용할 수 있는 계정이 아닙니다."))
            if codes and not any(has_menu(user, code) for code in codes):
                return forbidden(request)
            request.scope = scope_for(user)
            return view(request, *args, **kwargs)

        wrapped.menu_codes = codes  # type: ignore[attr-defined]
        return wrapped

    return decorator
