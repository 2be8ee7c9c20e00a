"""List pages and dashboards run a fixed number of queries, however much data there is."""

import pytest
from django.urls import reverse

from committee import services
from committee.compliance import registry
from committee.compliance.cache import invalidate_all
from committee.models import User
from committee.roles import Role


@pytest.fixture
def more_people(staff_user, street):
    """Enough extra rows (and audit entries) that an N+1 would show."""
    for serial in range(30):
        services.person_add(
            by=staff_user,
            street=street,
            full_name=f"测试{serial}",
            mobile=f"1370000{serial:04d}",
            role=Role.COUNCIL_MEMBER,
        )


# Queries: session, user, memberships (+ the page's own, counted in each test).
@pytest.mark.parametrize(
    ("username", "url_name", "queries"),
    [
        # Home: the leadership grid costs one query per compliance rule; each to-do provider that concerns the
        # person one more (meetings to answer: everyone, as anyone may be invited; staff: cases to assign, overdue
        # cases, the holiday arrangement, the council members' selection, drafts to consult, claims and corrections
        # to review; deputies: drafts sent back, invitations to co-sign, residents' messages waiting for an answer;
        # unit: its cases, most urgent first, with their count in the same query).
        # Livelihood projects: staff +3 (candidates to screen, projects without progress, micro projects to assess),
        # unit +1 (progress due). 12345 reports (livelihood_votes.governance): staff and deputies +1 (overdue
        # outcomes, outcomes to rate). Station rota swaps (liaison_stations): staff +1 (swaps to approve), deputies
        # +1 (swaps asking them).
        ("wangchunmen_staff", "home", "4 + rules + 12"),
        ("xiangxiang_city", "home", "4 + rules + 1"),
        # A deputy's "我的履职" (deputies.records): one query a duty source (12, with micro-project checks, 12345
        # reports, the stations' receptions and reports to constituents), the year's point rules, the claims waiting
        # for confirmation; my latest suggestions (deputies.suggestions), my reports to constituents (deputies.reports)
        # and my 码上找代表 page (deputies); my coming station duty from the rota (liaison_stations) and the to-do of
        # swaps asking me.
        ("wangchunmen_deputy", "home", 8 + 14 + 3 + 2),
        ("wangchunmen_handling_unit", "home", 7),
        ("wangchunmen_staff", "committee:street_list", 5),
        ("xiangxiang_city", "committee:street_list", 5),
        ("wangchunmen_staff", "committee:person_list", 6),
        ("xiangxiang_city", "committee:person_list", 6),
        ("wangchunmen_director", "committee:audit_list", 6),
        ("xiangxiang_city", "committee:audit_list", 6),
    ],
)
def test_list_pages_have_a_fixed_query_count(
    client, more_people, django_assert_num_queries, username, url_name, queries
):
    if isinstance(queries, str):
        queries = 4 + len(registry.rules()) + int(queries.rsplit("+", 1)[1])
    client.force_login(User.objects.get(username=username), backend="committee.auth.MobileOrUsernameBackend")
    client.get(reverse(url_name))  # per-process caches (the holiday calendar) filled, whatever ran before
    invalidate_all()  # but the compliance grid computed afresh: "rules" counts its queries (cached: test_compliance_scale)
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
