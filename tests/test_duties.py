"""Duty records and points (Issue 10 §2-§3): the registry, claims, points from the rule table, publication and
corrections."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from committee.duties import registry
from committee.models import Membership, User
from committee.roles import Role
from deputies.models import deputy_memberships
from deputies.records import services
from deputies.records.models import Claim, ClaimKind, ClaimState, CorrectionKind, PointEntry, QuarterScore
from deputies.records.points import DEFAULT_BASE, DEFAULT_RULES, rules_for, score
from meetings.models import Answer, Meeting, MeetingKind, MeetingState, Participant
from supervision.models import Channel
from supervision.services import opinion_register

YEAR, Q = 2025, 4
DAY = datetime.date(2025, 11, 12)


def photo():
    return SimpleUploadedFile("deed.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")


@pytest.fixture
def deputy(street):
    """A fresh deputy of 望春门 with no records (the demo's have many)."""
    user = User.objects.create(username="duty_test_deputy", full_name="测试代表", mobile="13900009999")
    Membership.objects.create(user=user, street=street, role=Role.DEPUTY, started_on=datetime.date(2025, 1, 1))
    return user


def _meeting_attended(street, deputy, staff_user):
    meeting = Meeting.objects.create(
        street=street,
        kind=MeetingKind.COMMITTEE,
        title="测试工委会议",
        date=DAY,
        time=datetime.time(9),
        place="工委会议室",
        state=MeetingState.HELD,
        notice_sent_on=DAY - datetime.timedelta(days=12),
        created_by=staff_user,
    )
    return Participant.objects.create(
        street=street,
        meeting=meeting,
        user=deputy,
        name=deputy.full_name,
        group="member",
        answer=Answer.ATTEND,
        signed_in_at=timezone.now(),
    )


def _records(street, deputy, staff_user):
    participant = _meeting_attended(street, deputy, staff_user)
    opinion = opinion_register(
        by=deputy,
        street=street,
        channel=Channel.DEPUTY_SUGGESTION,
        content="东风路口路灯坏了",
        category="市政设施",
        proposer_user=deputy,
        registered_at=timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(10))),
    )
    claim = services.claim_file(
        by=deputy, street=street, kind=ClaimKind.DEED, title="修好楼道路灯", date=DAY, evidence=[photo()]
    )
    services.claim_confirm(by=staff_user, claim=claim)
    return participant, opinion, claim


def test_a_meeting_a_suggestion_and_a_confirmed_deed_give_the_tables_points_each_linked(street, deputy, staff_user):
    participant, opinion, claim = _records(street, deputy, staff_user)
    quarter = services.quarter_publish(by=staff_user, street=street, year=YEAR, number=Q, on=datetime.date(2026, 1, 5))
    entries = {entry.kind: entry for entry in PointEntry.objects.filter(quarter=quarter, person=deputy)}
    assert set(entries) == {"meeting_attended", "opinion_raised", "deed"}
    for kind, source in (("meeting_attended", participant), ("opinion_raised", opinion), ("deed", claim)):
        assert entries[kind].points == DEFAULT_RULES[kind][0]
        assert entries[kind].source == source
    expected = sum(DEFAULT_RULES[k][0] for k in entries)
    score = QuarterScore.objects.get(quarter=quarter, person=deputy)
    assert score.points == expected
    assert score.year_total == DEFAULT_BASE + expected


def test_an_unconfirmed_claim_gives_no_points(street, deputy, staff_user):
    services.claim_file(by=deputy, street=street, kind=ClaimKind.DEED, title="待确认", date=DAY, evidence=[photo()])
    rejected = services.claim_file(
        by=deputy, street=street, kind=ClaimKind.DEED, title="被退回", date=DAY, evidence=[photo()]
    )
    services.claim_reject(by=staff_user, claim=rejected, reason="缺少成效说明")
    items = registry.items(people=[deputy.pk], streets=[street.pk], start=DAY, end=DAY)
    assert items == []
    quarter = services.quarter_publish(by=staff_user, street=street, year=YEAR, number=Q, on=datetime.date(2026, 1, 5))
    assert QuarterScore.objects.get(quarter=quarter, person=deputy).points == 0


def test_a_deputy_can_never_confirm_their_own_claim(street, deputy, staff_user):
    claim = services.claim_file(
        by=deputy, street=street, kind=ClaimKind.DEED, title="自己确认", date=DAY, evidence=[photo()]
    )
    with pytest.raises(PermissionDenied):
        services.claim_confirm(by=deputy, claim=claim)
    # Nor a member of staff who took part in it, nor the database.
    with transaction.atomic(), pytest.raises(IntegrityError):
        Claim.objects.filter(pk=claim.pk).update(
            state=ClaimState.CONFIRMED, reviewed_by=deputy, reviewed_at=timezone.now()
        )
    claim.refresh_from_db()
    assert claim.state == ClaimState.PENDING


def test_a_claim_without_evidence_is_refused(street, deputy):
    with pytest.raises(ValidationError) as error:
        services.claim_file(by=deputy, street=street, kind=ClaimKind.DEED, title="无佐证", date=DAY)
    assert "evidence" in error.value.error_dict


def test_the_same_record_never_counts_twice(street, deputy, staff_user):
    participant = _meeting_attended(street, deputy, staff_user)
    quarter = services.quarter_publish(by=staff_user, street=street, year=YEAR, number=Q, on=datetime.date(2026, 1, 5))
    entry = PointEntry.objects.get(quarter=quarter, person=deputy)
    with transaction.atomic(), pytest.raises(IntegrityError):
        PointEntry.objects.create(
            street=street,
            quarter=quarter,
            person=deputy,
            kind=entry.kind,
            date=entry.date,
            label="again",
            url="/",
            points=entry.points,
            source_type=ContentType.objects.get_for_model(participant),
            source_id=participant.pk,
        )
    # Recomputing (an accepted correction) does not add it again either.
    services._write_lines(quarter, [deputy.pk])
    assert PointEntry.objects.filter(person=deputy, source_id=participant.pk).count() == 1


def test_an_organised_activity_is_one_record_for_all_its_participants(street, deputy, staff_user):
    others = list(Membership.objects.filter(street=street, role=Role.DEPUTY, ended_on=None).exclude(user=deputy)[:11])
    people = [deputy, *(m.user for m in others)]
    claim = services.activity_record(
        by=staff_user, street=street, kind=ClaimKind.LEGAL_PUBLICITY, title="宪法宣传", date=DAY, participants=people
    )
    assert Claim.objects.filter(title="宪法宣传").count() == 1
    items = registry.items(people=[p.pk for p in people], streets=[street.pk], start=DAY, end=DAY)
    assert sorted(i.person_id for i in items if i.source == claim) == sorted(p.pk for p in people)


def test_an_accepted_correction_changes_the_score_and_a_rejected_one_does_not(street, deputy, staff_user):
    _records(street, deputy, staff_user)
    on = datetime.date(2026, 1, 5)
    quarter = services.quarter_publish(by=staff_user, street=street, year=YEAR, number=Q, on=on)
    before = QuarterScore.objects.get(quarter=quarter, person=deputy).points
    deed = PointEntry.objects.get(quarter=quarter, person=deputy, kind="deed")
    rejected = services.correction_report(
        by=deputy, quarter=quarter, kind=CorrectionKind.ERROR, text="不对", entry=deed, on=on
    )
    with pytest.raises(ValidationError):
        services.correction_resolve(by=staff_user, correction=rejected, accept=False)
    services.correction_resolve(by=staff_user, correction=rejected, accept=False, reply="核对无误")
    assert QuarterScore.objects.get(quarter=quarter, person=deputy).points == before
    meeting = PointEntry.objects.get(quarter=quarter, person=deputy, kind="meeting_attended")
    accepted = services.correction_report(
        by=deputy, quarter=quarter, kind=CorrectionKind.DUPLICATE, text="重复", entry=meeting, on=on
    )
    services.correction_resolve(by=staff_user, correction=accepted, accept=True, reply="已删除重复记录")
    after = QuarterScore.objects.get(quarter=quarter, person=deputy)
    assert after.points == before - DEFAULT_RULES["meeting_attended"][0]
    # An omission: staff record the missed activity, accept, and the quarter is recomputed with it.
    omission = services.correction_report(
        by=deputy, quarter=quarter, kind=CorrectionKind.OMISSION, text="漏记普法", on=on
    )
    services.activity_record(
        by=staff_user,
        street=street,
        kind=ClaimKind.LEGAL_PUBLICITY,
        title="漏记的普法",
        date=DAY,
        participants=[deputy],
    )
    services.correction_resolve(by=staff_user, correction=omission, accept=True, reply="已补记")
    assert (
        QuarterScore.objects.get(quarter=quarter, person=deputy).points
        == after.points + DEFAULT_RULES["legal_publicity"][0]
    )
    with pytest.raises(ValidationError):
        services.quarter_finalise(by=staff_user, quarter=quarter, on=on)
    services.quarter_finalise(by=staff_user, quarter=quarter, on=quarter.corrections_until + datetime.timedelta(days=1))


def test_a_cap_holds_and_absence_without_leave_deducts(street, deputy, staff_user):
    services.point_rules_save(
        by=User.objects.get(username="wangchunmen_director"),
        street=street,
        year=YEAR,
        base_points=Decimal(60),
        table={"deed": (Decimal(5), Decimal(7))},
    )
    for n in range(3):
        claim = services.claim_file(
            by=deputy, street=street, kind=ClaimKind.DEED, title=f"实事{n}", date=DAY, evidence=[photo()]
        )
        services.claim_confirm(by=staff_user, claim=claim)
    participant = _meeting_attended(street, deputy, staff_user)
    Participant.objects.filter(pk=participant.pk).update(signed_in_at=None, answer=Answer.PENDING)
    quarter = services.quarter_publish(by=staff_user, street=street, year=YEAR, number=Q, on=datetime.date(2026, 1, 5))
    points = sorted(PointEntry.objects.filter(quarter=quarter, person=deputy).values_list("points", flat=True))
    assert points == [Decimal(-1), Decimal(0), Decimal(2), Decimal(5)]


def test_only_the_director_edits_the_rules(street, staff_user):
    with pytest.raises(PermissionDenied):
        services.point_rules_save(by=staff_user, street=street, year=YEAR, base_points=Decimal(50), table={})


def test_a_quarter_is_published_only_once_it_ended(street, staff_user):
    with pytest.raises(ValidationError):
        services.quarter_publish(by=staff_user, street=street, year=YEAR, number=Q, on=datetime.date(2025, 12, 30))


def test_the_demo_gives_every_deputy_a_year_of_records(street):
    deputies = Membership.objects.filter(street=street, role=Role.DEPUTY, ended_on=None).values_list(
        "user_id", flat=True
    )
    items = registry.items(
        people=deputies, streets=[street.pk], start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )
    per_person = {pk: [i for i in items if i.person_id == pk] for pk in deputies}
    assert all(len(found) >= 3 for found in per_person.values())
    assert Claim.objects.filter(street=street, state=ClaimState.PENDING).exists()
    assert Claim.objects.filter(street=street, state=ClaimState.REJECTED).exists()
    assert QuarterScore.objects.filter(street=street, quarter__year=2026, quarter__number=3).count() == len(deputies)


def test_an_opinion_on_a_major_measure_is_a_duty_record_once_per_consultation(street, deputy, staff_user):
    from deputies.suggestions.models import MeasureConsultation, MeasureOpinion

    consultation = MeasureConsultation.objects.filter(street=street).first()
    at = timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(10)))
    for text in ("第一条意见", "补充意见"):
        MeasureOpinion.objects.create(street=street, consultation=consultation, deputy=deputy, content=text, at=at)
    items = registry.items(people=[deputy.pk], streets=[street.pk], start=DAY, end=DAY)
    assert [(i.kind, i.source) for i in items] == [("measure_opinion", consultation)]


def test_every_registered_duty_kind_has_a_default_points_line():
    """A kind the scheme does not list earns 0 until the director notices; the defaults name every kind."""
    assert set(registry.kinds()) <= set(DEFAULT_RULES)
    assert DEFAULT_RULES["constituent_report"] == (Decimal(5), None)
    assert DEFAULT_RULES["hotline_reported"] == (Decimal(2), Decimal(20))


def test_reports_to_constituents_and_12345_reports_earn_points_on_the_archive_and_the_home(client, street, staff_user):
    from deputies.reports.models import ConstituentReport
    from livelihood_votes.governance.models import HotlineReport

    # The demo's June report to constituents fell in the second quarter, published with its points.
    report = ConstituentReport.objects.filter(street=street, date__year=2026).select_related("deputy__user").first()
    person = report.deputy.user
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    response = client.get(reverse("records:archive", args=[street.pk, person.pk, 2026]))
    lines = {item.source: entry for item, entry in response.context["page"] if item.kind == "constituent_report"}
    assert lines[report].points == DEFAULT_RULES["constituent_report"][0]
    assert f"{lines[report].points}分" in response.content.decode()
    # The demo deputy's 12345 reports of this quarter count in the home's running total (capped at 20 a year).
    deputy = User.objects.get(username=f"{street.slug}_deputy")
    today = timezone.localdate()
    reports = HotlineReport.objects.filter(street=street, deputy=deputy, reported_on__year=today.year).count()
    assert reports > 0
    items = registry.items(people=[deputy.pk], streets=[street.pk], start=datetime.date(today.year, 1, 1), end=today)
    earned = sum(
        line.points for line in score(items, rules_for(street, today.year)) if line.item.kind == "hotline_reported"
    )
    assert earned == min(reports * DEFAULT_RULES["hotline_reported"][0], DEFAULT_RULES["hotline_reported"][1])
    client.force_login(deputy, backend="committee.auth.MobileOrUsernameBackend")
    home = client.get(reverse("home")).context["home_sections"]
    section = next(s for s in home if s.template == "records/_home.html")
    lines = score(items, rules_for(street, today.year))
    assert section.context["year_total"] == DEFAULT_BASE + sum(line.points for line in lines)


def test_the_demo_deputies_records_fall_over_the_year_not_on_the_day_it_was_seeded(client, street):
    """Votes are dated by their meetings, the cases raised on visits, hearings and reports to constituents by
    those days, opinions on a major measure within the consultation: a deputy's 档案 reads as a year's work."""
    from supervision.models import Channel, Opinion

    today = timezone.localdate()
    people = list(deputy_memberships().filter(street=street).values_list("user_id", flat=True))
    items = registry.items(people=people, streets=[street.pk], start=datetime.date(today.year, 1, 1), end=today)
    on_the_day = [item for item in items if item.date == today]
    # What the demo shows happening this week: the deputy suggestions submitted through their workflow.
    assert all(
        item.kind == "opinion_raised" and item.source.channel == Channel.DEPUTY_SUGGESTION for item in on_the_day
    ), [(item.kind, item.label) for item in on_the_day]
    assert len(on_the_day) * 20 < len(items)
    assert len({item.date.month for item in items}) >= 10
    for kind in ("ballot_voted", "opinion_raised", "measure_opinion"):
        assert any(item.kind == kind for item in items), kind
    raised = Opinion.objects.filter(street=street, channel__in=["field_visit", "special_work_report"])
    assert raised.exists() and not raised.filter(created_at__date=today).exists()
    # The demo deputy's home: the latest records are not all of today.
    client.force_login(
        User.objects.get(username=f"{street.slug}_deputy"), backend="committee.auth.MobileOrUsernameBackend"
    )
    home = client.get(reverse("home")).context["home_sections"]
    recent = next(s for s in home if s.template == "records/_home.html").context["recent"]
    assert recent and {item.date for item in recent} != {today}
