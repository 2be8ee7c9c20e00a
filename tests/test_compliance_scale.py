"""The dashboard at scale (issues 8 §5, 13, 14): rules in summary mode (counts in SQL, no evidence), the cached
grid, many streets as rows grouped by municipality with filters, sorting and totals, 13(2) missed once a deadline
passed, and "查看实施细则原文" opening the rule's own article."""

import datetime
import time
import uuid

import pytest
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone

from committee.compliance import cache as grid_cache
from committee.compliance import registry, selectors
from committee.compliance.registry import Period, Status
from committee.funding.models import BudgetLine, Category
from committee.models import Membership, Municipality, Street
from committee.roles import Role
from supervision.models import OPEN_WITH_UNIT, Opinion

D = datetime.date
TODAY = timezone.localdate()
BACKEND = "committee.auth.MobileOrUsernameBackend"


def _bulk_streets(municipality, n, prefix):
    return Street.objects.bulk_create(
        Street(municipality=municipality, name=f"{prefix}街道{i:03d}", slug=f"{prefix}-{i}", abbreviation="测")
        for i in range(n)
    )


@pytest.fixture
def many_streets(city_user):
    """96 more streets: 48 in the city's own municipality, 48 in a second one the city user also leads."""
    xiangxiang = Street.objects.get(slug="wangchunmen").municipality
    shaoshan = Municipality.objects.create(name="韶山市", standing_committee_name="韶山市人大常委会", short_name="韶山")
    Membership.objects.create(user=city_user, municipality=shaoshan, role=Role.CITY)
    return _bulk_streets(xiangxiang, 48, "xx") + _bulk_streets(shaoshan, 48, "ss")


@pytest.fixture
def overdue_cases(demo_data):
    """300 more overdue cases, copies of the demo's overdue ones, spread over the four streets."""
    on = TODAY
    overdue = list(Opinion.objects.filter(deadline__lt=on, state__in=("assigned", "accepted", "in_progress")))
    assert overdue
    copies = []
    for i in range(300):
        copy = Opinion.objects.get(pk=overdue[i % len(overdue)].pk)
        copy.pk = None
        copy.tracking_code = uuid.uuid4().hex[:12]
        copies.append(copy)
    Opinion.objects.bulk_create(copies)


def _login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


# --- Summary mode -------------------------------------------------------------------------------------------------
def test_the_grid_builds_no_record_and_no_evidence_however_many_cases(demo_data, overdue_cases, monkeypatch):
    """The grid counts in SQL: not one model instance of a record, not one Evidence, no rule's evidence part."""
    streets = list(Street.objects.select_related("municipality"))
    built = []
    receiver = lambda sender, **kwargs: built.append(sender)  # noqa: E731
    post_init.connect(receiver, weak=False)
    evidence_made = []
    monkeypatch.setattr(registry.Evidence, "__post_init__", lambda self: evidence_made.append(self), raising=False)
    for rule in registry.rules():
        monkeypatch.setattr(rule, "list_evidence", lambda *a: pytest.fail("the grid listed evidence"))
    try:
        results = selectors.evaluate(streets, TODAY.year, (TODAY.month - 1) // 3 + 1, TODAY)
    finally:
        post_init.disconnect(receiver)
    assert built == [] and evidence_made == []
    assert {pk for by_street in results.values() for pk in by_street} == {s.pk for s in streets}
    assert all(results["13(2)"][s.pk].status == Status.MISSED for s in streets)


def test_each_rule_answers_for_a_hundred_streets_in_a_fixed_number_of_queries(
    many_streets, django_assert_max_num_queries
):
    """Every registered rule, the ones still to come included: at most 2 queries for all streets, a Result each."""
    streets = list(Street.objects.all())
    assert len(streets) == 100
    for rule in registry.rules():
        window = registry.window(rule.period, TODAY.year, 4)
        with django_assert_max_num_queries(2):
            results = rule.evaluate(streets, window, TODAY)
        assert set(results) == {s.pk for s in streets}, rule.id
        assert all(isinstance(r, registry.Result) for r in results.values()), rule.id


# --- 13(2) -------------------------------------------------------------------------------------------------------
def test_rule_13_2_is_missed_once_a_deadline_passed_even_inside_the_quarter(street, staff_user):
    from supervision import services
    from supervision.models import Channel, HandlingUnit

    quarter = registry.window(Period.QUARTER, 2030, 2)
    inside = D(2030, 5, 10)
    opinion = services.opinion_register(by=staff_user, street=street, channel=Channel.HOTLINE, content="路灯不亮")
    unit = HandlingUnit.objects.filter(street=street).first()
    services.opinion_assign(by=staff_user, opinion=opinion, unit=unit)
    # The demo's own open cases fall due long after.
    Opinion.objects.filter(street=street, state__in=OPEN_WITH_UNIT).exclude(pk=opinion.pk).update(
        deadline=D(2099, 1, 1)
    )
    rule = registry.rule("13(2)")
    Opinion.objects.filter(pk=opinion.pk).update(assigned_on=D(2030, 4, 1), deadline=D(2030, 5, 20))
    result = rule.evaluate([street], quarter, inside)[street.pk]
    assert result.status == Status.MET  # due in ten days: nothing late yet
    Opinion.objects.filter(pk=opinion.pk).update(deadline=D(2030, 5, 12))
    result = rule.evaluate([street], quarter, inside)[street.pk]
    assert result.status == Status.AT_RISK and "1件即将到期" in result.summary
    Opinion.objects.filter(pk=opinion.pk).update(deadline=D(2030, 5, 9))
    result = rule.evaluate([street], quarter, inside)[street.pk]
    assert result.status == Status.MISSED and "1件逾期未答复" in result.summary  # not 有风险: the day has passed
    evidence = rule.list_evidence(street, quarter, inside)
    assert [e.url for e in evidence] == [opinion.get_absolute_url()] and "逾期" in evidence[0].label


# --- Article links ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("rule_id", "chapter"), [("13(2)", 5), ("5(1)", 3), ("21(1)", 8), ("22", 8), ("7(1)", 4)])
def test_the_cell_links_to_the_rules_own_article(client, city_user, street, rule_id, chapter):
    page = _login(client, city_user).get(reverse("compliance:cell", args=[street.pk, rule_id])).content.decode()
    article = registry.rule(rule_id).article
    link = reverse("committee:chapter_detail", args=[chapter]) + f"#article-{article}"
    assert f'href="{link}" id="rules-link"' in page
    assert f'id="article-{article}"' in client.get(link.split("#")[0]).content.decode()


# --- Cache --------------------------------------------------------------------------------------------------------
def test_a_write_to_a_street_refreshes_its_grid_and_a_silent_write_expires(street, monkeypatch):
    streets = list(Street.objects.all())
    year = 2031  # no budget yet

    def funding():
        return selectors.evaluate(streets, year, 4, TODAY)["22"][street.pk].summary

    assert funding().startswith("已列入预算 0")
    line = BudgetLine.objects.create(street=street, year=year, category=Category.values[0], source="财政", amount=1)
    assert funding().startswith("已列入预算 1")  # the save bumped the street's version
    BudgetLine.objects.filter(pk=line.pk).update(year=year + 1)  # no signal
    assert funding().startswith("已列入预算 1")  # the cached figure, until it expires
    monkeypatch.setattr(grid_cache, "CACHE_SECONDS", 1)
    grid_cache.invalidate_all()
    assert funding().startswith("已列入预算 0")
    BudgetLine.objects.filter(pk=line.pk).update(year=year)
    time.sleep(1.2)
    assert funding().startswith("已列入预算 1")


def test_the_home_page_reads_the_dashboards_cached_grid(client, city_user, django_assert_num_queries):
    _login(client, city_user).get(reverse("compliance:dashboard"))  # computes this quarter's grid
    rules = len(registry.rules())
    with django_assert_num_queries(4 + 1):  # session, user, streets, memberships + the city's to-do: no rule runs
        response = client.get(reverse("home"))
    assert response.status_code == 200 and len(response.context["rows"]) == rules


# --- Query counts with 4 and with 100 streets ---------------------------------------------------------------------
@pytest.mark.parametrize("extra", [False, True])
def test_dashboard_home_and_cell_query_counts_do_not_grow_with_streets(
    request, client, city_user, street, django_assert_num_queries, extra
):
    if extra:
        request.getfixturevalue("many_streets")
    rules = len(registry.rules())
    _login(client, city_user)
    client.get(reverse("compliance:cell", args=[street.pk, "22"]))  # warm the content types
    grid_cache.invalidate_all()
    with django_assert_num_queries(4 + rules):  # session, user, streets, memberships, one per rule
        page = client.get(reverse("compliance:dashboard"), {"year": 2026, "quarter": 4})
    assert page.context["columns"] is not extra
    with django_assert_num_queries(4):  # the same grid, cached
        client.get(reverse("compliance:dashboard"), {"year": 2026, "quarter": 4, "sort": "shortfalls", "page": 2})
    grid_cache.invalidate_all()
    with django_assert_num_queries(4 + rules + 1):  # + the city's to-do provider
        client.get(reverse("home"))
    with django_assert_num_queries(4 + 2):  # session, user, street, memberships; the rule's summary, its evidence
        client.get(reverse("compliance:cell", args=[street.pk, "22"]), {"year": 2026, "quarter": 4})


# --- Many streets -------------------------------------------------------------------------------------------------
def test_many_streets_are_rows_grouped_by_municipality_with_totals(client, city_user, many_streets):
    response = _login(client, city_user).get(reverse("compliance:dashboard"), {"year": 2026, "quarter": 4})
    page = response.context["page"]
    assert page.paginator.count == 100 and len(page.object_list) == 25
    html = response.content.decode()
    assert "湘乡市</th>" in html and "compliance-totals" in html
    staffing = next(row for row in response.context["rows"] if row.rule.id == "21(1)")
    assert staffing.count(Status.MISSED) == 96  # the new streets have no committee yet
    assert staffing.count(Status.MET) == 4
    totals_link = "rule=21%281%29&amp;status=missed"
    assert totals_link in html


def test_filter_by_municipality_rule_and_status_and_sort_by_shortfalls(client, city_user, many_streets):
    client = _login(client, city_user)
    shaoshan = Municipality.objects.get(name="韶山市")
    url = reverse("compliance:dashboard")
    rows = client.get(url, {"municipality": shaoshan.pk}).context["page"].paginator.object_list
    assert len(rows) == 48 and {r.street.municipality_id for r in rows} == {shaoshan.pk}
    met = client.get(url, {"rule": "21(1)", "status": "met", "year": 2026, "quarter": 4}).context["page"]
    assert sorted(r.street.slug for r in met) == ["dongshan", "kunlunqiao", "wangchunmen", "xinxianglu"]
    missed = client.get(url, {"status": "missed", "year": 2026, "quarter": 4}).context["page"].paginator.object_list
    assert missed and all(r.missed for r in missed)
    ordered = client.get(url, {"sort": "shortfalls", "year": 2026, "quarter": 4}).context["page"].paginator.object_list
    groups = [r.street.municipality.name for r in ordered]
    assert groups == sorted(groups)  # still grouped by municipality
    xiangxiang = [r for r in ordered if r.street.municipality_id != shaoshan.pk]
    assert [selectors.shortfalls(r)[:2] for r in xiangxiang] == sorted(selectors.shortfalls(r)[:2] for r in xiangxiang)
    assert xiangxiang[0].missed > xiangxiang[-1].missed


def test_four_streets_keep_the_columns_with_their_counts(client, city_user):
    response = _login(client, city_user).get(reverse("compliance:dashboard"), {"year": 2026, "quarter": 4})
    assert response.context["columns"]
    html = response.content.decode()
    assert "未达标 / 有风险" in html and html.count("street-shortfalls") == 4
    ordered = _login(client, city_user).get(
        reverse("compliance:dashboard"), {"year": 2026, "quarter": 4, "sort": "shortfalls"}
    )
    streets = ordered.context["streets"]
    counts = {r.street.pk: selectors.shortfalls(r) for r in ordered.context["street_rows"]}
    assert [counts[s.pk] for s in streets] == sorted(counts.values())


def test_the_city_home_with_many_streets_shows_totals_and_the_streets_most_short(client, city_user, many_streets):
    response = _login(client, city_user).get(reverse("home"))
    assert not response.context["columns"]
    shown = response.context["street_rows"]
    assert len(shown) == 10 and shown == sorted(shown, key=selectors.shortfalls)
    assert "compliance-totals" in response.content.decode()


def test_a_street_user_sees_only_their_street_on_the_dashboard(client, director, many_streets):
    response = _login(client, director).get(reverse("compliance:dashboard"))
    assert [s.slug for s in response.context["streets"]] == ["wangchunmen"]


# --- The PDF ------------------------------------------------------------------------------------------------------
def _body_starts(pdf_bytes, header: str, starts) -> list[str]:
    """On every page, the first line of the table body under the repeated header: a row's first line when no row
    was split across the page break."""
    from io import BytesIO

    import pdfplumber

    firsts = []
    with pdfplumber.open(BytesIO(pdf_bytes)) as pdf:
        assert len(pdf.pages) > 1  # the test needs a page break
        for page in pdf.pages[1:]:  # the first page starts with the title
            words = page.extract_words()
            heads = [w for w in words if w["text"].startswith(header)]
            below = heads[-1]["bottom"] if heads else 0
            body = [w for w in words if w["top"] > below + 2 and not w["text"].startswith("—")]
            top = min(w["top"] for w in body)
            line = sorted((w for w in body if abs(w["top"] - top) < 3), key=lambda w: w["x0"])
            firsts.append(line[0]["text"])
    assert all(text.startswith(starts) for text in firsts), firsts
    return firsts


def _render(export):
    from committee.compliance import report
    from committee.documents.rendering import render_pdf

    return render_pdf("compliance/report.html", report.context(export))


def test_the_pdf_never_splits_a_row_across_pages(city_user, many_streets):
    from committee.compliance.models import Export

    streets = list(Street.objects.order_by("municipality__name", "pk")[:40])  # two pages and a bit
    many = Export(requested_by=city_user, year=2026, quarter=4, street_ids=[s.pk for s in streets])
    names = (*(s.name for s in streets), "湘乡市", "韶山市", "第")
    _body_starts(_render(many), "街道", names)  # rows: each page starts with a street, a municipality or a totals row
    four = Export(
        requested_by=city_user,
        year=2026,
        quarter=4,
        street_ids=list(
            Street.objects.filter(slug__in=["wangchunmen", "xinxianglu", "kunlunqiao", "dongshan"]).values_list(
                "pk", flat=True
            )
        ),
    )
    _body_starts(_render(four), "条款", ("第",))  # columns: each page starts with a rule's label


def test_the_export_list_has_a_fixed_query_count_and_others_cannot_ask(client, city_user, django_assert_num_queries):
    from committee.compliance.models import Export
    from tests.conftest import account

    before = Export.objects.count()  # the demo's
    Export.objects.bulk_create(
        Export(requested_by=city_user, year=2026, quarter=q % 4 + 1, street_ids=[1]) for q in range(30)
    )
    _login(client, city_user)
    with django_assert_num_queries(5):  # session, user, streets, memberships, the last ten exports
        page = client.get(reverse("compliance:export_pdf"))
    assert len(page.context["exports"]) == 10
    deputy = _login(client, account("wangchunmen", Role.DEPUTY))
    assert deputy.post(reverse("compliance:export_pdf")).status_code == 403
    assert Export.objects.count() == before + 30


def test_the_excel_export_of_many_streets_has_a_row_a_street(client, city_user, many_streets):
    from io import BytesIO

    from openpyxl import load_workbook

    response = _login(client, city_user).get(
        reverse("compliance:export_xlsx"), {"year": 2026, "quarter": 4, "rule": "21(1)", "status": "met"}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:5] == ["市", "街道", "未达标", "有风险", "第5条（一）"]
    assert sorted(sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)) == sorted(
        ["望春门街道", "新湘路街道", "昆仑桥街道", "东山街道"]
    )


def test_a_write_goes_on_when_the_cache_server_is_down(street, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(grid_cache.cache, "set_many", down)
    line = BudgetLine.objects.create(street=street, year=2032, category=Category.values[0], source="财政", amount=1)
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_the_demo_leaves_the_city_a_dashboard_pdf_for_the_worker(city_user, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from committee.compliance.models import Export

    assert Export.objects.get(requested_by=city_user).state == "done"  # the tests' seed renders inline
    Export.objects.filter(requested_by=city_user).delete()
    with django_capture_on_commit_callbacks():
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    export = Export.objects.get(requested_by=city_user)
    assert (export.year, export.quarter, export.state, len(export.street_ids)) == (2026, 3, "pending", 4)
