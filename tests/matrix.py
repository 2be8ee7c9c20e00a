"""Helpers for the permission matrix (tests/test_permissions.py). Each area keeps its rows in
tests/matrix_<area>.py as a dict: URL name → (a function returning the URL, {role: expected GET status}).
Object URLs point at 望春门's objects; `other_staff` is 新湘路's staff member (→ 404)."""

from committee.models import Membership, Street

ROLES = ("anonymous", "staff", "other_staff", "director", "deputy", "handling_unit", "city")

# The demo account that plays each role of the matrix.
USERNAMES = {
    "staff": "wangchunmen_staff",
    "other_staff": "xinxianglu_staff",
    "director": "wangchunmen_director",
    "deputy": "wangchunmen_deputy",
    "handling_unit": "wangchunmen_handling_unit",
    "city": "xiangxiang_city",
}


def every(status, anonymous=302):
    """The same status for every signed-in role (anonymous users are sent to log in)."""
    return {role: (anonymous if role == "anonymous" else status) for role in ROLES}


def row(anonymous=302, **statuses):
    """One status per role; every signed-in role must be named."""
    assert set(statuses) == set(ROLES) - {"anonymous"}, f"every role needs a status: {statuses}"
    return {"anonymous": anonymous, **statuses}


def street():
    return Street.objects.get(slug="wangchunmen")


def deputy_membership():
    return Membership.objects.get(user__username="wangchunmen_deputy100")
