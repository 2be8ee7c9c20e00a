"""The one way views reach street-owned data.

Another street's object answers 404 (indistinguishable from a missing one); a member of the
right street without the capability gets 403. See docs/architecture.md, "Tenancy".
"""

from typing import NamedTuple

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
    holds = _holds(user, capability)
    return [street for street in Street.objects.for_user(user).select_related("municipality") if holds(street)]


def streets_where(user, capability: str) -> list[Street]:
    """The streets in which this user holds the capability; 403 when there are none."""
    streets = streets_holding(user, capability)
    if not streets:
        raise PermissionDenied
    return streets


class MunicipalityRef(NamedTuple):
    pk: int
    name: str


class StreetRef(NamedTuple):
    """A street as a page over hundreds of streets reads it: a tuple, not a model instance (504 streets with their
    municipality cost ~6 ms as instances, ~1 ms as tuples)."""

    pk: int
    name: str
    slug: str
    municipality_id: int
    municipality: MunicipalityRef

    def __str__(self):
        return self.name

    def instance(self) -> Street:
        """The street as a model instance, without a query (its other fields load when read)."""
        fields = ["id", "municipality_id", "name", "slug"]  # in the model's order
        return Street.from_db("default", fields, [self.pk, self.municipality_id, self.name, self.slug])


def street_refs_holding(user, *capabilities: str) -> dict[str, list[StreetRef]]:
    """`streets_holding` for many streets, as `StreetRef`s, for each capability: one query (the same scope)."""
    municipalities = {}
    refs = [
        StreetRef(
            pk,
            name,
            slug,
            municipality_id,
            municipalities.setdefault(municipality_id, MunicipalityRef(municipality_id, municipality_name)),
        )
        for pk, name, slug, municipality_id, municipality_name in Street.objects.for_user(user).values_list(
            "pk", "name", "slug", "municipality_id", "municipality__name"
        )
    ]
    return {capability: list(filter(_holds(user, capability), refs)) for capability in capabilities}


def _holds(user, capability: str):
    """`user.has_capability(capability, street)` for many streets: the memberships' places read once."""
    by_street, by_municipality = user._capabilities_by_place()
    streets = {pk for pk, held in by_street.items() if capability in held}
    municipalities = {pk for pk, held in by_municipality.items() if capability in held}
    return lambda street: street.pk in streets or street.municipality_id in municipalities
