"""What every page needs: the menus the user holds and a few settings."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    from kium.orgs.menus import PUBLIC_MENUS, backoffice_menus_for

    context = {
        "PUBLIC_MENUS": PUBLIC_MENUS,
        "KIUM_BACKOFFICE_IDLE_SECONDS": settings.KIUM_BACKOFFICE_IDLE_SECONDS,
    }
    if request.path.startswith("/admin/"):
        context["BACKOFFICE_MENUS"] = backoffice_menus_for(getattr(request, "user", None))
    return context
