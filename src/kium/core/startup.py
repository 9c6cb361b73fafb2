"""Production refuses to start with unsafe settings (DESIGN rule 10)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def unsafe_production_settings() -> list[str]:
    problems: list[str] = []
    if not settings.SECRET_KEY or len(settings.SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if settings.DEBUG:
        problems.append("DEBUG must be off")
    if not settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the public host names")
    if settings.KIUM_SMS_PROVIDER in settings.DEVELOPMENT_ONLY_PROVIDERS:
        problems.append(f"KIUM_SMS_PROVIDER={settings.KIUM_SMS_PROVIDER!r} is for development only")
    if settings.KIUM_SMS_PROVIDER == "solapi" and not (
        settings.KIUM_SOLAPI_API_KEY
        and settings.KIUM_SOLAPI_API_SECRET
        and settings.KIUM_SMS_SENDER
    ):
        problems.append(
            "the solapi SMS provider needs KIUM_SOLAPI_API_KEY, _SECRET and KIUM_SMS_SENDER"
        )
    if "console" in settings.EMAIL_BACKEND or "locmem" in settings.EMAIL_BACKEND:
        problems.append("EMAIL_BACKEND must be a real mail backend")
    if getattr(settings, "KIUM_BENCH_ENDPOINTS", False):
        problems.append("KIUM_BENCH_ENDPOINTS must be off (benchmark baselines only)")
    return problems


def refuse_unsafe_production_settings() -> None:
    if not settings.PRODUCTION:
        return
    problems = unsafe_production_settings()
    if problems:
        raise ImproperlyConfigured("Kium refuses to start: " + "; ".join(problems))
