"""The opinion-handling loop (issue 4 §1, §2): services, transitions, scoping, reminders, figures, pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from committee.models import Membership, Street, User
from committee.notices.models import Notice, Reminder, ReminderState
from committee.notices.services import notices_sweep
from committee.roles import Role
from committee.workdays import add_working_days
from supervision import selectors, services, transitions
from supervision.models import (
    Channel,
    HandlingUnit,
    HandlingUnitMember,
    Opinion,
    OpinionEvent,
    Rating,
    ReplyClass,
    State,
    UnitKind,
)
from tests.conftest import account


@pytest.fixture
def unit_user(demo_data):
    return account("wangchunmen", Role.HANDLING_UNIT)


@pytest.fixture
def office(street):
    return HandlingUnit.objects.get(street=street, name="街道办事处党政综合办公室")


@pytest.fixture
def other_unit(street):
    return HandlingUnit.objects.get(street=street, name="城市管理办公室")


def register(staff_user, street, **kwargs):
    return services.opinion_register(
        by=staff_user,
        street=street,
        channel=kwargs.pop("channel", Channel.RECEPTION),
        content=kwargs.pop("content", "东风路路灯坏了，请维修。"),
        proposer_name="王建国",
        proposer_phone="13812345678",
        **kwargs,
    )


def test_register_records_event_source_and_attachments(staff_user, street, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    source = HandlingUnit.objects.filter(street=street).first()  # any saved record can be a source
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    opinion = register(staff_user, street, source=source, attachments=[photo], category="市政设施")
    assert opinion.state == State.REGISTERED
    assert len(opinion.tracking_code) == 10
    assert list(selectors.opinions_for_source(source)) == [opinion]
    event = OpinionEvent.objects.get(opinion=opinion)
    assert (event.action, event.from_state, event.to_state, event.by) == ("register", "", State.REGISTERED, staff_user)
    assert opinion.attachments.get().name == "现场.jpg"


def test_register_refuses_bad_input_and_strangers(staff_user, street, other_street):
    with pytest.raises(ValidationError, match="内容"):
        register(staff_user, street, content="  ")
    with pytest.raises(ValidationError, match="渠道"):
        register(staff_user, street, channel="fax")
    with pytest.raises(PermissionDenied):
        register(staff_user, other_street)
    # A deputy raising their own case is its proposer; a public submission has no acting user.
    deputy = account("wangchunmen", Role.DEPUTY)
    own = services.opinion_register(by=deputy, street=street, channel=Channel.DEPUTY_SUGGESTION, content="建议")
    assert own.proposer_user == deputy and own.proposer_kind == "deputy"
    public = services.opinion_register(by=None, street=street, channel=Channel.SNAPSHOT, content="随手拍")
    assert public.registered_by is None


def test_assign_uses_the_channel_deadline_and_sets_reminders(staff_user, street, office, unit_user):
    opinion = register(staff_user, street, channel=Channel.HOTLINE)
    opinion = services.opinion_assign(by=staff_user, opinion=opinion, unit=office)
    today = timezone.localdate()
    assert opinion.state == State.ASSIGNED
    assert opinion.deadline == add_working_days(today, 5)
    unit_reminder = Reminder.objects.get(key=f"opinion:{opinion.pk}:unit")
    assert list(unit_reminder.recipients.all()) == [unit_user]
    staff_reminder = Reminder.objects.get(key=f"opinion:{opinion.pk}:staff")
    assert staff_user in staff_reminder.recipients.all() and staff_reminder.days_before == 0
    assert Notice.objects.filter(kind="opinion_assigned", recipient=unit_user).exists()


def test_deadlines_per_channel(settings):
    assert services.deadline_working_days(Channel.HOTLINE) == 5
    assert services.deadline_working_days(Channel.SNAPSHOT) == 3
    assert services.deadline_working_days(Channel.DEPUTY_SUGGESTION) == 60
    assert services.deadline_working_days(Channel.RECEPTION) == 15


def test_escalate_tells_the_city(staff_user, street, city_user):
    opinion = services.opinion_escalate(by=staff_user, opinion=register(staff_user, street), note="超出街道职权")
    assert opinion.state == State.ESCALATED
    assert Notice.objects.filter(kind="opinion_escalated", recipient=city_user).exists()


def test_illegal_transitions_are_refused_with_a_message(staff_user, street, office, unit_user):
    opinion = register(staff_user, street)
    with pytest.raises(ValidationError, match="当前状态为“已登记”，不能办结"):
        services.opinion_close(by=staff_user, opinion=opinion)
    services.opinion_escalate(by=staff_user, opinion=opinion)
    with pytest.raises(ValidationError, match="不能交办"):
        services.opinion_assign(by=staff_user, opinion=opinion, unit=office)
    assert transitions.actions_from(State.ASSIGNED) == ["return", "accept"]


def test_the_whole_loop_with_a_second_handling(staff_user, street, office, unit_user):
    opinion = services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=office)
    services.opinion_accept(by=unit_user, opinion=opinion)
    services.opinion_meeting_record(
        by=unit_user, opinion=opinion, met_at=timezone.now(), place="联络站", participants="王建国", summary="沟通"
    )
    due = timezone.localdate() + datetime.timedelta(days=10)
    reply = services.opinion_reply(
        by=unit_user, opinion=opinion, reply_class=ReplyClass.B, body="正在维修", commitments=[("更换灯具", due)]
    )
    assert Reminder.objects.get(key=f"opinion:{opinion.pk}:unit").state == ReminderState.DONE
    with pytest.raises(ValidationError, match="理由"):
        services.opinion_rate(by=None, opinion=opinion, rating=Rating.UNSATISFIED)
    opinion = services.opinion_rate(by=None, opinion=opinion, rating=Rating.UNSATISFIED, note="还没修好")
    assert (opinion.state, opinion.round) == (State.IN_PROGRESS, 2)
    assert opinion.deadline == add_working_days(timezone.localdate(), 15)
    assert Reminder.objects.get(key=f"opinion:{opinion.pk}:unit").state == ReminderState.ACTIVE
    services.opinion_reply(by=unit_user, opinion=opinion, reply_class=ReplyClass.A, body="已修好")
    services.opinion_rate(by=None, opinion=opinion, rating=Rating.SATISFIED)
    with pytest.raises(ValidationError, match="1 项承诺事项未完成"):
        services.opinion_close(by=staff_user, opinion=opinion)
    services.commitment_complete(by=unit_user, commitment=reply.commitments.get(), evidence="已更换")
    opinion = services.opinion_close(by=staff_user, opinion=opinion)
    assert opinion.state == State.CLOSED
    trail = list(OpinionEvent.objects.filter(opinion=opinion).values_list("action", flat=True))
    assert trail == [
        "register", "assign", "accept", "start", "meeting", "reply", "rate", "reopen",
        "reply", "rate", "commitment_done", "close",
    ]  # fmt: skip


def test_only_the_assigned_unit_acts(staff_user, street, office, other_unit, unit_user):
    opinion = services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=other_unit)
    with pytest.raises(PermissionDenied):
        services.opinion_accept(by=unit_user, opinion=opinion)
    with pytest.raises(PermissionDenied):
        services.opinion_accept(by=staff_user, opinion=opinion)


def test_return_within_the_limit_only(staff_user, street, office, unit_user, settings):
    opinion = services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=office)
    with pytest.raises(ValidationError, match="退回理由"):
        services.opinion_return(by=unit_user, opinion=opinion, reason=" ")
    # Assigned 8 working days ago: past the 7-day limit.
    Opinion.objects.filter(pk=opinion.pk).update(assigned_on=add_working_days(timezone.localdate(), -8))
    with pytest.raises(ValidationError, match="超过 7 个工作日"):
        services.opinion_return(by=unit_user, opinion=opinion, reason="不是我们的")
    Opinion.objects.filter(pk=opinion.pk).update(assigned_on=add_working_days(timezone.localdate(), -7))
    opinion = services.opinion_return(by=unit_user, opinion=opinion, reason="不是我们的")
    assert (opinion.state, opinion.unit) == (State.RETURNED, None)
    services.opinion_assign(by=staff_user, opinion=opinion, unit=office)


def test_unit_with_open_cases_cannot_be_deleted(staff_user, street, office):
    services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=office)
    with pytest.raises(ValidationError, match="未办结"):
        services.handling_unit_delete(by=staff_user, unit=office)
    empty = services.handling_unit_save(by=staff_user, street=street, name="新单位", kind=UnitKind.DEPARTMENT)
    assert services.handling_unit_delete(by=staff_user, unit=empty) is True
    with pytest.raises(ValidationError, match="已有名为"):
        services.handling_unit_save(by=staff_user, street=street, name=office.name, kind=UnitKind.OFFICE)


def test_a_person_belongs_to_one_unit(staff_user, street, office, other_unit, unit_user):
    with pytest.raises(ValidationError, match="一个办理单位"):
        services.handling_unit_member_add(by=staff_user, unit=other_unit, user=unit_user)
    with pytest.raises(ValidationError, match="没有“办理单位”角色"):
        services.handling_unit_member_add(by=staff_user, unit=other_unit, user=account("wangchunmen", Role.DEPUTY))
    assert HandlingUnitMember.objects.get(user=unit_user).unit == office


def test_overdue_reminders_are_sent_once(staff_user, street, office, unit_user):
    opinion = services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=office)
    deadline = opinion.deadline
    after = timezone.make_aware(datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time(9)))
    notices_sweep(now=after)
    notices_sweep(now=after)
    overdue = Notice.objects.filter(kind="overdue", subject_id=opinion.pk, channel="in_app")
    # Once each: the unit's account, and the committee's people (the second staff member has no login but is staff).
    expected = {unit_user.pk, *(u.pk for u in services.staff_of(street))}
    assert sorted(overdue.values_list("recipient_id", flat=True)) == sorted(expected)
    assert staff_user.pk in expected
    before = Notice.objects.filter(kind="reminder", subject_id=opinion.pk, recipient=unit_user, channel="in_app")
    assert before.count() == 1


def test_follow_up_letter_for_overdue_cases(staff_user, street, office):
    opinion = services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=office)
    with pytest.raises(ValidationError, match="逾期"):
        services.opinion_follow_up_letter(by=staff_user, opinion=opinion)
    Opinion.objects.filter(pk=opinion.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    document = services.opinion_follow_up_letter(by=staff_user, opinion=opinion, background=False)
    assert document.state == "done" and "函" in document.number
    assert OpinionEvent.objects.filter(opinion=opinion, action="follow_up", note=document.number).exists()


def test_figures_in_one_query(staff_user, street, django_assert_num_queries):
    opinions = Opinion.objects.filter(street__slug__in=["wangchunmen", "xinxianglu"])
    with django_assert_num_queries(1):
        rows = selectors.figures(opinions, "street")
    row = next(r for r in rows if r["id"] == street.pk)
    mine = list(Opinion.objects.filter(street=street))
    closed = sum(o.state == State.CLOSED for o in mine)
    rated = [o for o in mine if o.rating]
    satisfied = sum(o.rating in (Rating.SATISFIED, Rating.BASICALLY) for o in rated)
    assert (row["number"], row["closed"], row["rated"], row["satisfied"]) == (len(mine), closed, len(rated), satisfied)
    assert row["closed_share"] == round(100 * closed / len(mine), 1)
    assert row["overdue"] == sum(o.is_overdue for o in mine) >= 2


def test_figure_tables_are_the_figures_per_street_and_unit_in_two_queries(street, office, django_assert_num_queries):
    Opinion.objects.filter(street=street, unit=None).update(unit=office)  # a unit with many cases
    streets = list(Street.objects.filter(slug__in=["wangchunmen", "xinxianglu"]))
    opinions = Opinion.objects.filter(street__in=streets)
    with django_assert_num_queries(2):  # the cases per (street, unit); the units' names
        street_rows, unit_rows = selectors.figure_tables(opinions, HandlingUnit.objects.all(), streets)
    assert street_rows == selectors.figures(opinions, "street")
    assert unit_rows == selectors.with_shares(selectors.figure_rows(opinions.filter(unit__isnull=False), "unit"))
    mine = next(row for row in unit_rows if row["id"] == office.pk)
    assert (mine["name"], mine["street"]) == (office.name, street.name)
    assert mine["number"] == Opinion.objects.filter(unit=office).count() > 0
    assert {row["street"] for row in unit_rows} == {s.name for s in streets}
    assert sum(row["number"] for row in street_rows) == opinions.count()


def test_phone_masked_in_lists(login, staff_user):
    client = login(staff_user)
    response = client.get(reverse("supervision:opinion_list"))
    opinion = Opinion.objects.filter(street__slug="wangchunmen").exclude(proposer_phone="").first()
    body = response.content.decode()
    assert opinion.proposer_phone not in body or opinion.masked_phone in body
    assert opinion.proposer_phone[:3] + "****" in body


def test_demo_is_idempotent(demo_data):
    from supervision import demo

    counts = (Opinion.objects.count(), HandlingUnit.objects.count(), OpinionEvent.objects.count())
    demo.seed()
    assert counts == (Opinion.objects.count(), HandlingUnit.objects.count(), OpinionEvent.objects.count())
    assert Opinion.objects.filter(registered_by__username__endswith="_staff", source_id=None).count() >= 160
    assert Street.objects.count() == 4


# --- Pages ---------------------------------------------------------------------------------------------------


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_lists_keep_a_fixed_query_count_with_thousands_of_cases(login, staff_user, unit_user, street, office):
    staff_client = login(staff_user)
    urls = [
        reverse("supervision:opinion_list"),
        reverse("supervision:opinion_list") + "?overdue=1&channel=hotline_12345&q=路灯",
        reverse("supervision:figures"),
        reverse("supervision:unit_list"),
    ]
    today = timezone.localdate()

    def add(numbers):
        Opinion.objects.bulk_create(
            Opinion(
                street=street,
                channel=Channel.HOTLINE if i % 2 else Channel.SNAPSHOT,
                content=f"路灯不亮 {i}",
                proposer_name="李四",
                proposer_phone="13912345678",
                state=State.ASSIGNED,
                unit=office,
                deadline=today - datetime.timedelta(days=i % 5),
                assigned_on=today - datetime.timedelta(days=10),
                tracking_code=f"T{i:09d}",
            )
            for i in numbers
        )

    add(range(30))
    before = [_queries(staff_client, url) for url in urls]
    inbox_before = _queries(login(unit_user), reverse("supervision:inbox"))
    add(range(30, 3000))
    assert [_queries(login(staff_user), url) for url in urls] == before
    assert _queries(login(unit_user), reverse("supervision:inbox")) == inbox_before
    # session, user, memberships, streets, count, page…; the figures: one aggregate per (street, unit) and the
    # units' names (paged in Python: no count)
    assert before == [7, 7, 6, 6] and inbox_before == 7


def test_another_units_case_is_404_to_a_unit_user_and_403_to_a_deputy(login, staff_user, street, other_unit):
    opinion = services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=other_unit)
    url = reverse("supervision:opinion_detail", args=[opinion.pk])
    assert login(account("wangchunmen", Role.HANDLING_UNIT)).get(url).status_code == 404
    inbox = login(account("wangchunmen", Role.HANDLING_UNIT)).get(reverse("supervision:inbox")).content.decode()
    assert opinion.title not in inbox
    assert login(account("wangchunmen", Role.DEPUTY)).get(url).status_code == 403
    assert login(account("xinxianglu", Role.STAFF)).get(url).status_code == 404
    response = login(account("wangchunmen", Role.HANDLING_UNIT)).post(
        reverse("supervision:opinion_act", args=[opinion.pk, "accept"])
    )
    assert response.status_code == 404
    opinion.refresh_from_db()
    assert opinion.state == State.ASSIGNED


def test_a_refused_step_shows_its_message_and_changes_nothing(login, staff_user, street):
    opinion = register(staff_user, street)
    client = login(staff_user)
    response = client.post(reverse("supervision:opinion_act", args=[opinion.pk, "close"]), follow=True)
    assert "当前状态为“已登记”，不能办结。" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.state == State.REGISTERED and opinion.events.count() == 1


def test_register_form_keeps_input_on_error(login, staff_user):
    client = login(staff_user)
    response = client.post(
        reverse("supervision:opinion_add"),
        {"street": Street.objects.get(slug="wangchunmen").pk, "channel": "reception", "content": "路灯坏了",
         "proposer_kind": "resident", "proposer_phone": "电话号码"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "联系电话只能包含数字" in body and "路灯坏了" in body
    assert not Opinion.objects.filter(content="路灯坏了").exists()


def test_public_tracking_page_and_signed_rating_link(client, staff_user, street, office, unit_user):
    opinion = services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=office)
    page = client.get(reverse("supervision:track", args=[opinion.tracking_code.lower()]))
    assert page.status_code == 200 and "请评价" not in page.content.decode()
    assert (
        client.post(reverse("supervision:track", args=[opinion.tracking_code]), {"rating": "satisfied"}).status_code
        == 200
    )
    opinion.refresh_from_db()
    assert opinion.state == State.ASSIGNED  # nothing to rate yet: the service refused
    services.opinion_accept(by=unit_user, opinion=opinion)
    services.opinion_reply(by=unit_user, opinion=opinion, reply_class=ReplyClass.A, body="已修好")
    link = reverse("supervision:rate_link", args=[services.rating_token(opinion)])
    response = client.post(link, {"rating": Rating.BASICALLY})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.state, opinion.rating) == (State.RATED, Rating.BASICALLY)
    assert OpinionEvent.objects.filter(opinion=opinion, action="rate", actor_label="提出人（短信链接）").exists()
    # Used once: the link now shows the tracking page; a forged token is refused.
    assert client.get(link).status_code == 302
    assert client.get(reverse("supervision:rate_link", args=["forged:token"])).status_code == 400
    assert client.get(reverse("supervision:track_lookup"), {"code": "NOPE"}).status_code == 200


def test_proposer_with_an_account_is_told_and_rates_in_the_app(login, street, office, unit_user, staff_user):
    deputy = account("wangchunmen", Role.DEPUTY)
    opinion = services.opinion_register(by=deputy, street=street, channel=Channel.DEPUTY_SUGGESTION, content="建议")
    services.opinion_assign(by=staff_user, opinion=opinion, unit=office)
    services.opinion_accept(by=unit_user, opinion=opinion)
    services.opinion_reply(by=unit_user, opinion=opinion, reply_class=ReplyClass.D, body="暂不具备条件，已解释")
    assert Notice.objects.filter(kind="opinion_replied", recipient=deputy).exists()
    client = login(deputy)
    assert opinion.title in client.get(reverse("supervision:mine")).content.decode()
    client.post(reverse("supervision:opinion_act", args=[opinion.pk, "rate"]), {"rating": "satisfied"})
    opinion.refresh_from_db()
    assert opinion.rating == Rating.SATISFIED
    with pytest.raises(PermissionDenied):
        services.opinion_rate(by=staff_user, opinion=opinion, rating=Rating.SATISFIED)


def test_attachments_only_through_the_scoped_view(login, staff_user, street, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff fake", content_type="image/jpeg")
    opinion = register(staff_user, street, attachments=[photo])
    attachment = opinion.attachments.get()
    url = reverse("supervision:attachment", args=[attachment.pk])
    response = login(staff_user).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\xff\xd8\xff fake"
    assert login(account("xinxianglu", Role.STAFF)).get(url).status_code == 404
    with pytest.raises(ValidationError, match="格式不支持"):
        register(staff_user, street, attachments=[SimpleUploadedFile("x.exe", b"MZ")])


def test_unit_delete_page_explains_and_refuses(login, staff_user, street, office):
    services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=office)
    client = login(staff_user)
    page = client.get(reverse("supervision:unit_delete", args=[office.pk])).content.decode()
    assert "未办结的意见建议，不能删除" in page
    response = client.post(reverse("supervision:unit_delete", args=[office.pk]))
    assert "不能删除" in response.content.decode()
    assert HandlingUnit.objects.filter(pk=office.pk).exists()


# --- Compliance ----------------------------------------------------------------------------------------------


def test_compliance_rules_in_one_query_each(demo_data, django_assert_num_queries):
    from committee.compliance.registry import Status, rule, window

    streets = list(Street.objects.order_by("pk"))
    today = datetime.date(2027, 1, 5)
    for rule_id in ("13(4)", "13(2)"):
        with django_assert_num_queries(1):
            results = rule(rule_id).evaluate(streets, window(rule(rule_id).period, 2026, 4), today)
        assert set(results) == {s.pk for s in streets}
    overdue = rule("13(2)").evaluate(streets, window(rule("13(2)").period, 2026, 4), today)
    assert all(r.status == Status.MISSED for r in overdue.values())  # the demo has overdue cases
    assert all(rule("13(2)").list_evidence(s, window(rule("13(2)").period, 2026, 4), today) for s in streets)


def test_rule_13_4_needs_a_meeting_for_every_suggestion(staff_user, street, office, unit_user):
    from committee.compliance.registry import Status, rule, window

    opinion = services.opinion_register(
        by=staff_user, street=street, channel=Channel.DEPUTY_SUGGESTION, content="建议增设公交站"
    )
    services.opinion_assign(by=staff_user, opinion=opinion, unit=office)
    services.opinion_accept(by=unit_user, opinion=opinion)
    services.opinion_reply(by=unit_user, opinion=opinion, reply_class=ReplyClass.A, body="已增设")
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    evaluate, evidence = rule("13(4)").evaluate, rule("13(4)").list_evidence
    this_quarter = window(rule("13(4)").period, today.year, quarter)
    result = evaluate([street], this_quarter, today)[street.pk]
    assert result.status == Status.AT_RISK and any(
        opinion.title in e.label for e in evidence(street, this_quarter, today)
    )
    services.opinion_meeting_record(
        by=unit_user, opinion=opinion, met_at=timezone.now(), place="站", participants="代表", summary="沟通"
    )
    assert not any(opinion.title in e.label for e in evidence(street, this_quarter, today))


def test_a_refused_reply_keeps_what_was_typed(login, staff_user, street, office, unit_user):
    opinion = services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=office)
    services.opinion_accept(by=unit_user, opinion=opinion)
    response = login(unit_user).post(
        reverse("supervision:reply", args=[opinion.pk]),
        {"reply_class": "B", "body": "正在协调维修队伍，预计下周完成。", "step": "send"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "B类、C类答复须列出承诺事项及完成时限。" in body and "正在协调维修队伍，预计下周完成。" in body
    opinion.refresh_from_db()
    assert opinion.state == State.ACCEPTED and not opinion.replies.exists()


def test_recording_history_sets_dates_and_no_reminders(staff_user, street, office, unit_user):
    long_ago = timezone.now() - datetime.timedelta(days=40)
    opinion = services.opinion_register(
        by=staff_user, street=street, channel=Channel.HOTLINE, content="旧件", registered_at=long_ago
    )
    day = timezone.localtime(long_ago).date()
    opinion = services.opinion_assign(by=staff_user, opinion=opinion, unit=office, on=day)
    assert (opinion.assigned_on, opinion.deadline) == (day, add_working_days(day, 5))
    assert not Reminder.objects.filter(key__startswith=f"opinion:{opinion.pk}:").exists()
    services.opinion_accept(by=unit_user, opinion=opinion, on=day)
    reply = services.opinion_reply(
        by=unit_user, opinion=opinion, reply_class=ReplyClass.A, body="已办", on=day + datetime.timedelta(days=2)
    )
    assert reply.replied_on == day + datetime.timedelta(days=2)
    assert OpinionEvent.objects.get(opinion=opinion, action="reply").at.date() == reply.replied_on
    with pytest.raises(ValidationError, match="交办日期应在登记日期与今天之间"):
        services.opinion_assign(by=staff_user, opinion=register(staff_user, street), unit=office, on=day)


def test_a_deputy_raises_a_case_and_finds_it_under_mine(login, demo_data):
    deputy = account("wangchunmen", Role.DEPUTY)
    client = login(deputy)
    assert client.get(reverse("supervision:opinion_add")).url == reverse("supervision:deputy_report")
    response = client.post(
        reverse("supervision:deputy_report"),
        {"street": Street.objects.get(slug="wangchunmen").pk, "content": "建议在育才路口增设公交站台。",
         "category": "道路交通"},
    )  # fmt: skip
    opinion = Opinion.objects.get(content="建议在育才路口增设公交站台。")
    assert response.status_code == 302
    assert (opinion.proposer_user, opinion.proposer_kind, opinion.channel) == (deputy, "deputy", "deputy_suggestion")
    assert opinion.title in client.get(reverse("supervision:mine")).content.decode()
    assert client.get(reverse("supervision:opinion_list")).status_code == 403


def test_staff_maintain_units_and_their_people(login, staff_user, street):
    client = login(staff_user)
    response = client.post(
        reverse("supervision:unit_add"),
        {"street": street.pk, "name": "应急管理办公室", "kind": "department", "active": "on"},
    )
    unit = HandlingUnit.objects.get(street=street, name="应急管理办公室")
    assert response.status_code == 302 and unit.active
    again = client.post(
        reverse("supervision:unit_add"), {"street": street.pk, "name": "应急管理办公室", "kind": "department"}
    )
    assert "已有名为“应急管理办公室”的办理单位" in again.content.decode()
    newcomer = User.objects.create(username="unit2", full_name="新人")
    Membership.objects.create(user=newcomer, street=street, role=Role.HANDLING_UNIT)
    client.post(reverse("supervision:unit_detail", args=[unit.pk]), {"form": "member", "user": newcomer.pk})
    assert HandlingUnitMember.objects.get(user=newcomer).unit == unit
    client.post(reverse("supervision:unit_delete", args=[unit.pk]))
    assert not HandlingUnit.objects.filter(pk=unit.pk).exists()
