"""Deputies' suggestions (Art 13(1)-(2)), leader contacts (11(2)) and consultations on measures (11(1)): the services,
the similar-subject search, the compliance rules and the to-do items."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from committee.compliance.registry import Status, rule, window
from committee.roles import Role
from committee.todo import items_for
from deputies.suggestions import selectors, services
from deputies.suggestions.models import (
    ContactKind,
    CoSignerState,
    LeaderBody,
    LeaderContact,
    MeasureConsultation,
    Suggestion,
    SuggestionState,
)
from supervision import services as loop
from supervision.models import Channel, HandlingUnit, Opinion, Rating, ReplyClass, State
from tests.conftest import account

TODAY = timezone.localdate()
TEXT = {
    "title": "关于社区健身器材更新的建议",
    "category": "公共服务",
    "problem": "社区健身器材老化损坏，存在安全隐患。",
    "content": "健身器材使用十年以上，锈蚀严重。",
    "solution": "更换健身器材，明确管护责任。",
}


@pytest.fixture
def deputy(street):
    return account("wangchunmen", Role.DEPUTY)


@pytest.fixture
def staff(street):
    return account("wangchunmen", Role.STAFF)


@pytest.fixture
def cosigner(street):
    from committee.models import User

    return User.objects.get(username="wangchunmen_deputy110")


@pytest.fixture
def draft(deputy, street):
    return services.suggestion_create(by=deputy, street=street, **TEXT)


def _refused(call, text):
    with pytest.raises(ValidationError) as error:
        call()
    assert text in " ".join(error.value.messages)


def test_the_state_machine_refuses_moves_out_of_order(draft, deputy, staff):
    _refused(lambda: services.suggestion_submit(by=deputy, suggestion=draft), "不能正式提交")
    _refused(lambda: services.suggestion_send_back(by=staff, suggestion=draft, note="改"), "不能退回修改")
    _refused(lambda: services.suggestion_revise(by=deputy, suggestion=draft), "不能提交修改稿")
    services.suggestion_send(by=deputy, suggestion=draft)
    _refused(lambda: services.suggestion_send(by=deputy, suggestion=draft), "不能送工委沟通协调")
    _refused(lambda: services.suggestion_update(by=deputy, suggestion=draft, **TEXT), "不能修改")
    with pytest.raises(PermissionDenied):
        services.suggestion_send_back(by=deputy, suggestion=draft, note="自己退回")  # the author is not staff
    with pytest.raises(PermissionDenied):
        services.suggestion_submit(by=staff, suggestion=draft)  # staff do not submit for the deputy
    _refused(lambda: services.suggestion_send_back(by=staff, suggestion=draft, note=" "), "需要修改的地方")
    services.suggestion_send_back(by=staff, suggestion=draft, note="请写明具体小区")
    _refused(lambda: services.suggestion_submit(by=deputy, suggestion=draft), "不能正式提交")
    services.suggestion_update(by=deputy, suggestion=draft, **{**TEXT, "problem": "幸福小区健身器材老化。"})
    services.suggestion_revise(by=deputy, suggestion=draft)
    services.suggestion_submit(by=deputy, suggestion=draft)
    draft.refresh_from_db()
    assert draft.state == SuggestionState.SUBMITTED
    actions = list(draft.events.values_list("action", flat=True))
    assert actions == ["create", "send", "send_back", "edit", "revise", "submit"]
    _refused(lambda: services.suggestion_send_back(by=staff, suggestion=draft, note="再改"), "不能退回修改")


def test_a_draft_needs_its_parts_and_another_deputy_cannot_touch_it(draft, street, deputy, cosigner):
    _refused(lambda: services.suggestion_create(by=deputy, street=street, **{**TEXT, "solution": " "}), "解决办法")
    with pytest.raises(PermissionDenied):
        services.suggestion_update(by=cosigner, suggestion=draft, **TEXT)
    with pytest.raises(PermissionDenied):
        services.suggestion_create(by=account("wangchunmen", Role.STAFF), street=street, **TEXT)


def test_the_database_refuses_a_submitted_suggestion_without_its_case(draft):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Suggestion.objects.filter(pk=draft.pk).update(state=SuggestionState.SUBMITTED)


def test_a_cosigner_appears_only_after_confirming_on_their_own_account(draft, deputy, cosigner, staff):
    services.cosigners_invite(by=deputy, suggestion=draft, deputies=[cosigner])
    assert list(selectors.confirmed_cosigners(draft)) == []
    with pytest.raises(PermissionDenied):
        services.cosigner_answer(by=staff, suggestion=draft, confirm=True)  # nobody confirms for them
    _refused(lambda: services.cosigners_invite(by=deputy, suggestion=draft, deputies=[deputy]), "不能附议自己")
    _refused(lambda: services.cosigners_invite(by=deputy, suggestion=draft, deputies=[staff]), "不是本街道的代表")
    services.cosigner_answer(by=cosigner, suggestion=draft, confirm=True)
    assert [c.deputy for c in selectors.confirmed_cosigners(draft)] == [cosigner]
    _refused(lambda: services.cosigner_answer(by=cosigner, suggestion=draft, confirm=False), "已答复")
    services.suggestion_send(by=deputy, suggestion=draft)
    services.suggestion_submit(by=deputy, suggestion=draft)
    draft.refresh_from_db()
    assert f"附议代表：{cosigner.full_name}" in draft.case.content


def test_an_unanswered_invitation_leaves_the_name_off_the_case(draft, deputy, cosigner):
    services.cosigners_invite(by=deputy, suggestion=draft, deputies=[cosigner])
    services.suggestion_send(by=deputy, suggestion=draft)
    services.suggestion_submit(by=deputy, suggestion=draft)
    draft.refresh_from_db()
    assert cosigner.full_name not in draft.case.content
    assert draft.cosigners.get().state == CoSignerState.INVITED
    _refused(lambda: services.cosigner_answer(by=cosigner, suggestion=draft, confirm=True), "已提交")


def test_submission_opens_a_deputy_suggestion_case_and_unsatisfied_reopens_it(draft, deputy, staff, street):
    services.suggestion_send(by=deputy, suggestion=draft)
    services.suggestion_comment(by=staff, suggestion=draft, note="同意提交")
    services.suggestion_submit(by=deputy, suggestion=draft)
    draft.refresh_from_db()
    case = draft.case
    assert (case.channel, case.state, case.proposer_user, case.source) == (
        Channel.DEPUTY_SUGGESTION,
        State.REGISTERED,
        deputy,
        draft,
    )
    unit = HandlingUnit.objects.get(street=street, name="街道办事处党政综合办公室")
    unit_user = account("wangchunmen", Role.HANDLING_UNIT)
    loop.opinion_assign(by=staff, opinion=case, unit=unit)
    loop.opinion_accept(by=unit_user, opinion=case)
    loop.opinion_reply(by=unit_user, opinion=case, reply_class=ReplyClass.D, body="暂无资金，已作解释。")
    case = Opinion.objects.get(pk=case.pk)
    # 13(2): the written reply reaches the municipal committee: city users see the case and the suggestion.
    city = account("xiangxiang", "city")
    assert loop_visible(city, case)
    assert selectors.visible_suggestions(city).filter(pk=draft.pk).exists()
    loop.opinion_rate(by=deputy, opinion=case, rating=Rating.UNSATISFIED, note="没有解决")
    case.refresh_from_db()
    assert (case.state, case.round) == (State.IN_PROGRESS, 2)


def loop_visible(user, case):
    from supervision.selectors import visible_opinions

    return visible_opinions(user).filter(pk=case.pk).exists()


def test_who_sees_which_suggestion(draft, deputy, cosigner, staff, other_street):
    from committee.models import User

    bystander = User.objects.get(username="wangchunmen_deputy111")
    assert not selectors.visible_suggestions(staff).filter(pk=draft.pk).exists()  # a draft never sent is the deputy's
    assert not selectors.visible_suggestions(bystander).filter(pk=draft.pk).exists()
    services.cosigners_invite(by=deputy, suggestion=draft, deputies=[cosigner])
    assert selectors.visible_suggestions(cosigner).filter(pk=draft.pk).exists()
    services.suggestion_send(by=deputy, suggestion=draft)
    assert selectors.visible_suggestions(staff).filter(pk=draft.pk).exists()
    assert not selectors.visible_suggestions(bystander).filter(pk=draft.pk).exists()
    assert not selectors.visible_suggestions(account("xinxianglu", Role.STAFF)).filter(pk=draft.pk).exists()
    services.suggestion_submit(by=deputy, suggestion=draft)
    assert selectors.visible_suggestions(bystander).filter(pk=draft.pk).exists()
    assert not selectors.visible_suggestions(account("xinxianglu", Role.DEPUTY)).filter(pk=draft.pk).exists()


def test_similar_subjects_are_found_in_chinese_text(street, deputy, staff, django_assert_num_queries):
    earlier = services.suggestion_create(
        by=deputy,
        street=street,
        title="关于幸福小区加装电梯的建议",
        problem="幸福小区多层住宅没有电梯，老人上下楼难。",
        content="居民意愿强烈。",
        solution="街道协调，落实补助。",
    )
    case = loop.opinion_register(
        by=staff, street=street, channel=Channel.RECEPTION, content="群众反映老旧住宅加装电梯审批慢，请协调。"
    )
    unrelated = loop.opinion_register(by=staff, street=street, channel=Channel.RECEPTION, content="菜市场噪音扰民。")
    with django_assert_num_queries(2):
        found = selectors.similar(user=deputy, street=street, title="建议为老旧小区加装电梯", problem="老人上下楼困难")
    assert earlier in found["suggestions"]
    assert case in found["cases"] and unrelated not in found["cases"]
    assert "电梯" in found["terms"] and "建议" not in found["terms"]
    other = selectors.similar(user=deputy, street=street, title="菜市场噪音", problem="")
    assert earlier not in other["suggestions"]


def test_grams_split_chinese_into_character_pairs():
    assert selectors.grams("加装电梯 LED路灯") == ["加装", "装电", "电梯", "led", "路灯"]


def test_compliance_13_1_names_a_suggestion_submitted_without_consultation(draft, deputy, street, staff):
    services.suggestion_send(by=deputy, suggestion=draft)
    services.suggestion_submit(by=deputy, suggestion=draft)  # no comment, no revision asked
    quarter = (TODAY.month - 1) // 3 + 1
    result = rule("13(1)").evaluate([street], window(rule("13(1)").period, TODAY.year, quarter), TODAY)[street.pk]
    assert result.status == Status.MISSED
    assert any(draft.title in e.label and e.url == draft.get_absolute_url() for e in result.evidence)


def test_compliance_13_1_is_met_when_every_submission_was_consulted(street):
    # The demo's submitted suggestions were all consulted on.
    submitted = Suggestion.objects.filter(street=street, state=SuggestionState.SUBMITTED).first()
    day = timezone.localdate(submitted.submitted_at)
    result = rule("13(1)").evaluate([street], window(rule("13(1)").period, day.year, (day.month - 1) // 3 + 1), TODAY)
    assert result[street.pk].status == Status.MET
    assert any("已沟通协调" in e.label for e in result[street.pk].evidence)


def test_compliance_11_2_counts_each_leaders_contacts_per_deputy(street, staff, settings):
    settings.LEADER_CONTACTS_PER_YEAR = 2
    contact = services.leader_contact_save(
        by=staff,
        street=street,
        leader_name="测试领导",
        leader_title="街道办事处副主任",
        body=LeaderBody.OFFICE,
        deputies=list(services.deputies_of(street).order_by("pk")[:2]),
    )
    first, second = contact.deputies.order_by("pk")
    for day in (datetime.date(TODAY.year, 1, 5), datetime.date(TODAY.year, 2, 5)):
        services.contact_record_add(
            by=staff, contact=contact, deputy=first, on=day, kind=ContactKind.CALL, topic="了解"
        )
    services.contact_record_add(
        by=staff,
        contact=contact,
        deputy=second,
        on=datetime.date(TODAY.year - 1, 12, 1),
        kind=ContactKind.VISIT,
        topic="去年的不算",
    )
    year_rule = rule("11(2)")
    result = year_rule.evaluate([street], window(year_rule.period, TODAY.year, 4), TODAY)[street.pk]
    assert result.status != Status.MET
    labels = [e.label for e in result.evidence]
    assert f"测试领导（街道办事处副主任）联系{second.full_name}：0/2次" in labels
    assert not any(first.full_name in label and "测试领导" in label for label in labels)
    services.contact_record_add(by=staff, contact=contact, deputy=second, on=TODAY, kind=ContactKind.TALK, topic="座谈")
    _refused(
        lambda: services.contact_record_add(
            by=staff, contact=contact, deputy=staff, on=TODAY, kind=ContactKind.TALK, topic="x"
        ),
        "不在这位领导联系的代表中",
    )


def test_a_consultation_collects_opinions_that_can_become_cases(street, staff):
    asked = list(services.deputies_of(street).filter(username__in=["wangchunmen_deputy115", "wangchunmen_deputy116"]))
    consultation = services.consultation_create(
        by=staff,
        street=street,
        title="菜市场搬迁方案",
        description="拟将菜市场迁至新址。",
        reply_by=TODAY + datetime.timedelta(days=7),
        deputies=asked,
    )
    opinion = services.measure_opinion_add(
        by=asked[0], consultation=consultation, content="新址交通不便，建议开通公交。"
    )
    with pytest.raises(PermissionDenied):
        services.measure_opinion_add(by=account("wangchunmen", Role.DEPUTY), consultation=consultation, content="x")
    case = services.measure_opinion_to_case(by=staff, opinion=opinion)
    assert (case.proposer_user, case.source) == (asked[0], opinion)
    _refused(lambda: services.measure_opinion_to_case(by=staff, opinion=opinion), "已转为办理件")
    services.consultation_respond(by=staff, consultation=consultation, response="采纳，开通公交线路。")
    _refused(
        lambda: services.measure_opinion_add(by=asked[1], consultation=consultation, content="晚了"), "征求意见已结束"
    )
    assert MeasureConsultation.objects.get(pk=consultation.pk).responded_on == TODAY


def test_to_do_shows_drafts_sent_back_invitations_and_drafts_to_consult(draft, deputy, cosigner, staff):
    services.cosigners_invite(by=deputy, suggestion=draft, deputies=[cosigner])
    assert any(i.label == "邀请您附议的建议" for i in items_for(cosigner))
    services.suggestion_send(by=deputy, suggestion=draft)
    waiting = next(i for i in items_for(staff) if i.label == "待沟通协调的代表建议")
    services.suggestion_send_back(by=staff, suggestion=draft, note="请补充")
    assert next(i for i in items_for(deputy) if i.label == "退回修改的建议").count >= 1
    assert next(i for i in items_for(staff) if i.label == "待沟通协调的代表建议").count == waiting.count - 1
    consultation = services.consultation_create(
        by=staff, street=draft.street, title="待答事项", description="说明", reply_by=TODAY, deputies=[cosigner]
    )
    assert next(i for i in items_for(cosigner) if i.label == "征求您意见的重大事项").count == 1
    services.measure_opinion_add(by=cosigner, consultation=consultation, content="同意")
    assert not any(i.label == "征求您意见的重大事项" for i in items_for(cosigner))


def test_the_demo_has_every_state_contacts_and_a_consultation(street):
    states = set(Suggestion.objects.filter(street=street).values_list("state", flat=True))
    assert states == set(SuggestionState.values)
    rated = Suggestion.objects.filter(street=street, case__rating=Rating.SATISFIED)
    assert rated.exists()
    assert LeaderContact.objects.filter(street=street).count() == 3
    assert MeasureConsultation.objects.filter(street=street, responded_on__isnull=False).exists()
