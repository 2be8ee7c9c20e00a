import datetime

import pytest
from django.urls import reverse

from committee.compliance import registry, selectors
from committee.compliance.registry import Period, Status, Window, count_status
from committee.funding.models import BudgetLine, Expenditure
from committee.models import Membership, Street, User
from committee.roles import Role

D = datetime.date


def test_windows_of_each_period():
    assert registry.window(Period.QUARTER, 2026, 4) == Window(D(2026, 10, 1), D(2026, 12, 31), "2026年第4季度")
    assert registry.window(Period.QUARTER, 2026, 1).end == D(2026, 3, 31)
    assert registry.window(Period.HALF_YEAR, 2026, 3).start == D(2026, 7, 1)
    assert registry.window(Period.YEAR, 2026, 2).end == D(2026, 12, 31)
    assert registry.window(Period.TERM, 2026, 2).start == D(2022, 1, 1)


@pytest.mark.parametrize(
    ("count", "today", "status"),
    [
        (1, D(2026, 1, 5), Status.MET),
        (0, D(2027, 1, 1), Status.MISSED),
        (0, D(2025, 12, 31), Status.NOT_YET_DUE),
        (0, D(2026, 6, 1), Status.NOT_YET_DUE),
        (0, D(2026, 11, 26), Status.AT_RISK),
    ],
)
def test_count_status(count, today, status):
    year = Window(D(2026, 1, 1), D(2026, 12, 31), "2026")
    assert count_status(count, 1, year, today) == status


def test_rules_are_registered_by_their_apps_and_sorted_by_article():
    ids = [rule.id for rule in registry.rules()]
    assert {"21(1)", "22"} <= set(ids)
    assert ids == sorted(ids, key=lambda i: registry.rule(i).sort_key)


def test_rules_are_cited_as_the_rules_cite_them():
    assert registry.rule("21(1)").label == "第21条（一）"
    assert registry.rule("22").label == "第22条"


def test_registering_a_rule_twice_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(id="21(1)", description="x", period=Period.YEAR)(lambda s, w, t: {})


def test_staffing_rule_follows_the_memberships_on_the_day(street):
    rule = registry.rule("21(1)")
    q3 = registry.window(Period.QUARTER, 2026, 3)
    assert rule.evaluate([street], q3, D(2026, 11, 1))[street.pk].status == Status.MET
    # The vice director leaves on 1 August: the third quarter ends short of a full-time vice director.
    Membership.objects.filter(street=street, role=Role.VICE_DIRECTOR).update(ended_on=D(2026, 8, 1))
    result = rule.evaluate([street], q3, D(2026, 11, 1))[street.pk]
    assert result.status == Status.MISSED
    assert "专职副主任 0" in result.summary
    evidence = registry.rule("21(1)").list_evidence(street, q3, D(2026, 11, 1))
    assert evidence[0].url == reverse("committee:street_detail", args=[street.pk])


def test_a_part_time_staff_member_does_not_count(street):
    Membership.objects.filter(street=street, role=Role.STAFF).update(full_time=False)
    result = registry.rule("21(1)").evaluate([street], registry.window(Period.QUARTER, 2026, 4), D(2026, 11, 26))
    assert result[street.pk].status == Status.MISSED


def test_funding_rule_shows_the_missing_line_of_the_demo(demo_data):
    streets = list(Street.objects.order_by("pk"))
    results = registry.rule("22").evaluate(streets, registry.window(Period.YEAR, 2026, 4), D(2026, 11, 26))
    by_slug = {s.slug: results[s.pk] for s in streets}
    assert by_slug["wangchunmen"].status == Status.MET
    assert by_slug["dongshan"].status == Status.AT_RISK
    wangchunmen = Street.objects.get(slug="wangchunmen")
    assert (
        len(registry.rule("22").list_evidence(wangchunmen, registry.window(Period.YEAR, 2026, 4), D(2026, 11, 26))) == 3
    )


def test_the_dashboard_drills_down_to_evidence(client, city_user, street):
    client.force_login(city_user, backend="committee.auth.MobileOrUsernameBackend")
    page = client.get(reverse("compliance:dashboard"), {"year": 2026, "quarter": 4}).content.decode()
    cell = reverse("compliance:cell", args=[street.pk, "22"])
    assert f"{cell}?year=2026&amp;quarter=4" in page
    evidence = client.get(cell, {"year": 2026, "quarter": 4}).content.decode()
    line = BudgetLine.objects.filter(street=street, year=2026).first()
    assert reverse("funding:line_detail", args=[line.pk]) in evidence


def test_an_unknown_rule_is_a_404(client, city_user, street):
    client.force_login(city_user, backend="committee.auth.MobileOrUsernameBackend")
    assert client.get(reverse("compliance:cell", args=[street.pk, "99(9)"])).status_code == 404


def test_excel_export(client, city_user):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(city_user, backend="committee.auth.MobileOrUsernameBackend")
    response = client.get(reverse("compliance:export_xlsx"), {"year": 2026, "quarter": 4})
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:5] == ["条款", "要求", "考核周期", "望春门街道", "新湘路街道"]
    ids = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert "第21条（一）" in ids
    assert "第22条" in ids


def test_pdf_export(client, city_user, monkeypatch, django_capture_on_commit_callbacks):
    """The request registers an export; the worker's task renders it (no web request renders a PDF)."""
    from io import BytesIO

    import pdfplumber

    from committee.compliance import services
    from committee.compliance.models import Export
    from committee.documents import rendering

    client.force_login(city_user, backend="committee.auth.MobileOrUsernameBackend")
    render_pdf = rendering.render_pdf
    monkeypatch.setattr(rendering, "render_pdf", lambda *a: pytest.fail("a web request rendered a PDF"))
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("compliance:export_pdf") + "?year=2026&quarter=4")
    assert response.status_code == 302 and len(callbacks) == 1  # the render task, enqueued on commit
    export = Export.objects.filter(requested_by=city_user).latest("pk")  # the demo has one of 2026 Q3
    assert export.state == "pending" and len(export.street_ids) == 4
    page = client.get(reverse("compliance:export_pdf")).content.decode()
    assert f'hx-get="{reverse("compliance:export_status", args=[export.pk])}"' in page  # polls while it renders
    assert client.get(reverse("compliance:export_download", args=[export.pk])).status_code == 404
    monkeypatch.setattr(rendering, "render_pdf", render_pdf)
    services.export_render(export_id=export.pk)  # what the worker runs
    response = client.get(reverse("compliance:export_download", args=[export.pk]))
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(BytesIO(b"".join(response.streaming_content))) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "人大街道工委履职情况（2026年第4季度）" in text
    assert "东山街道" in text
    assert (
        reverse("compliance:export_download", args=[export.pk])
        in client.get(reverse("compliance:export_pdf")).content.decode()
    )


def test_the_trend_counts_met_rules_per_quarter(street):
    trend = selectors.trend([street], 2026, D(2026, 11, 26))
    assert trend["quarters"] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert len(trend["series"][0]["data"]) == 4


@pytest.fixture
def thousands_of_records(demo_data):
    """Several thousand records per street, of the kinds the rules read."""
    for street in Street.objects.all():
        staff = User.objects.get(username=f"{street.slug}_staff")
        line = BudgetLine.objects.filter(street=street, year=2026).first()
        Expenditure.objects.bulk_create(
            Expenditure(
                street=street, budget_line=line, spent_on=D(2026, 5, 1), amount=1, purpose="x", recorded_by=staff
            )
            for _ in range(2500)
        )
        users = User.objects.bulk_create(
            User(username=f"{street.slug}-bulk-{i}", full_name="代表") for i in range(2500)
        )
        Membership.objects.bulk_create(Membership(user=u, street=street, role=Role.DEPUTY) for u in users)


def test_the_dashboard_query_count_is_the_same_with_thousands_of_records(
    client, city_user, thousands_of_records, django_assert_num_queries
):
    rules = len(registry.rules())
    client.force_login(city_user, backend="committee.auth.MobileOrUsernameBackend")
    client.get(reverse("compliance:dashboard"), {"year": 2026, "quarter": 3})  # warm caches (content types)
    # session, user, readable streets, memberships, then one query per rule: nothing grows with the records.
    with django_assert_num_queries(4 + rules):
        response = client.get(reverse("compliance:dashboard"), {"year": 2026, "quarter": 4})
    assert "东山街道" in response.content.decode()
    with django_assert_num_queries(4):  # the grid again, from the cache
        client.get(reverse("compliance:dashboard"), {"year": 2026, "quarter": 4})


def test_staff_see_the_rules_at_risk_on_their_to_do_list(client, demo_data):
    dongshan_staff = User.objects.get(username="dongshan_staff")
    client.force_login(dongshan_staff, backend="committee.auth.MobileOrUsernameBackend")
    response = client.get(reverse("home"))
    todo = [(street.slug, row.rule.id) for street, row, _result in response.context["todo_rules"]]
    assert ("dongshan", "22") in todo
    assert all(slug == "dongshan" for slug, _ in todo)
