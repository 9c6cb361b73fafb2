"""관심시설: the few places a guardian opens again and again (DOMAIN.md: "no favourites").

Only guardians keep favourites; adding one twice or removing one that is not there
changes nothing (a double-clicked button must not fail). A guardian keeps at most
``MAX_FAVOURITES``: the list is a shortcut, not a second search.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kium.centres.domain.errors import FORBIDDEN, CentresError
from kium.centres.domain.finder import annotate_today, public_facilities
from kium.centres.models import FavouriteFacility
from kium.core.audit import log_action
from kium.core.locking import locked
from kium.orgs.models import Facility

MAX_FAVOURITES = 20
TOO_MANY = "too_many_favourites"


def _require_guardian(user) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_guardian:
        raise CentresError(FORBIDDEN, _("관심시설은 보호자 회원만 등록할 수 있습니다."))


def is_favourite(*, user, facility: Facility) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_guardian:
        return False
    return FavouriteFacility.objects.filter(user=user, facility=facility).exists()


def add_favourite(*, user, facility: Facility) -> FavouriteFacility:
    """Keep ``facility`` among the guardian's 관심시설; the existing row if already kept."""
    _require_guardian(user)
    # The user's own lock: two tabs adding at once cannot pass the limit together.
    with locked(f"favourites:{user.pk}"):
        existing = FavouriteFacility.objects.filter(user=user, facility=facility).first()
        if existing is not None:
            return existing
        if FavouriteFacility.objects.filter(user=user).count() >= MAX_FAVOURITES:
            raise CentresError(
                TOO_MANY,
                _(
                    "관심시설은 %(max)d곳까지 등록할 수 있습니다. "
                    "관심시설 목록에서 필요 없는 시설을 지운 뒤 다시 등록해 주세요."
                )
                % {"max": MAX_FAVOURITES},
            )
        try:
            with transaction.atomic():
                favourite = FavouriteFacility.objects.create(user=user, facility=facility)
        except IntegrityError:  # the same pair from a request that won a race
            return FavouriteFacility.objects.get(user=user, facility=facility)
        log_action(
            actor=user,
            action="favourite.add",
            obj=favourite,
            after={"facility": facility.code},
        )
        return favourite


def remove_favourite(*, user, facility: Facility) -> bool:
    """Drop ``facility`` from the guardian's 관심시설; False when it was not kept."""
    _require_guardian(user)
    with transaction.atomic():
        favourite = FavouriteFacility.objects.filter(user=user, facility=facility).first()
        if favourite is None:
            return False
        log_action(
            actor=user,
            action="favourite.remove",
            obj=favourite,
            before={"facility": facility.code},
        )
        favourite.delete()
        return True


def favourite_facilities(*, user, day: dt.date) -> QuerySet[Facility]:
    """The guardian's 관심시설, newest first, annotated for today's free places.

    One query whatever the length; ``finder.free_places_today(row, day)`` reads a row.
    """
    _require_guardian(user)
    rows = (
        public_facilities()
        .filter(favoured_by__user=user)
        .order_by("-favoured_by__created_at", "-favoured_by__pk")
    )
    return annotate_today(rows, day)
