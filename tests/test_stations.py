"""Liaison stations: the 1+4 composition flag, who may register visitors, the visitor's matter answered or
passed into the loop, the public station page, attendance as a duty record, and lists whose query counts do not
grow with the rows."""

import datetime
import secrets

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from committee.duties import registry
from committee.models import User
from committee.notices.models import Notice
from deputies.models import Deputy
from liaison_stations import selectors, services
from liaison_stations.models import LiaisonStation, Receiver, ReceiverKind, Reception, StationKind, Visit
from supervision.models import Channel, Opinion, ProposerKind


@pytest.fixture
def fast_public_forms(monkeypatch, client):
    monkeypatch.setattr("committee.public.MIN_SECONDS", 0)
    monkeypatch.setitem(
        client.defaults, "REMOTE_ADDR", "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))
    )


def _officials(skip=()):
    kinds = [ReceiverKind.JUDGE, ReceiverKind.PROSECUTOR, ReceiverKind.POLICE, ReceiverKind.JUSTICE]
    return [(kind, f"官员{n}", "单位") for n, kind in enumerate(kinds) if kind not in skip]


def test_a_reception_short_of_the_required_composition_is_flagged(client, login, staff_user, station):
    deputies = list(services.deputies_of(station.street)[:2])
    starts_at = timezone.now() + datetime.timedelta(days=10)
    full = services.reception_plan(
        by=staff_user, station=station, starts_at=starts_at, deputies=deputies, officials=_officials()
    )
    short = services.reception_plan(
        by=staff_user,
        station=station,
        starts_at=starts_at + datetime.timedelta(days=1),
        deputies=deputies,
        officials=_officials(skip=[ReceiverKind.PROSECUTOR]),
    )
    assert selectors.composition_met(selectors.composition_counts(full))
    assert not selectors.composition_met(selectors.composition_counts(short))
    login(staff_user)
    assert "不符合“1+4”要求" in client.get(short.get_absolute_url()).content.decode()
    page = client.get(full.get_absolute_url()).content.decode()
    assert "符合“1+4”要求" in page and "不符合" not in page


def test_the_composition_is_a_setting(settings, staff_user, station):
    settings.STATIONS_RECEPTION_COMPOSITION = {"deputy": 3}
    deputies = list(services.deputies_of(station.street)[:2])
    reception = services.reception_plan(
        by=staff_user, station=station, starts_at=timezone.now(), deputies=deputies, officials=_officials()
    )
    assert not selectors.composition_met(selectors.composition_counts(reception))


def test_receivers_are_told_three_days_ahead(staff_user, station):
    deputies = list(services.deputies_of(station.street)[:2])
    starts_at = timezone.now() + datetime.timedelta(days=10)
    reception = services.reception_plan(by=staff_user, station=station, starts_at=starts_at, deputies=deputies)
    notices = Notice.objects.filter(event_key=f"stations.reception:{reception.pk}")
    assert {n.recipient_id for n in notices} == {d.user_id for d in deputies}
    assert {n.due_at for n in notices} == {starts_at - datetime.timedelta(days=3)}


def test_a_deputy_registers_visitors_only_at_receptions_they_are_on(client, login, deputy_user, coming, station):
    other = Reception.objects.filter(station=station).exclude(receivers__person=deputy_user).first()
    login(deputy_user)
    assert client.get(reverse("stations:visit_add", args=[coming.pk])).status_code == 200
    assert client.get(reverse("stations:visit_add", args=[other.pk])).status_code == 403
    response = client.post(
        reverse("stations:visit_add", args=[other.pk]), {"name": "甲", "matter": "乙", "handling": "loop"}
    )
    assert response.status_code == 403 and not other.visits.filter(name="甲").exists()
    with pytest.raises(PermissionDenied):
        services.visit_register(by=deputy_user, reception=other, name="甲", matter="乙", pass_to_loop=True)


def test_another_streets_station_and_reception_are_404(client, login, demo_data, station, coming):
    login(User.objects.get(username="xinxianglu_staff"))
    assert client.get(station.get_absolute_url()).status_code == 404
    assert client.post(reverse("stations:reception_add", args=[station.pk]), {}).status_code == 404
    assert client.post(reverse("stations:visit_add", args=[coming.pk]), {"name": "甲"}).status_code == 404


def test_a_matter_answered_on_the_spot_and_one_passed_into_the_loop(client, login, deputy_user, coming):
    login(deputy_user)
    url = reverse("stations:visit_add", args=[coming.pk])
    client.post(
        url,
        {
            "name": "王大爷",
            "sex": "male",
            "age": "70",
            "matter": "公交站牌字太小",
            "handling": "answer",
            "answer": "已记下，转告公交公司。",
        },
    )
    response = client.post(
        url,
        {
            "name": "李阿姨",
            "phone": "13800002222",
            "matter": "小区电梯经常停运",
            "category": "物业",
            "handling": "loop",
        },
    )
    assert response.status_code == 302
    answered, passed = coming.visits.order_by("number")
    assert (answered.number, answered.opinion, answered.answer) == (1, None, "已记下，转告公交公司。")
    case = passed.opinion
    assert (case.channel, case.proposer_user, case.proposer_kind, case.source) == (
        Channel.RECEPTION,
        deputy_user,
        ProposerKind.DEPUTY,
        coming,
    )
    page = client.get(coming.get_absolute_url()).content.decode()
    assert case.tracking_code in page and case.get_state_display() in page
    assert client.get(reverse("supervision:track", args=[case.tracking_code])).status_code == 200


def test_a_visit_is_either_answered_or_passed_on(client, login, deputy_user, coming):
    login(deputy_user)
    url = reverse("stations:visit_add", args=[coming.pk])
    both = client.post(url, {"name": "甲", "matter": "乙", "handling": "loop", "answer": "丙"})
    neither = client.post(url, {"name": "甲", "matter": "乙", "handling": "answer"})
    assert both.status_code == neither.status_code == 200
    assert "二选一" in both.content.decode() and "请填写当场答复" in neither.content.decode()
    assert not coming.visits.exists()


def test_a_resident_leaves_a_message_on_the_public_station_page(client, station, fast_public_forms):
    page = client.get(station.public_url())
    assert page.status_code == 200 and "data:image/png;base64," in page.content.decode()
    response = client.post(
        station.public_url(),
        {
            "content": "建议在广场加装健身器材",
            "name": "赵先生",
            "website": "",
            "started": page.context["form"]["started"].value(),
        },
    )
    case = Opinion.objects.get(content="建议在广场加装健身器材")
    assert response["Location"] == reverse("supervision:track", args=[case.tracking_code])
    assert (case.channel, case.street_id, case.source, case.proposer_name) == (
        Channel.RECEPTION,
        station.street_id,
        station,
        "赵先生",
    )


def test_attendance_is_a_duty_record_and_counts_on_the_deputys_home(client, login, staff_user, deputy_user, station):
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    before = [
        i
        for i in registry.items(people=[deputy_user.pk], streets=[station.street_id], start=start, end=today)
        if i.kind == "reception"
    ]
    deputy = Deputy.objects.get(user=deputy_user)
    absent = Deputy.objects.filter(street=station.street, end_reason="").exclude(pk=deputy.pk).first()
    reception = services.reception_plan(
        by=staff_user,
        station=station,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        deputies=[deputy, absent],
    )
    came = reception.receivers.get(person=deputy_user)
    services.reception_report(by=staff_user, reception=reception, summary="接待1人次", attended={came.pk})
    assert reception.receivers.get(person=absent.user).attended is False
    after = [
        i
        for i in registry.items(
            people=[deputy_user.pk, absent.user_id], streets=[station.street_id], start=start, end=today
        )
        if i.kind == "reception"
    ]
    assert len(after) == len(before) + 1 and after[-1].source == came
    login(deputy_user)
    home = client.get(reverse("home")).content.decode()
    assert (
        f'进站接待选民<span class="badge {"text-bg-success" if len(after) >= 2 else "text-bg-warning"}">{len(after)} / 2'
        in home
    )


def test_the_report_waits_for_the_day(staff_user, coming):
    with pytest.raises(Exception, match="尚未开始"):
        services.reception_report(by=staff_user, reception=coming, summary="x", attended=set())


def test_station_figures_come_from_the_loop(station):
    figures = selectors.station_figures(station)
    visits = Visit.objects.filter(reception__station=station)
    assert figures["visitors"] == visits.count() > 0
    assert figures["cases"] == visits.exclude(opinion=None).count()
    assert figures["answered"] == visits.exclude(answer="").count()


def test_one_street_station_per_street(staff_user, street):
    with pytest.raises(Exception, match="只有一个街道代表联络站"):
        services.station_save(by=staff_user, street=street, name="第二个", kind=StationKind.STREET)


def test_city_reads_every_station_and_changes_none(client, login, city_user, station):
    login(city_user)
    assert client.get(station.get_absolute_url()).status_code == 200
    assert client.post(reverse("stations:edit", args=[station.pk]), {"name": "改名"}).status_code == 403


# --- Query counts with thousands of rows ------------------------------------------------------------------


@pytest.fixture
def thousands(station, staff_user):
    street = station.street
    stations = LiaisonStation.objects.bulk_create(
        [
            LiaisonStation(street=street, name=f"联络点{i}", kind=StationKind.AREA, public_code=f"bulk{i}")
            for i in range(2000)
        ]
    )
    now = timezone.now()
    receptions = Reception.objects.bulk_create(
        [
            Reception(
                street=street,
                station=stations[i % 50],
                starts_at=now - datetime.timedelta(days=i),
                created_by=staff_user,
            )
            for i in range(2000)
        ]
    )
    Receiver.objects.bulk_create(
        [Receiver(street=street, reception=r, kind=ReceiverKind.JUDGE, name="法官") for r in receptions]
    )
    Visit.objects.bulk_create(
        [
            Visit(
                street=street,
                reception=receptions[i % 2000],
                number=1 + i // 2000,
                name=f"来访{i}",
                matter="事项",
                answer="已答复",
                registered_by=staff_user,
                registered_at=now,
            )
            for i in range(4000)
        ]
    )


@pytest.mark.parametrize(
    ("name", "queries"), [("stations:list", 6), ("stations:receptions", 6), ("stations:visits", 6)]
)
def test_list_query_counts_are_fixed_with_thousands_of_rows(
    client, login, staff_user, thousands, name, queries, django_assert_num_queries
):
    login(staff_user)
    client.get(reverse(name))
    with django_assert_num_queries(queries):
        response = client.get(reverse(name), {"page": 3})
    assert len(response.context["page"]) == 25


# --- Compliance ---------------------------------------------------------------------------------------------


def _rule(rule_id):
    from committee.compliance.registry import rule

    return rule(rule_id)


def test_rule_14_4_wants_a_reception_with_the_composition_every_month(street, staff_user, station):
    from committee.compliance.registry import Status, window

    quarter = window(_rule("14(4)").period, 2026, 1)
    today = datetime.date(2026, 4, 10)
    # The demo: February's reception lacks its prosecutor, so the first quarter is missed, and the evidence says why.
    result = _rule("14(4)").evaluate([street], quarter, today)[street.pk]
    assert result.status == Status.MISSED and "2/3" in result.summary
    evidence = _rule("14(4)").list_evidence(street, quarter, today)
    assert [e.label.endswith("组成不符合") for e in evidence] == [False, True, False]
    february = Reception.objects.get(station=station, starts_at__month=2, starts_at__year=2026)
    Receiver.objects.create(street=street, reception=february, kind=ReceiverKind.PROSECUTOR, name="补")
    assert _rule("14(4)").evaluate([street], quarter, today)[street.pk].status == Status.MET


def test_rule_15_1_names_the_deputies_short_of_two_receptions(street):
    from committee.compliance.registry import Status, window

    year = window(_rule("15(1)").period, 2026, 4)
    result = _rule("15(1)").evaluate([street], year, datetime.date(2027, 1, 5))[street.pk]
    evidence = _rule("15(1)").list_evidence(street, year, datetime.date(2027, 1, 5))
    assert result.status == Status.MISSED and evidence
    assert all("/records/" in e.url or "/duties/" in e.url for e in evidence)


def test_rule_14_2_flags_a_street_station_whose_master_is_not_the_director(street, staff_user, station):
    from committee.compliance.registry import Status, window

    year = window(_rule("14(2)").period, 2026, 4)
    today = timezone.localdate()
    assert _rule("14(2)").evaluate([street], year, today)[street.pk].status == Status.MET
    services.station_role_add(by=staff_user, station=station, kind="master", person=staff_user, starts_on=today)
    result = _rule("14(2)").evaluate([street], year, today)[street.pk]
    assert result.status == Status.MISSED and "不是工委主任" in result.summary


def test_rule_14_5_wants_a_themed_activity_each_half_year(street, staff_user, station):
    from committee.compliance.registry import Status, window

    rule = _rule("14(5)")
    first, second = window(rule.period, 2026, 1), window(rule.period, 2026, 3)
    today = datetime.date(2027, 1, 5)
    # The demo holds September's as a themed activity, none in the first half.
    assert rule.evaluate([street], first, today)[street.pk].status == Status.MISSED
    assert rule.evaluate([street], second, today)[street.pk].status == Status.MET
    assert [e.day.month for e in rule.list_evidence(street, second, today)] == [9]
