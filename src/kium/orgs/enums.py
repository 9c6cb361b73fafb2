from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilityType(models.TextChoices):
    """ORG-2: the four facility types and their code letters."""

    KIUM = "UK", _("우리동네키움센터")
    COMMUNITY = "CC", _("열린육아방·공동육아나눔터")
    LOCAL_CHILD = "GI", _("지역아동센터")
    KIDS_CAFE = "SK", _("서울형 키즈카페")


class FacilityKind(models.TextChoices):
    GENERAL = "general", _("일반형")
    FUSION = "fusion", _("융합형")
    HUB = "hub", _("거점형")


class AgeGroup(models.TextChoices):
    INFANT = "infant", _("영유아")
    KINDERGARTEN = "kindergarten", _("유치원생")
    ELEMENTARY = "elementary", _("초등학생")
    MIDDLE = "middle", _("중학생")
    ELEMENTARY_MIDDLE = "elementary_middle", _("초중생")


class ScopeLevel(models.TextChoices):
    """ACC-5: how far a role assignment reaches."""

    CITY = "city", _("서울시 전체")
    DISTRICT = "district", _("자치구")
    FACILITY = "facility", _("시설")


class DepartmentLevel(models.TextChoices):
    CITY = "city", _("서울시")
    DISTRICT = "district", _("자치구")
    FACILITY_TYPE = "facility_type", _("시설유형")
    FACILITY = "facility", _("시설")


class Duty(models.TextChoices):
    """담당업무 on the staff sign-up form."""

    KIUM = "kium", _("우리동네키움센터")
    COMMUNITY = "community", _("열린육아방·공동육아나눔터")
    LOCAL_CHILD = "local_child", _("지역아동센터")
    KIDS_CAFE = "kids_cafe", _("서울형 키즈카페")
    GUIDE = "guide", _("보육반장")
    GENERAL = "general", _("총괄")
