"""Closed vocabularies of attendance (ATT-1, ATT-2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("사용")
    RETIRED = "retired", _("회수")


class TapEvent(models.TextChoices):
    CHECK_IN = "check_in", _("등원")
    CHECK_OUT = "check_out", _("하원")


# notify() events (kium.notifications: exempt from quiet hours).
ARRIVAL_EVENT = "attendance.arrived"
DEPARTURE_EVENT = "attendance.departed"
