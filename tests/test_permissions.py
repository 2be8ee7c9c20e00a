"""The permission matrix: every URL the project has × every kind of user → the expected status.

Adding a URL without adding it to the matrix fails `test_every_url_is_in_the_matrix`."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from committee.models import User
from tests.matrix import ROLES, USERNAMES, deputy_membership, every, row, street
from tests.matrix_activities import ROWS as ACTIVITIES
from tests.matrix_ballots import ROWS as BALLOTS
from tests.matrix_calendar import ROWS as CALENDAR
from tests.matrix_chapter8 import ROWS as CHAPTER8
from tests.matrix_constituent_reports import ROWS as CONSTITUENT_REPORTS
from tests.matrix_council import ROWS as COUNCIL
from tests.matrix_deputies import ROWS as DEPUTIES
from tests.matrix_documents import ROWS as DOCUMENTS
from tests.matrix_duties import ROWS as DUTIES
from tests.matrix_governance import ROWS as GOVERNANCE
from tests.matrix_livelihood import ROWS as LIVELIHOOD
from tests.matrix_loop import ROWS as LOOP
from tests.matrix_meetings import ROWS as MEETINGS
from tests.matrix_micro import ROWS as MICRO
from tests.matrix_notices import ROWS as NOTICES
from tests.matrix_stations import ROWS as STATIONS
from tests.matrix_suggestions import ROWS as SUGGESTIONS

# Admin pages are Django's own, guarded by is_staff; the matrix covers its entry point only.
EXCLUDED_NAMESPACES = {"admin"}

CORE = {
    "home": (lambda: reverse("home"), every(200)),
    "login": (lambda: reverse("login"), every(200, anonymous=200)),
    "logout": (lambda: reverse("logout"), every(405)),  # POST only
    "password_change": (lambda: reverse("password_change"), every(200)),
    "password_change_done": (lambda: reverse("password_change_done"), every(200)),
    "healthz": (lambda: reverse("healthz"), every(200, anonymous=200)),
    "committee:street_list": (
        lambda: reverse("committee:street_list"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200),
    ),
    "committee:street_detail": (
        lambda: reverse("committee:street_detail", args=[street().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=200),
    ),
    "committee:person_list": (
        lambda: reverse("committee:person_list"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200),
    ),
    "committee:person_add": (
        lambda: reverse("committee:person_add"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "committee:person_edit": (
        lambda: reverse("committee:person_edit", args=[deputy_membership().pk]),
        row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "committee:membership_end": (
        lambda: reverse("committee:membership_end", args=[deputy_membership().pk]),
        row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "committee:audit_list": (
        lambda: reverse("committee:audit_list"),
        row(staff=403, other_staff=403, director=200, deputy=403, handling_unit=403, city=200),
    ),
    "committee:chapter_detail": (lambda: reverse("committee:chapter_detail", args=[3]), every(200)),
    "admin:index": (lambda: reverse("admin:index"), every(302)),
}

# Each area keeps its rows in tests/matrix_<area>.py; merge them here.
MATRIX = {
    **CORE,
    **CHAPTER8,
    **DOCUMENTS,
    **NOTICES,
    **ACTIVITIES,
    **LOOP,
    **MEETINGS,
    **BALLOTS,
    **CALENDAR,
    **COUNCIL,
    **SUGGESTIONS,
    **DEPUTIES,
    **LIVELIHOOD,
    **GOVERNANCE,
}
MATRIX |= DUTIES  # deputies.records
MATRIX |= CONSTITUENT_REPORTS  # deputies.reports
MATRIX |= MICRO  # livelihood_votes.micro
MATRIX |= STATIONS  # liaison_stations


def _named_urls(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace not in EXCLUDED_NAMESPACES:
                yield from _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    missing = set(_named_urls()) - set(MATRIX)
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


def _user_for(role: str) -> User | None:
    return None if role == "anonymous" else User.objects.get(username=USERNAMES[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, demo_data, name, role):
    url_for, expected = MATRIX[name]
    user = _user_for(role)
    if user is not None:
        client.force_login(user, backend="committee.auth.MobileOrUsernameBackend")
    response = client.get(url_for())
    assert response.status_code == expected[role], f"{role} GET {name}"
    if response.status_code == 302 and role == "anonymous" and name != "admin:index":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("role", "expected"), [("other_staff", 404), ("city", 403), ("deputy", 403), ("staff", 302)])
def test_writes_follow_the_same_rules(client, demo_data, role, expected):
    """City users read every street but change nothing; another street's object stays a 404 on POST."""
    membership = deputy_membership()
    client.force_login(_user_for(role), backend="committee.auth.MobileOrUsernameBackend")
    response = client.post(
        reverse("committee:membership_end", args=[membership.pk]), {"ended_on": membership.started_on.isoformat()}
    )
    assert response.status_code == expected
    membership.refresh_from_db()
    assert (membership.ended_on is not None) == (expected == 302)
