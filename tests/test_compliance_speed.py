"""The dashboard's per-request work (issue 14): the cached grid holds plain strings (a lazy translation unpickles
by building a class, ~0.3 ms each), and the many-streets cells are rendered in Python with the same markup."""

import datetime

from django.template import Context, Template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from committee.compliance import cache as grid_cache
from committee.compliance import registry, selectors
from committee.compliance.registry import Result, Rule, Status
from committee.compliance.selectors import StreetRow

YEAR, QUARTER = 2026, 4


def test_the_cached_grid_holds_plain_strings_even_for_a_lazy_summary(street, monkeypatch):
    lazy = Rule(
        id="99(1)",
        description="test",
        period=registry.Period.YEAR,
        evaluate=lambda streets, window, today: {s.pk: Result(Status.MET, gettext_lazy("无")) for s in streets},
    )
    monkeypatch.setitem(registry._rules, lazy.id, lazy)
    stored = {}
    monkeypatch.setattr(grid_cache, "get_or_compute", lambda ids, period, compute: stored.setdefault("v", compute()))
    results = selectors.evaluate([street], YEAR, QUARTER, datetime.date(2026, 12, 1))
    assert results["99(1)"][street.pk] == Result(Status.MET, "无")
    # In brief: a string of status codes and one of summaries a street, plain str (no lazy translation).
    cached = stored["v"]
    assert cached["codes"] == {
        street.pk: "".join(selectors.CODE[r.status] for r in (results[rule.id][street.pk] for rule in registry.rules()))
    }
    summaries = cached["summaries"][street.pk].split(selectors.SEPARATOR)
    assert len(summaries) == len(registry.rules()) and "无" in summaries
    assert not any(isinstance(summary, Promise) for summary in summaries)
    assert all(type(value) is str for value in [*cached["codes"].values(), *cached["summaries"].values()])


def test_a_street_rows_marks_link_each_rule_and_escape_the_summary(street):
    rule_a = registry.rule("22")
    rule_b = registry.rule("21(1)")
    row = StreetRow(street, [(rule_a, Result(Status.MET, "已列入<预算>")), (rule_b, Result(Status.MISSED, "缺 1 人"))])
    html = Template("{% load compliance %}{% street_marks row 2026 4 %}").render(Context({"row": row}))
    cell = reverse("compliance:cell", args=[street.pk, "21(1)"])
    assert html.count("<td ") == 2
    assert f'href="{cell}?year=2026&amp;quarter=4"' in html
    assert 'class="status-met' in html and 'class="status-missed' in html
    assert "已列入&lt;预算&gt;" in html and "<预算>" not in html
    assert ">√</a>" in html and ">×</a>" in html
    assert f'aria-label="{rule_b.label} 未达标"' in html


# --- Many streets in brief (selectors.Overview) -------------------------------------------------------------------
def _more_streets(n=40):
    from committee.models import Municipality, Street

    shaoshan = Municipality.objects.create(name="韶山市", standing_committee_name="韶山市人大常委会", short_name="韶山")
    Street.objects.bulk_create(
        Street(municipality=shaoshan, name=f"韶山街道{i:03d}", slug=f"ss-{i}", abbreviation="韶") for i in range(n)
    )
    return shaoshan


def test_the_overview_gives_the_grids_totals_rows_and_cells(street, city_user):
    """The brief page (codes and totals from the cache, cells for the rows shown) says what the full grid says."""
    from committee.models import Membership
    from committee.permissions import street_refs_holding, streets_holding
    from committee.roles import Capability, Role

    shaoshan = _more_streets()
    Membership.objects.create(user=city_user, municipality=shaoshan, role=Role.CITY)
    streets = streets_holding(city_user, Capability.VIEW_DASHBOARD)
    refs = street_refs_holding(city_user, Capability.VIEW_DASHBOARD)[Capability.VIEW_DASHBOARD]
    assert [(r.pk, r.name, r.slug, r.municipality_id, r.municipality.name) for r in refs] == [
        (s.pk, s.name, s.slug, s.municipality_id, s.municipality.name) for s in streets
    ]
    today = datetime.date(2026, 11, 20)
    rows = selectors.grid(streets, YEAR, QUARTER, today)
    overview = selectors.Overview(refs, YEAR, QUARTER, today)
    assert [(r.rule.id, r.totals) for r in overview.rows] == [(r.rule.id, r.totals) for r in rows]
    assert sum(overview.rows[0].totals.values()) == len(streets) == 44
    for arranging in [{}, {"sort": "shortfalls"}, {"status": "missed"}, {"status": "met", "rule_id": "21(1)"}]:
        full = selectors.arrange(rows, **arranging)
        brief = overview.fill(overview.arrange(**arranging))
        assert [(r.street.pk, r.missed, r.at_risk, r.cells) for r in brief] == [
            (r.street.pk, r.missed, r.at_risk, r.cells) for r in full
        ], arranging
    assert selectors.arrange(rows, status="met", rule_id="21(1)")  # the four demo streets have their committee
    # A municipality chosen: the same cached grid, its streets' totals.
    within = [ref for ref in refs if ref.municipality_id == shaoshan.pk]
    narrowed = selectors.Overview(refs, YEAR, QUARTER, today, within=within)
    staffing = next(r for r in narrowed.rows if r.rule.id == "21(1)")
    assert staffing.count(Status.MISSED) == 40 and staffing.count(Status.MET) == 0
    assert {r.street.municipality_id for r in narrowed.arrange()} == {shaoshan.pk}


def test_a_municipality_filter_reads_the_cached_grid_of_all_the_streets(client, city_user, django_assert_num_queries):
    from committee.models import Membership
    from committee.roles import Role

    shaoshan = _more_streets()
    Membership.objects.create(user=city_user, municipality=shaoshan, role=Role.CITY)
    client.force_login(city_user, backend="committee.auth.MobileOrUsernameBackend")
    url = reverse("compliance:dashboard")
    client.get(url, {"year": YEAR, "quarter": QUARTER})  # computes the grid of the 44 streets
    with django_assert_num_queries(4):  # session, user, streets, memberships: no rule runs
        page = client.get(url, {"year": YEAR, "quarter": QUARTER, "municipality": shaoshan.pk})
    assert page.context["page"].paginator.count == 40
    assert 'id="totals-21(1)"' in page.content.decode()


def test_a_process_keeps_the_entry_it_read_until_a_street_changes_or_it_expires(street, monkeypatch):
    from committee.funding.models import BudgetLine, Category

    today = datetime.date(2026, 11, 20)
    selectors.evaluate([street], 2033, 1, today)
    reads = []
    real_get = grid_cache.cache.get
    monkeypatch.setattr(grid_cache.cache, "get", lambda *a, **k: reads.append(a) or real_get(*a, **k))
    assert selectors.evaluate([street], 2033, 1, today)["22"][street.pk].summary.startswith("已列入预算 0")
    assert reads == []  # the process's copy: no cache read, no unpickling
    BudgetLine.objects.create(street=street, year=2033, category=Category.values[0], source="财政", amount=1)
    assert selectors.evaluate([street], 2033, 1, today)["22"][street.pk].summary.startswith("已列入预算 1")
    entry = grid_cache.key([street.pk], selectors._key(2033, 1, today))
    expiry, value = grid_cache._held[entry]
    grid_cache._held[entry] = (expiry - grid_cache.CACHE_SECONDS - 1, value)  # its time is up, as the cache's is
    selectors.evaluate([street], 2033, 1, today)
    assert any(a[0] == entry for a in reads)
