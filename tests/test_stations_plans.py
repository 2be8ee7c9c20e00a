"""Liaison stations, Art 14(3) and 16(4) and the figures of issue 11 §5: the annual activity plan and its rule,
the operating rules issued as documents, training records, joint receptions of "两官一长一员" with the deputies,
and the stations' figures page whose loop figures come from supervision's selectors."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.compliance.registry import Status, rule, window
from committee.documents.models import Document, DocumentState
from committee.documents.services import document_render
from committee.models import User
from liaison_stations import selectors, services
from liaison_stations.compliance import plan_due
from liaison_stations.models import (
    ActivityPlan,
    LiaisonStation,
    OperatingRules,
    PlanItemKind,
    Receiver,
    ReceiverKind,
    Reception,
    StationKind,
    Training,
    Visit,
)
from supervision import selectors as loop
from supervision.models import Opinion

YEAR = 2026


@pytest.fixture
def other_staff(demo_data):
    return User.objects.get(username="xinxianglu_staff")


def _plan_post(year, rows, notes=""):
    data = {
        "year": str(year),
        "notes": notes,
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, (month, kind, title, item_notes) in enumerate(rows):
        data.update(
            {
                f"items-{n}-month": str(month),
                f"items-{n}-kind": kind,
                f"items-{n}-title": title,
                f"items-{n}-notes": item_notes,
            }
        )
    return data


# --- The annual activity plan ------------------------------------------------------------------------------


def test_staff_make_a_plan_by_month_and_city_reads_it(client, login, staff_user, city_user, station):
    login(staff_user)
    url = reverse("stations:plan_add", args=[station.pk])
    assert client.get(url, {"year": "2027"}).context["form"]["year"].value() == 2027
    response = client.post(
        url,
        _plan_post(
            2027,
            [
                (1, PlanItemKind.RECEPTION, "1月“1+4”接待", "15日"),
                (3, PlanItemKind.TRAINING, "站长培训", ""),
                ("", "", "", ""),  # a blank row is not saved
                (1, PlanItemKind.THEMED, "新春走访", ""),
            ],
        ),
    )
    plan = ActivityPlan.objects.get(station=station, year=2027)
    assert response["Location"] == plan.get_absolute_url()
    assert [(i.month, i.kind, i.title) for i in plan.items.all()] == [
        (1, "reception", "1月“1+4”接待"),
        (1, "themed", "新春走访"),
        (3, "training", "站长培训"),
    ]
    assert plan.created_by == staff_user and timezone.localdate(plan.created_at) == timezone.localdate()
    found = client.get(reverse("stations:plans"), {"q": "新春"}).context["page"]
    assert [p.pk for p in found] == [plan.pk] and found[0].item_count == 3
    login(city_user)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "站长培训" in page and "data-print" in page and "3月" in page
    assert reverse("stations:plan_edit", args=[plan.pk]) not in page
    assert client.post(reverse("stations:plan_edit", args=[plan.pk]), _plan_post(2027, [])).status_code == 403


def test_a_bad_plan_keeps_what_was_typed(client, login, staff_user, station):
    login(staff_user)
    url = reverse("stations:plan_add", args=[station.pk])
    no_month = client.post(url, _plan_post(2027, [("", PlanItemKind.RECEPTION, "没有月份的事项", "")]))
    assert no_month.status_code == 200 and "请选择月份" in no_month.content.decode()
    assert "没有月份的事项" in no_month.content.decode()
    empty = client.post(url, _plan_post(2027, [("", "", "", "")]))
    assert "请至少填写一项计划事项" in empty.content.decode()
    twice = client.post(url, _plan_post(YEAR, [(2, PlanItemKind.RECEPTION, "重复", "")]))  # the demo has 2026's
    assert "已经存在" in twice.content.decode()
    assert not ActivityPlan.objects.filter(station=station, year=2027).exists()
    assert not ActivityPlan.objects.get(station=station, year=YEAR).items.filter(title="重复").exists()


def test_editing_a_plan_replaces_its_items_and_keeps_its_date(client, login, staff_user, station):
    plan = ActivityPlan.objects.get(station=station, year=YEAR)
    made = plan.created_at
    login(staff_user)
    edit = client.get(reverse("stations:plan_edit", args=[plan.pk]))
    assert edit.context["formset"].initial[0]["title"] == plan.items.first().title
    client.post(reverse("stations:plan_edit", args=[plan.pk]), _plan_post(YEAR, [(6, "themed", "只剩一项", "")]))
    plan.refresh_from_db()
    assert [i.title for i in plan.items.all()] == ["只剩一项"] and plan.created_at == made


def test_another_streets_plan_rules_and_trainings_are_404(client, login, other_staff, station):
    plan = ActivityPlan.objects.get(station=station, year=YEAR)
    training = Training.objects.filter(station=station).first()
    login(other_staff)
    for url in [
        plan.get_absolute_url(),
        reverse("stations:plan_edit", args=[plan.pk]),
        reverse("stations:plan_add", args=[station.pk]),
        reverse("stations:rules", args=[station.pk]),
        reverse("stations:training_add", args=[station.pk]),
        reverse("stations:training_edit", args=[training.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("stations:rules", args=[station.pk]), {"text": "x", "issue": "1"}).status_code == 404
    lists = [client.get(reverse(n)).content.decode() for n in ("stations:plans", "stations:trainings")]
    assert all(station.name not in page for page in lists)


# --- Rule 14(3): the plan and the operating rules by the set date ---------------------------------------------


def test_rule_14_3_in_the_demo_flags_the_late_plan(street, demo_data):
    from committee.models import Street

    late = Street.objects.get(slug="kunlunqiao")
    year = window(rule("14(3)").period, YEAR, 4)
    results = rule("14(3)").evaluate([street, late], year, datetime.date(YEAR, 12, 3))
    assert results[street.pk] == (Status.MET, "活动计划按时制定；操作细则已印发")
    assert results[late.pk].status == Status.MISSED and "逾期制定" in results[late.pk].summary
    evidence = rule("14(3)").list_evidence(street, year, datetime.date(YEAR, 12, 3))
    plan = ActivityPlan.objects.get(station__street=street, station__kind="street", year=YEAR)
    assert evidence[0].url == plan.get_absolute_url() and evidence[0].day == datetime.date(YEAR, 1, 10)
    assert "操作细则" in evidence[1].label and evidence[1].url.endswith("/rules/")


def test_rule_14_3_at_risk_before_the_date_missed_after_and_met_with_both(street, staff_user, station, settings):
    settings.STATIONS_PLAN_DUE = "02-15"
    assert plan_due(2027) == datetime.date(2027, 2, 15)
    next_year = window(rule("14(3)").period, 2027, 1)

    def status(today):
        return rule("14(3)").evaluate([street], next_year, today)[street.pk]

    assert status(datetime.date(2026, 12, 20)).status == Status.NOT_YET_DUE
    assert status(datetime.date(2027, 2, 10)) == (Status.AT_RISK, "活动计划未制定；操作细则已印发")
    assert status(datetime.date(2027, 2, 16)).status == Status.MISSED
    services.plan_save(
        by=staff_user,
        station=station,
        year=2027,
        items=[(1, "reception", "接待", "")],
        created_at=datetime.datetime(2027, 2, 14, 23, 0, tzinfo=timezone.get_current_timezone()),
    )
    assert status(datetime.date(2027, 3, 1)).status == Status.MET  # the rules issued in 2026 still hold
    # Without operating rules issued by the date the plan alone does not meet it.
    Document.objects.filter(template=services.OPERATING_RULES_TEMPLATE, street=street).update(
        issued_on=datetime.date(2027, 2, 20)
    )
    assert status(datetime.date(2027, 3, 1)) == (Status.MISSED, "活动计划按时制定；操作细则未印发")


def test_rule_14_3_counts_streets_in_sql(street, other_street, django_assert_num_queries):
    year = window(rule("14(3)").period, YEAR, 4)
    with django_assert_num_queries(1):
        results = rule("14(3)").evaluate([street, other_street], year, datetime.date(YEAR, 12, 3))
    assert set(results) == {street.pk, other_street.pk}


# --- Operating rules for deputies -----------------------------------------------------------------------------


def test_staff_issue_the_operating_rules_as_versions(
    client, login, staff_user, city_user, station, django_capture_on_commit_callbacks
):
    first = Document.objects.get(template=services.OPERATING_RULES_TEMPLATE, object_id=station.pk)
    login(staff_user)
    url = reverse("stations:rules", args=[station.pk])
    assert "进站安排" in client.get(url).context["form"]["text"].value()
    client.post(url, {"text": "一、总则\n只保存，不印发。"})
    assert OperatingRules.objects.get(station=station).text == "一、总则\n只保存，不印发。"
    assert Document.objects.filter(template=services.OPERATING_RULES_TEMPLATE, object_id=station.pk).count() == 1
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, {"text": "一、总则\n代表每月进站一次。", "issue": "1"})
    second = Document.objects.filter(template=services.OPERATING_RULES_TEMPLATE, object_id=station.pk).latest("pk")
    assert response.status_code == 302 and callbacks  # the PDF is the worker's job, queued after commit
    assert (second.version, second.supersedes, second.state) == (2, first, DocumentState.PENDING)
    assert second.context["paragraphs"][0] == {"text": "一、总则", "level": "h1"}
    empty = client.post(url, {"text": "  ", "issue": "1"})
    assert empty.status_code == 200 and "这个字段是必填项" in empty.content.decode()
    login(city_user)
    page = client.get(url)
    assert page.context["form"] is None and second.number in page.content.decode()
    assert client.post(url, {"text": "改", "issue": "1"}).status_code == 403


def test_the_operating_rules_pdf_has_the_text(staff_user, station):
    import io

    import pdfplumber

    services.operating_rules_save(by=staff_user, station=station, text="一、进站\n代表按轮值表进站接待选民。")
    document = services.operating_rules_issue(by=staff_user, station=station)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.state == DocumentState.DONE
    with pdfplumber.open(io.BytesIO(document.file.read())) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages).replace(" ", "")
    assert "代表按轮值表进站接待选民" in text and document.number in text


# --- Training records -----------------------------------------------------------------------------------------


def test_staff_record_a_training_of_the_station_leaders(client, login, staff_user, station):
    holders = list(services.role_holders(station.street))
    login(staff_user)
    url = reverse("stations:training_add", args=[station.pk])
    response = client.post(
        url,
        {
            "topic": "接待礼仪培训",
            "held_on": "2026-11-02",
            "organiser": "街道人大工委",
            "attendees": [str(u.pk) for u in holders[:2]],
            "notes": "",
        },
    )
    assert response["Location"] == station.get_absolute_url()
    training = Training.objects.get(topic="接待礼仪培训")
    assert set(training.attendees.all()) == set(holders[:2]) and training.created_by == staff_user
    page = client.get(station.get_absolute_url()).content.decode()
    assert "接待礼仪培训" in page and holders[0].full_name in page
    assert "接待礼仪培训" in client.get(reverse("stations:trainings"), {"q": "礼仪"}).content.decode()
    client.post(
        reverse("stations:training_edit", args=[training.pk]),
        {"topic": "接待礼仪培训（二）", "held_on": "2026-11-03", "organiser": "街道人大工委", "attendees": []},
    )
    training.refresh_from_db()
    assert training.topic == "接待礼仪培训（二）" and not training.attendees.exists()


def test_a_training_attendee_must_hold_a_post_at_a_station(client, login, staff_user, station, other_staff):
    login(staff_user)
    response = client.post(
        reverse("stations:training_add", args=[station.pk]),
        {"topic": "", "held_on": "2026-11-02", "organiser": "工委", "attendees": []},
    )
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    with pytest.raises(Exception, match="站长、副站长或联络员"):
        services.training_save(
            by=staff_user,
            station=station,
            topic="x",
            held_on=datetime.date(2026, 11, 2),
            organiser="y",
            attendees=[other_staff],
        )


# --- Rule 16(4): "两官一长一员" receiving with the deputies ------------------------------------------------------


def test_rule_16_4_wants_a_joint_reception_each_quarter(street, station):
    first_quarter = window(rule("16(4)").period, YEAR, 1)
    today = datetime.date(YEAR, 4, 10)
    # The demo: January's and March's receptions have the deputies and all four officials; February lacks its
    # prosecutor.
    result = rule("16(4)").evaluate([street], first_quarter, today)[street.pk]
    assert result == (Status.MET, "同步进站接待 2 次")
    evidence = rule("16(4)").list_evidence(street, first_quarter, today)
    assert [e.day.month for e in evidence] == [1, 2, 3]
    assert evidence[1].label.endswith("缺：检察官") and evidence[0].label.endswith("同步接待")
    # Officials who stayed away do not count: with January's and March's judges absent, none was joint.
    Receiver.objects.filter(
        reception__station=station, reception__starts_at__month__in=[1, 3], kind=ReceiverKind.JUDGE
    ).update(attended=False)
    assert rule("16(4)").evaluate([street], first_quarter, today)[street.pk] == (Status.MISSED, "同步进站接待 0 次")
    # A reception planned for later in the quarter is not held yet.
    this_quarter = window(rule("16(4)").period, YEAR, 4)
    coming = Reception.objects.filter(station=station, starts_at__gte=timezone.now()).earliest("starts_at")
    assert all(e.url != coming.get_absolute_url() for e in rule("16(4)").list_evidence(street, this_quarter, today))


# --- The stations' figures page -----------------------------------------------------------------------------


def test_city_sees_every_streets_stations_and_filters_them(client, login, city_user, staff_user, street):
    login(city_user)
    page = client.get(reverse("stations:network"))
    stations = {s.street_id for s, _c in page.context["rows"]}
    assert len(stations) == 4
    only = client.get(reverse("stations:network"), {"street": street.pk})
    assert {s.street_id for s, _c in only.context["rows"]} == {street.pk}
    login(staff_user)
    own = client.get(reverse("stations:network"))
    assert {s.street_id for s, _c in own.context["rows"]} == {street.pk}
    assert 'name="municipality"' not in own.content.decode()


def test_the_figures_are_the_loops_own(client, login, staff_user, station):
    login(staff_user)
    rows = dict(client.get(reverse("stations:network"), {"year": YEAR}).context["rows"])
    row = next(r for s, r in rows.items() if s.pk == station.pk)
    first = datetime.datetime(YEAR, 1, 1, tzinfo=timezone.get_current_timezone())
    visits = Visit.objects.filter(reception__station=station, reception__starts_at__gte=first)
    cases = Opinion.objects.filter(pk__in=visits.values("opinion_id"))
    expected = loop.figures(cases, "street")[0]
    assert row["number"] == expected["number"] == visits.exclude(opinion=None).count() > 0
    for key in ("closed", "replied", "overdue", "closed_share", "satisfied_share"):
        assert row[key] == expected[key], key
    station_row = next(s for s in rows if s.pk == station.pk)
    assert station_row.year_receptions == Reception.objects.filter(station=station, starts_at__gte=first).count()
    assert station_row.year_visitors == visits.count()
    assert (
        selectors.station_figures(station)["closed_rate"]
        == loop.shares(
            Opinion.objects.filter(
                pk__in=Visit.objects.filter(reception__station=station).values("opinion_id")
            ).aggregate(**loop.figure_counts())
        )["closed_share"]
    )


@pytest.fixture
def thousands(station, staff_user):
    """2,000 more stations, 2,000 receptions this year, 4,000 visits of which 300 passed into the loop, 300
    trainings and 300 plans."""
    street = station.street
    stations = LiaisonStation.objects.bulk_create(
        [
            LiaisonStation(street=street, name=f"片区联络点{i}", kind=StationKind.AREA, public_code=f"plan{i}")
            for i in range(2000)
        ]
    )
    now = timezone.now()
    receptions = Reception.objects.bulk_create(
        [
            Reception(
                street=street,
                station=stations[i],
                starts_at=now - datetime.timedelta(hours=i),
                created_by=staff_user,
            )
            for i in range(2000)
        ]
    )
    template = Opinion.objects.filter(street=street).first()
    copies = []
    for _ in range(300):
        copy = Opinion.objects.get(pk=template.pk)
        copy.pk = None
        copy.tracking_code = uuid.uuid4().hex[:12]
        copies.append(copy)
    opinions = Opinion.objects.bulk_create(copies)
    Visit.objects.bulk_create(
        [
            Visit(
                street=street,
                reception=receptions[i % 2000],
                number=1 + i // 2000,
                name=f"来访{i}",
                matter="事项",
                answer="" if i < 300 else "已答复",
                opinion=opinions[i] if i < 300 else None,
                registered_by=staff_user,
                registered_at=now,
            )
            for i in range(4000)
        ]
    )
    Training.objects.bulk_create(
        Training(
            street=street,
            station=stations[i],
            topic=f"培训{i}",
            held_on=datetime.date(YEAR, 1, 1),
            organiser="工委",
            created_by=staff_user,
        )
        for i in range(300)
    )
    ActivityPlan.objects.bulk_create(
        ActivityPlan(street=street, station=stations[i], year=YEAR, created_by=staff_user, created_at=now)
        for i in range(300)
    )


@pytest.mark.parametrize(
    ("name", "queries"), [("stations:network", 7), ("stations:plans", 6), ("stations:trainings", 6)]
)
def test_list_query_counts_are_fixed_with_thousands_of_rows(
    client, login, city_user, thousands, name, queries, django_assert_num_queries
):
    login(city_user)
    client.get(reverse(name))
    with django_assert_num_queries(queries):
        response = client.get(reverse(name), {"page": 3})
    assert len(response.context["page"]) == 25


# --- Per deputy: receptions against the quota (档案) and in the report to constituents (Art 15(3)) ------------


def _receptions_of(user, street, start, end):
    from committee.duties import registry

    return registry.items(people=[user.pk], streets=[street.pk], start=start, end=end, only=["reception"])


def test_the_archive_shows_the_receptions_against_the_quota(client, login, staff_user, street):
    receiver = Receiver.objects.filter(street=street, kind=ReceiverKind.DEPUTY, attended=True).first().person
    done = len(_receptions_of(receiver, street, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)))
    login(staff_user)
    page = client.get(reverse("records:archive", args=[street.pk, receiver.pk, YEAR])).content.decode()
    badge = "text-bg-success" if done >= 2 else "text-bg-warning"
    assert f'进站接待选民（年度要求）<span class="badge {badge}">{done} / 2</span>' in page


def test_the_report_to_constituents_shows_the_station_duty(client, login, staff_user, street):
    from deputies.reports.models import ConstituentReport

    report = ConstituentReport.objects.filter(street=street).order_by("-date").first()
    items = _receptions_of(report.deputy.user, street, datetime.date(report.date.year, 1, 1), report.date)
    assert all(i.kind == "reception" and i.date <= report.date for i in items)
    login(staff_user)
    page = client.get(reverse("constituent_reports:detail", args=[report.pk])).content.decode()
    assert "进站履职情况（第十五条第三项）" in page and f"{len(items)} / 2</span>" in page
    assert all(i.url in page for i in items)


def test_the_dashboard_flags_the_late_plan_and_opens_its_evidence(client, login, city_user, demo_data):
    from committee.models import Street

    late = Street.objects.get(slug="kunlunqiao")
    login(city_user)
    cell = reverse("compliance:cell", args=[late.pk, "14(3)"])
    page = client.get(reverse("compliance:dashboard"), {"year": YEAR, "quarter": 4}).content.decode()
    assert f"{cell}?year={YEAR}&amp;quarter=4" in page
    evidence = client.get(cell, {"year": YEAR, "quarter": 4}).content.decode()
    plan = ActivityPlan.objects.get(station__street=late, station__kind="street", year=YEAR)
    assert "逾期制定" in evidence and plan.get_absolute_url() in evidence
    joint = client.get(reverse("compliance:cell", args=[late.pk, "16(4)"]), {"year": YEAR, "quarter": 1})
    assert joint.status_code == 200 and "同步接待" in joint.content.decode()
