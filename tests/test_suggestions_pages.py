"""Pages of deputies' suggestions, leader contacts and consultations: who opens what, the steps as POSTs, and
fixed query counts on the lists however many rows there are."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.models import User
from committee.roles import Role
from deputies.suggestions import services
from deputies.suggestions.models import (
    ContactKind,
    ContactRecord,
    CoSigner,
    CoSignerState,
    LeaderBody,
    LeaderContact,
    MeasureConsultation,
    Suggestion,
    SuggestionState,
)
from supervision.models import Channel, Opinion
from tests.conftest import account

TODAY = timezone.localdate()
TEXT = {
    "title": "关于增设公交站台遮雨棚的建议",
    "category": "交通",
    "problem": "公交站台没有遮雨棚。",
    "content": "雨天候车群众淋雨。",
    "solution": "增设遮雨棚和座椅。",
}


@pytest.fixture
def deputy(street):
    return account("wangchunmen", Role.DEPUTY)


@pytest.fixture
def draft(deputy, street):
    return services.suggestion_create(by=deputy, street=street, **TEXT)


def test_another_deputys_draft_is_404_and_an_invited_one_opens_it(login, draft, deputy):
    invited = User.objects.get(username="wangchunmen_deputy112")
    bystander = User.objects.get(username="wangchunmen_deputy113")
    url = reverse("suggestions:detail", args=[draft.pk])
    assert login(bystander).get(url).status_code == 404
    services.cosigners_invite(by=deputy, suggestion=draft, deputies=[invited])
    client = login(invited)
    page = client.get(url).content.decode()
    assert "确认附议" in page and invited.full_name not in page.split("附议代表")[1].split("</p>")[0]
    client.post(reverse("suggestions:act", args=[draft.pk, "confirm"]))
    assert draft.cosigners.get().state == CoSignerState.CONFIRMED
    assert invited.full_name in client.get(url).content.decode()
    assert login(account("wangchunmen", Role.STAFF)).get(url).status_code == 404  # never sent to the committee
    assert login(account("xinxianglu", Role.STAFF)).get(url).status_code == 404


def test_the_steps_through_the_pages(login, deputy, street):
    client = login(deputy)
    response = client.post(reverse("suggestions:add"), {**TEXT, "solution": ""})
    assert "请提出解决办法" in response.content.decode()
    response = client.post(reverse("suggestions:add"), TEXT)
    suggestion = Suggestion.objects.get(author=deputy, title=TEXT["title"])
    assert response.url == suggestion.get_absolute_url()
    client.post(reverse("suggestions:act", args=[suggestion.pk, "send"]))
    staff = login(account("wangchunmen", Role.STAFF))
    staff.post(reverse("suggestions:act", args=[suggestion.pk, "send_back"]), {"note": "请写明具体站台"})
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.SENT_BACK
    client = login(deputy)
    client.post(
        reverse("suggestions:edit", args=[suggestion.pk]),
        {**TEXT, "problem": "人民路站台没有遮雨棚。", "step": "revise"},
    )
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.problem) == (SuggestionState.REVISED, "人民路站台没有遮雨棚。")
    response = client.post(reverse("suggestions:act", args=[suggestion.pk, "send_back"]), {"note": "x"})
    assert response.status_code == 403  # a deputy cannot send back
    client.post(reverse("suggestions:act", args=[suggestion.pk, "submit"]))
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.SUBMITTED and suggestion.case_id
    assert "已正式提交" in client.get(suggestion.get_absolute_url()).content.decode()


def test_the_similar_panel_lists_earlier_suggestions(login, deputy):
    response = login(deputy).get(reverse("suggestions:similar"), {"title": "东风路路灯损坏", "problem": "晚上看不清路"})
    assert "关于东风路沿线路灯改造的建议" in response.content.decode()


def test_the_home_summary_is_there_for_the_deputys_home(deputy):
    from django.template.loader import render_to_string

    from deputies.suggestions.selectors import home_summary

    html = render_to_string("suggestions/_home.html", {"section": home_summary(deputy)})
    assert "我的建议" in html and "关于学校周边交通安全整治的建议" in html
    assert home_summary(account("wangchunmen", Role.STAFF)) is None


@pytest.fixture
def many_rows(street, deputy):
    """Enough extra rows that an N+1 would show: 60 suggestions with co-signers, 30 contacts, 30 consultations."""
    staff = account("wangchunmen", Role.STAFF)
    deputies = list(services.deputies_of(street).order_by("pk")[:6])
    cases = Opinion.objects.bulk_create(
        [
            Opinion(
                street=street, channel=Channel.DEPUTY_SUGGESTION, content=f"建议{n}", tracking_code=f"TESTQC{n:04d}"
            )
            for n in range(30)
        ]
    )
    rows = [
        Suggestion(
            street=street,
            author=deputy,
            title=f"建议{n}",
            problem="问题",
            content="内容",
            solution="办法",
            state=SuggestionState.CONSULTING if n % 2 else SuggestionState.DRAFT,
        )
        for n in range(30)
    ]
    rows += [
        Suggestion(
            street=street,
            author=deputy,
            title=f"已提交{n}",
            problem="问题",
            content="内容",
            solution="办法",
            state=SuggestionState.SUBMITTED,
            case=case,
            submitted_at=timezone.now(),
        )
        for n, case in enumerate(cases)
    ]
    suggestions = Suggestion.objects.bulk_create(rows)
    CoSigner.objects.bulk_create(
        [
            CoSigner(street=street, suggestion=s, deputy=d, state=CoSignerState.CONFIRMED, answered_at=timezone.now())
            for s in suggestions
            for d in deputies[1:3]
        ]
    )
    for n in range(30):
        contact = LeaderContact.objects.create(
            street=street, leader_name=f"领导{n}", leader_title="副主任", body=LeaderBody.OFFICE
        )
        contact.deputies.set(deputies)
        ContactRecord.objects.bulk_create(
            [
                ContactRecord(
                    street=street,
                    contact=contact,
                    deputy=d,
                    on=TODAY,
                    kind=ContactKind.CALL,
                    topic="联系",
                    recorded_by=staff,
                )
                for d in deputies
            ]
        )
        consultation = MeasureConsultation.objects.create(
            street=street,
            title=f"事项{n}",
            description="说明",
            reply_by=TODAY + datetime.timedelta(days=5),
            created_by=staff,
        )
        consultation.deputies.set(deputies)


# Queries: session, user, memberships, then the page's own (count, rows; streets for the forms).
@pytest.mark.parametrize(
    ("username", "url_name", "query", "queries"),
    [
        ("wangchunmen_staff", "suggestions:list", "", 5),
        ("xiangxiang_city", "suggestions:list", "", 5),
        ("wangchunmen_deputy", "suggestions:list", "", 5),
        ("wangchunmen_deputy", "suggestions:list", "?mine=1&state=draft", 5),
        ("wangchunmen_staff", "suggestions:contact_list", "", 5),
        ("xiangxiang_city", "suggestions:contact_list", "", 5),
        ("wangchunmen_staff", "suggestions:consultation_list", "", 5),
        ("xiangxiang_city", "suggestions:consultation_list", "", 5),
    ],
)
def test_lists_have_a_fixed_query_count(
    client, many_rows, django_assert_num_queries, username, url_name, query, queries
):
    client.force_login(User.objects.get(username=username), backend="committee.auth.MobileOrUsernameBackend")
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name) + query)
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 15


def test_leader_contacts_through_the_pages(login, street):
    staff = login(account("wangchunmen", Role.STAFF))
    deputies = list(
        services.deputies_of(street).filter(username__in=["wangchunmen_deputy118", "wangchunmen_deputy119"])
    )
    response = staff.post(
        reverse("suggestions:contact_add"),
        {
            "leader_name": "",
            "leader_title": "街道办事处副主任",
            "body": LeaderBody.OFFICE,
            "deputies": [d.pk for d in deputies],
        },
    )
    assert "请填写领导姓名或选择账号" in response.content.decode()
    response = staff.post(
        reverse("suggestions:contact_add"),
        {
            "leader_name": "周测试",
            "leader_title": "街道办事处副主任",
            "body": LeaderBody.OFFICE,
            "deputies": [d.pk for d in deputies],
        },
    )
    contact = LeaderContact.objects.get(street=street, leader_name="周测试")
    assert response.url == contact.get_absolute_url()
    response = staff.post(
        contact.get_absolute_url(),
        {"deputy": deputies[0].pk, "on": TODAY.isoformat(), "kind": ContactKind.VISIT, "topic": "走访"},
    )
    assert contact.records.get().deputy == deputies[0]
    page = staff.get(contact.get_absolute_url()).content.decode()
    assert "1 / 2" in page and "0 / 2" in page
    staff.post(
        reverse("suggestions:contact_edit", args=[contact.pk]),
        {
            "leader_name": "周测试",
            "leader_title": "街道办事处副主任",
            "body": LeaderBody.OFFICE,
            "deputies": [deputies[1].pk],
        },
    )
    assert list(contact.deputies.all()) == [deputies[1]]
    assert contact.records.count() == 1  # the record stays with its history
    # An assigned deputy reads the contact but cannot record on it.
    deputy_client = login(deputies[1])
    assert deputy_client.get(contact.get_absolute_url()).status_code == 200
    assert deputy_client.post(contact.get_absolute_url(), {}).status_code == 403


def test_a_consultation_through_the_pages(login, street):
    staff = login(account("wangchunmen", Role.STAFF))
    asked = User.objects.get(username="wangchunmen_deputy120")
    staff.post(
        reverse("suggestions:consultation_add"),
        {
            "title": "农贸市场改造方案",
            "description": "拟改造农贸市场。",
            "reply_by": (TODAY + datetime.timedelta(days=7)).isoformat(),
            "deputies": [asked.pk],
        },
    )
    consultation = MeasureConsultation.objects.get(street=street, title="农贸市场改造方案")
    deputy = login(asked)
    deputy.post(consultation.get_absolute_url(), {"step": "opinion", "content": "建议分期施工，不停业。"})
    opinion = consultation.opinions.get()
    assert opinion.deputy == asked
    staff = login(account("wangchunmen", Role.STAFF))
    response = staff.post(reverse("suggestions:opinion_case", args=[opinion.pk]))
    opinion.refresh_from_db()
    assert response.url == opinion.case.get_absolute_url()
    staff.post(consultation.get_absolute_url(), {"step": "respond", "response": "采纳，分两期施工。"})
    consultation.refresh_from_db()
    assert consultation.responded_on == TODAY
    other = login(account("xinxianglu", Role.STAFF))
    assert other.post(reverse("suggestions:opinion_case", args=[opinion.pk])).status_code == 404


def test_the_reply_shows_to_city_users_and_the_deputy_reopens_it_as_unsatisfied(login, street, deputy):
    """13(2): the unit's written reply reaches the municipal committee; the deputy rates it (the loop's rating) from
    the link on the suggestion, and 不满意 sends it back for 二次办理."""
    from supervision import services as loop
    from supervision.models import HandlingUnit, Rating, ReplyClass, State

    suggestion = services.suggestion_create(by=deputy, street=street, **TEXT)
    services.suggestion_send(by=deputy, suggestion=suggestion)
    suggestion = services.suggestion_submit(by=deputy, suggestion=suggestion)
    unit_user = account("wangchunmen", Role.HANDLING_UNIT)
    unit = HandlingUnit.objects.get(street=street, name="街道办事处党政综合办公室")
    loop.opinion_assign(by=account("wangchunmen", Role.STAFF), opinion=suggestion.case, unit=unit)
    loop.opinion_accept(by=unit_user, opinion=suggestion.case)
    loop.opinion_reply(by=unit_user, opinion=suggestion.case, reply_class=ReplyClass.D, body="站台属公交公司，已转告。")
    assert (
        "站台属公交公司，已转告。"
        in login(account("xiangxiang", "city")).get(suggestion.get_absolute_url()).content.decode()
    )
    client = login(deputy)
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert "评价答复" in page and suggestion.case.get_absolute_url() in page
    client.post(
        reverse("supervision:opinion_act", args=[suggestion.case_id, "rate"]),
        {"rating": Rating.UNSATISFIED, "note": "没有解决"},
    )
    suggestion.case.refresh_from_db()
    assert (suggestion.case.state, suggestion.case.round) == (State.IN_PROGRESS, 2)


def test_my_list_shows_each_suggestion_once_with_its_confirmed_cosigners(login, deputy, draft):
    others = list(
        services.deputies_of(draft.street).filter(username__in=["wangchunmen_deputy114", "wangchunmen_deputy115"])
    )
    services.cosigners_invite(by=deputy, suggestion=draft, deputies=others)
    services.cosigner_answer(by=others[0], suggestion=draft, confirm=True)
    rows = [s for s in login(deputy).get(reverse("suggestions:list") + "?mine=1").context["page"] if s.pk == draft.pk]
    assert len(rows) == 1 and rows[0].cosigner_count == 1


def test_every_notice_about_a_suggestion_or_consultation_opens_for_its_recipient(client, login, street, deputy, draft):
    from committee.notices.models import Notice

    staff_user = account("wangchunmen", Role.STAFF)
    invited = User.objects.get(username="wangchunmen_deputy116")
    services.cosigners_invite(by=deputy, suggestion=draft, deputies=[invited])
    services.suggestion_send(by=deputy, suggestion=draft)
    services.suggestion_comment(by=staff_user, suggestion=draft, note="请补充")
    services.suggestion_send_back(by=staff_user, suggestion=draft, note="请修改")
    services.suggestion_revise(by=deputy, suggestion=draft)
    consultation = services.consultation_create(
        by=staff_user, street=street, title="测试事项", description="说明", reply_by=TODAY, deputies=[invited]
    )
    services.consultation_respond(by=staff_user, consultation=consultation, response="已采纳")
    notices = Notice.objects.filter(
        kind__in=[
            "suggestion_consult",
            "suggestion_comment",
            "suggestion_sent_back",
            "suggestion_cosign",
            "measure_consultation",
            "measure_consultation_response",
        ]
    )
    kinds = set(notices.values_list("kind", flat=True))
    assert len(kinds) == 6
    for notice in notices.select_related("recipient").filter(channel="in_app"):
        assert login(notice.recipient).get(notice.link).status_code == 200, (notice.kind, notice.recipient)
