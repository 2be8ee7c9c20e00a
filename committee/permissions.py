"""The one way views reach street-owned data.

Another street's object answers 404 (indistinguishable from a missing one); a member of the
right street without the capability gets 403. See docs/architecture.md, "Tenancy".
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from committee.models import Street


def street_of(obj) -> Street:
    return obj if isinstance(obj, Street) else obj.street


def require(user, capability: str, street: Street) -> None:
    if not user.has_capability(capability, street):
        raise PermissionDenied


def get_for_user(queryset, user, capability: str, **lookup):
    """Fetch one object through its model's `for_user` scope, then check the capability in its street."""
    obj = get_object_or_404(queryset.for_user(user), **lookup)
    require(user, capability, street_of(obj))
    return obj


def streets_holding(user, capability: str) -> list[Street]:
    """The streets in which this user holds the capability (possibly none)."""
    return [
        street
        for street in Street.objects.for_user(user).select_related("municipality")
        if user.has_capability(capability, street)
    ]


def streets_where(user, capability: str) -> list[Street]:
    """The streets in which this user holds the capability; 403 when there are none."""
    streets = streets_holding(user, capability)
    if not streets:
        raise PermissionDenied
    return streets
