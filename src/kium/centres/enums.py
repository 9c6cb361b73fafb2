from django.db import models
from django.utils.translation import gettext_lazy as _


class Term(models.TextChoices):
    """RES-4: the four usage quarters (이용분기) of a school year, in calendar order."""

    SEMESTER1 = "semester1", _("1학기")
    SUMMER_VACATION = "summer_vacation", _("여름방학")
    SEMESTER2 = "semester2", _("2학기")
    WINTER_VACATION = "winter_vacation", _("겨울방학")


# The API and the screens name quarters in Korean regardless of the request's language.
TERM_NAMES_KO: dict[str, str] = {
    "semester1": "1학기",
    "summer_vacation": "여름방학",
    "semester2": "2학기",
    "winter_vacation": "겨울방학",
}

TERM_ORDER: dict[str, int] = {value: index for index, value in enumerate(Term.values)}


class MealSupport(models.TextChoices):
    """FAC-2 급식·간식 지원: what a facility serves the children."""

    NONE = "none", _("없음")
    SNACK = "snack", _("간식")
    MEAL = "meal", _("급식")
    MEAL_AND_SNACK = "meal_snack", _("급식·간식")
