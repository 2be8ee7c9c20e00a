"""Strict reading of environment variables.

A wrong value stops start-up with a message that names the variable, what was
given and what is expected. (django-environ silently reads an unknown boolean as
False, which is the failure this module exists to prevent; see docs/decisions.md.)
"""

import datetime
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def string(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = _raw(name)
    if value:
        return value
    if required:
        raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
    return default or ""


def boolean(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off."
    )


def integer(name: str, default: int) -> int:
    value = _raw(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} is not a whole number.") from None


def strings(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def dates(name: str) -> list[datetime.date]:
    """Comma-separated ISO dates (2026-10-09,2026-10-10)."""
    result = []
    for item in strings(name, []):
        try:
            result.append(datetime.date.fromisoformat(item))
        except ValueError:
            raise ImproperlyConfigured(
                f"Environment variable {name}: {item!r} is not a date like 2026-10-09."
            ) from None
    return result
