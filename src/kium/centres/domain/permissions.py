"""Who may change what (scope checks shared by the domain functions).

``actor=None`` is the system (migrations, seeds, tests' set-up) and may do everything.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kium.centres.domain.errors import FORBIDDEN, OUT_OF_SCOPE, CentresError
from kium.orgs.domain.scope import facilities_for_user, has_menu, scope_for

QUARTERS_MENU = "system.quarters"
HOLIDAYS_MENU = "system.holidays"


def require_city_menu(actor, menu: str) -> None:
    """Quarters and city-wide closures are the city's: a city scope holding the menu."""
    if actor is None:
        return
    if not (scope_for(actor).city and has_menu(actor, menu)):
        raise CentresError(FORBIDDEN, _("서울시 담당자만 변경할 수 있습니다."))


def require_facility(actor, facility) -> None:
    """A facility's own settings: staff whose scope covers it; others do not see it."""
    if actor is None:
        return
    if not facilities_for_user(actor).filter(pk=facility.pk).exists():
        raise CentresError(OUT_OF_SCOPE, _("시설을 찾을 수 없습니다."))
