"""The deputies' roster: terms keep the deputy membership in step, in_office(on=day), the Excel import (preview,
confirm, a bad row changes nothing) and export round trip, 码上找代表 messages (answer with SMS, pass into the loop,
rating), tenancy of the pages, and fixed query counts."""

import datetime
import io
import secrets

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from committee.models import Membership, Street, User
from committee.roles import Role
from deputies import services
from deputies.models import Constituency, Deputy, EventKind, ResidentMessage, TermEvent, deputy_memberships
from deputies.roster_excel import HEADERS, Action, roster_plan, roster_workbook
from deputies.selectors import roster_rows
from deputies.tasks import send_answer_sms
from supervision.models import Channel

TODAY = datetime.date.today()


@pytest.fixture
def deputy(demo_data):
    return Deputy.objects.select_related("user", "street").get(user__username="wangchunmen_deputy100")


@pytest.fixture
def own_deputy(demo_data):
    """The demo deputy account (logs in), whose public page residents write to."""
    return Deputy.objects.select_related("user", "street").get(user__username="wangchunmen_deputy")


def _xlsx(rows, headers=HEADERS) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "roster.xlsx"
    return buffer


def _row(name, mobile, number=1, elected="2021-11-16", level="湘乡市人大代表"):
    return [name, mobile, number, "", level, "湘乡市第十八届人民代表大会", "教师", "否", elected, "选举", ""]


# --- Terms and the roster on a day ------------------------------------------------------------------------


def test_in_office_answers_who_was_a_deputy_on_a_day(street, staff_user):
    user_count = Deputy.objects.filter(street=street).in_office(on=datetime.date(2023, 1, 1)).count()
    by_election = Deputy.objects.get(user__username="wangchunmen_deputy123")
    former = Deputy.objects.get(user__username="wangchunmen_deputy_former")
    on_2023 = set(Deputy.objects.in_office(on=datetime.date(2023, 1, 1)).values_list("pk", flat=True))
    today = set(Deputy.objects.in_office().values_list("pk", flat=True))
    assert former.pk in on_2023 and former.pk not in today
    assert by_election.pk not in on_2023 and by_election.pk in today
    assert user_count == 25  # 24 elected in 2021 (one came later by by-election) + the former deputy + the account
    assert not Deputy.objects.in_office(on=former.ended_on).filter(pk=former.pk).exists()
    assert Deputy.objects.in_office(on=former.ended_on - datetime.timedelta(days=1)).filter(pk=former.pk).exists()


def test_in_office_over_a_window_is_the_one_notion_the_duty_records_read(street):
    """`in_office(on=, until=)` and `deputy_memberships` are one notion: the quarter in which the former deputy
    resigned counts them, the next quarter does not, and the roster and the duty records agree on who."""
    former = Deputy.objects.get(user__username="wangchunmen_deputy_former")
    resigned_quarter = (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    next_quarter = (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    assert Deputy.objects.in_office(on=resigned_quarter[0], until=resigned_quarter[1]).filter(pk=former.pk).exists()
    assert not Deputy.objects.in_office(on=next_quarter[0], until=next_quarter[1]).filter(pk=former.pk).exists()
    for start, end in (resigned_quarter, next_quarter):
        roster = set(
            Deputy.objects.filter(street=street).in_office(on=start, until=end).values_list("user_id", flat=True)
        )
        records = set(deputy_memberships(start, until=end).filter(street=street).values_list("user_id", flat=True))
        assert roster == records and len(roster) >= 24
    # A window of one day is the day.
    day = former.ended_on - datetime.timedelta(days=1)
    assert set(Deputy.objects.in_office(on=day, until=day)) == set(Deputy.objects.in_office(on=day))


def test_an_election_opens_the_membership_and_a_resignation_ends_it(street, staff_user):
    new = services.deputy_add(
        by=staff_user,
        street=street,
        full_name="贺新民",
        mobile="13712345678",
        congress="湘乡市第十八届人民代表大会",
        elected_on=datetime.date(2024, 6, 20),
        kind=EventKind.BY_ELECTION,
        votes_for=3100,
        votes_cast=3500,
    )
    membership = Membership.objects.get(user=new.user, role=Role.DEPUTY)
    assert membership.street == street and membership.started_on == datetime.date(2024, 6, 20)
    assert membership.ended_on is None
    services.term_event_record(by=staff_user, deputy=new, kind=EventKind.RESIGNATION, on=TODAY)
    membership.refresh_from_db()
    new.refresh_from_db()
    assert membership.ended_on == TODAY and new.end_reason == EventKind.RESIGNATION and new.ended_on == TODAY
    assert not Deputy.objects.in_office().filter(pk=new.pk).exists()
    assert [e.kind for e in new.events.all()] == [EventKind.BY_ELECTION, EventKind.RESIGNATION]
    # Ended twice is refused; re-elected later, the same person keeps one identity.
    with pytest.raises(ValidationError) as error:
        services.term_event_record(by=staff_user, deputy=new, kind=EventKind.RECALL, on=TODAY)
    assert "kind" in error.value.message_dict
    services.term_event_record(by=staff_user, deputy=new, kind=EventKind.ELECTION, on=TODAY)
    assert Deputy.objects.in_office().filter(pk=new.pk).exists()
    assert Membership.objects.filter(user=new.user, role=Role.DEPUTY).count() == 2


def test_term_events_are_refused_with_their_field(deputy, staff_user):
    with pytest.raises(ValidationError) as error:
        services.term_event_record(by=staff_user, deputy=deputy, kind=EventKind.ELECTION, on=TODAY)
    assert "kind" in error.value.message_dict  # already in office
    with pytest.raises(ValidationError) as error:
        services.term_event_record(
            by=staff_user, deputy=deputy, kind=EventKind.RESIGNATION, on=datetime.date(2020, 1, 1)
        )
    assert "on" in error.value.message_dict  # before the term started
    other = User.objects.get(username="xinxianglu_staff")
    with pytest.raises(PermissionDenied):
        services.term_event_record(by=other, deputy=deputy, kind=EventKind.RESIGNATION, on=TODAY)
    assert deputy.events.count() == 1


# --- Excel -------------------------------------------------------------------------------------------------


def test_import_previews_then_writes_on_confirm(client, login, street, staff_user):
    login(staff_user)
    upload = _xlsx([_row("谢春梅", "13711110001"), _row("龙建国", "13711110002", number=9)])
    # number 9 does not exist and the row names no constituency: an error
    response = client.post(reverse("deputies:import"), {"street": street.pk, "file": upload})
    assert response.status_code == 200
    plans = response.context["plans"]
    assert [p.action for p in plans] == [Action.CREATE, Action.ERROR]
    assert "第9选区尚未建立" in plans[1].errors[0] and plans[1].row == 3
    assert "确认导入" not in response.content.decode()
    # Confirming anyway (a forged post) changes nothing and names the row.
    response = client.post(
        reverse("deputies:import"), {"step": "confirm", "signed": response.context["signed"]}, follow=True
    )
    assert "第3行有错误，未导入任何数据" in response.content.decode()
    assert not User.objects.filter(mobile__in=["13711110001", "13711110002"]).exists()

    good = _xlsx([_row("谢春梅", "13711110001"), _row("龙建国", "13711110002", number=2)])
    response = client.post(reverse("deputies:import"), {"street": street.pk, "file": good})
    assert [p.action for p in response.context["plans"]] == [Action.CREATE, Action.CREATE]
    assert not User.objects.filter(mobile="13711110001").exists()  # the preview wrote nothing
    response = client.post(
        reverse("deputies:import"), {"step": "confirm", "signed": response.context["signed"]}, follow=True
    )
    assert "新增 2 人" in response.content.decode()
    created = Deputy.objects.get(user__mobile="13711110002")
    assert created.constituency.number == 2 and created.street == street
    assert Deputy.objects.in_office(on=datetime.date(2022, 1, 1)).filter(pk=created.pk).exists()
    assert created.events.get().kind == EventKind.ELECTION


def test_a_file_with_one_bad_row_changes_nothing_and_names_the_row(street, staff_user):
    before = (Deputy.objects.count(), User.objects.count(), TermEvent.objects.count(), Constituency.objects.count())
    rows = [_row(f"代表{i}", f"137222{i:05d}") for i in range(5)]
    rows.insert(3, _row("错行", "1234", elected="明年"))
    plans = roster_plan(street, _xlsx(rows))
    bad = [p for p in plans if p.action == Action.ERROR]
    assert [p.row for p in bad] == [5]
    assert any("手机号码“1234”" in e for e in bad[0].errors) and any("当选日期“明年”" in e for e in bad[0].errors)
    with pytest.raises(ValidationError) as error:
        services.roster_import(by=staff_user, street=street, plans=plans)
    assert "第5行" in error.value.messages[0]
    assert (
        Deputy.objects.count(),
        User.objects.count(),
        TermEvent.objects.count(),
        Constituency.objects.count(),
    ) == before


def test_import_refuses_a_file_without_the_template_columns(street):
    with pytest.raises(ValueError, match="缺少列"):
        roster_plan(street, _xlsx([["x"]], headers=["名字"]))
    with pytest.raises(ValueError, match="无法读取"):
        roster_plan(street, io.BytesIO(b"not a workbook"))


def test_export_round_trip_imports_as_unchanged(street, staff_user, deputy):
    data = roster_workbook(roster_rows(Deputy.objects.filter(street=street)))
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 1 + Deputy.objects.filter(street=street).count()
    plans = roster_plan(street, io.BytesIO(data))
    assert {p.action for p in plans} == {Action.UNCHANGED}
    # A changed cell is an update of that column only.
    mobile_col = HEADERS.index("手机号码") + 1
    sector_col = HEADERS.index("界别/职业") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, mobile_col).value == deputy.user.mobile)
    sheet.cell(row, sector_col).value = "退休教师"
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    buffer.seek(0)
    plans = roster_plan(street, buffer)
    changed = [p for p in plans if p.action != Action.UNCHANGED]
    assert [(p.row, p.action, p.changes) for p in changed] == [(row, Action.UPDATE, ["界别/职业"])]
    services.roster_import(by=staff_user, street=street, plans=plans)
    deputy.refresh_from_db()
    assert deputy.sector == "退休教师"


def test_another_streets_deputy_in_a_file_is_an_error(street):
    other = Deputy.objects.filter(street__slug="xinxianglu").select_related("user").first()
    plans = roster_plan(street, _xlsx([_row(other.user.full_name, other.user.mobile)]))
    assert plans[0].action == Action.ERROR and "其他街道" in plans[0].errors[0]


# --- 码上找代表 -----------------------------------------------------------------------------------------------


def _address() -> str:
    """An address of its own: the public forms' counts per address live in the shared cache, across test runs."""
    return "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))


@pytest.fixture
def fast_public_forms(monkeypatch, client):
    monkeypatch.setattr("committee.public.MIN_SECONDS", 0)
    monkeypatch.setitem(client.defaults, "REMOTE_ADDR", _address())


class RecordingSms:
    sent: list = []

    def send(self, *, mobile, text):
        RecordingSms.sent.append((mobile, text))


def test_a_resident_leaves_a_message_the_deputy_answers_and_they_rate(
    client, own_deputy, fast_public_forms, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.SMS_BACKEND = "tests.test_deputies_roster.RecordingSms"
    RecordingSms.sent = []
    page = client.get(own_deputy.public_url())
    form = page.context["form"]
    response = client.post(
        own_deputy.public_url(),
        {
            "content": "楼下的井盖松了",
            "name": "张大妈",
            "phone": "13800001111",
            "website": "",
            "started": form["started"].value(),
        },
    )
    message = ResidentMessage.objects.get(content="楼下的井盖松了")
    assert response.status_code == 302 and response["Location"] == message.tracking_url()
    assert message.street == own_deputy.street and message.waiting
    track = client.get(message.tracking_url()).content.decode()
    assert "代表尚未答复" in track and "13800001111" not in track
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.message_answer(by=own_deputy.user, message=message, answer="已联系社区，明天更换。")
    assert callbacks  # the SMS goes after commit
    assert send_answer_sms.run(message.pk) is True
    assert send_answer_sms.run(message.pk) is False  # a duplicate task sends nothing
    assert len(RecordingSms.sent) == 1 and RecordingSms.sent[0][0] == "13800001111"
    assert message.tracking_code in RecordingSms.sent[0][1]
    response = client.post(message.tracking_url(), {"rating": "satisfied"}, follow=True)
    assert "感谢您的评价" in response.content.decode()
    message.refresh_from_db()
    assert message.rating == "satisfied"
    with pytest.raises(ValidationError):
        services.message_rate(message=message, rating="unsatisfied")


def test_phone_is_masked_to_everyone_but_the_deputy_and_staff(client, login, own_deputy, director):
    message = ResidentMessage.objects.filter(deputy=own_deputy).exclude(phone="").first()
    assert message.phone not in client.get(message.tracking_url()).content.decode()
    login(own_deputy.user)
    assert message.phone in client.get(message.get_absolute_url()).content.decode()
    login(director)
    assert message.phone in client.get(message.get_absolute_url()).content.decode()
    login(User.objects.get(username="wangchunmen_handling_unit"))
    assert client.get(message.get_absolute_url()).status_code == 403


def test_passing_a_message_into_the_loop_registers_a_qr_contact_case(client, login, own_deputy):
    message = ResidentMessage.objects.get(deputy=own_deputy, answer="", opinion__isnull=True)
    login(own_deputy.user)
    response = client.post(reverse("deputies:message_pass", args=[message.pk]), follow=True)
    message.refresh_from_db()
    opinion = message.opinion
    assert opinion.channel == Channel.QR_CONTACT and opinion.content == message.content
    assert opinion.proposer_phone == message.phone and opinion.source == message
    assert opinion.attachments.count() == 1  # the resident's photo goes with it
    assert opinion.tracking_code in response.content.decode()
    assert opinion.tracking_code in client.get(message.tracking_url()).content.decode()
    with pytest.raises(ValidationError):
        services.message_answer(by=own_deputy.user, message=message, answer="晚了")


def test_another_deputy_cannot_answer(own_deputy):
    message = ResidentMessage.objects.filter(deputy=own_deputy, answer="").first()
    someone = Deputy.objects.get(user__username="wangchunmen_deputy101").user
    with pytest.raises(PermissionDenied):
        services.message_answer(by=someone, message=message, answer="x")


def test_an_ended_deputys_public_page_is_404(client, demo_data):
    former = Deputy.objects.get(user__username="wangchunmen_deputy_former")
    assert client.get(former.public_url()).status_code == 404
    assert client.get(reverse("deputies:public_photo", args=[former.public_code])).status_code == 404


def test_a_message_to_an_ended_deputy_is_refused(demo_data):
    former = Deputy.objects.get(user__username="wangchunmen_deputy_former")
    with pytest.raises(ValidationError):
        services.message_leave(deputy=former, content="你好")


def test_contact_details_can_be_required(client, own_deputy, fast_public_forms, settings):
    settings.DEPUTY_MESSAGE_CONTACT_REQUIRED = True
    form = client.get(own_deputy.public_url()).context["form"]
    response = client.post(own_deputy.public_url(), {"content": "你好", "started": form["started"].value()})
    assert response.status_code == 200 and response.context["form"].errors.keys() >= {"name", "phone"}
    assert not ResidentMessage.objects.filter(content="你好").exists()


def test_floods_are_refused(client, own_deputy, fast_public_forms, settings):
    settings.PUBLIC_FORM_RATE = "2/h"
    address = _address()
    form = client.get(own_deputy.public_url()).context["form"]
    for n in range(3):
        response = client.post(
            own_deputy.public_url(), {"content": f"刷屏{n}", "started": form["started"].value()}, REMOTE_ADDR=address
        )
    assert "提交过于频繁" in response.content.decode()
    assert ResidentMessage.objects.filter(content__startswith="刷屏").count() == 2


def test_the_deputy_sees_waiting_messages_on_their_to_do(client, login, own_deputy):
    login(own_deputy.user)
    response = client.get(reverse("home"))
    items = [i for i in response.context["todo_items"] if "群众留言" in i.label]
    assert (
        items and items[0].count == ResidentMessage.objects.filter(deputy=own_deputy, answer="", opinion=None).count()
    )


def test_the_deputy_edits_their_own_profile(client, login, own_deputy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(own_deputy.user)
    response = client.post(
        reverse("deputies:profile"), {"profile": "社区医生，关注养老。", "reception_days": "每周五上午"}
    )
    assert response.status_code == 302
    page = client.get(own_deputy.public_url()).content.decode()
    assert "社区医生，关注养老。" in page and "每周五上午" in page


# --- Staff pages ---------------------------------------------------------------------------------------------


def test_staff_add_a_deputy_and_record_an_event_from_the_pages(client, login, street, staff_user):
    login(staff_user)
    constituency = Constituency.objects.filter(street=street).first()
    response = client.post(
        reverse("deputies:add"),
        {
            "street": street.pk,
            "full_name": "周晓东",
            "mobile": "13733334444",
            "level": "municipal",
            "constituency": constituency.pk,
            "congress": "湘乡市第十八届人民代表大会",
            "kind": "election",
            "elected_on": "2021-11-16",
            "votes_for": "3500",
            "votes_cast": "3600",
        },
    )
    deputy = Deputy.objects.get(user__mobile="13733334444")
    assert response.status_code == 302 and response["Location"] == deputy.get_absolute_url()
    response = client.post(
        reverse("deputies:event_add", args=[deputy.pk]), {"kind": "moved_away", "on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert not Deputy.objects.in_office().filter(pk=deputy.pk).exists()
    page = client.get(deputy.get_absolute_url()).content.decode()
    assert "迁出" in page and "自该日起不再列入代表名册" in page
    response = client.post(reverse("deputies:event_add", args=[deputy.pk]), {"kind": "recall", "on": TODAY.isoformat()})
    assert response.status_code == 200 and "目前不在任" in response.content.decode()


def test_roster_search_and_filters(client, login, staff_user, deputy):
    login(staff_user)
    response = client.get(reverse("deputies:roster"), {"q": deputy.user.full_name})
    assert deputy in list(response.context["page"])
    response = client.get(reverse("deputies:roster"), {"status": "resignation"})
    assert [d.user.username for d in response.context["page"]] == ["wangchunmen_deputy_former"]


# --- Query counts ----------------------------------------------------------------------------------------------


@pytest.fixture
def thousands_of_deputies(street):
    constituency = Constituency.objects.filter(street=street).first()
    users = User.objects.bulk_create(
        [User(username=f"bulk{i}", full_name=f"代表{i}", mobile=f"1360000{i:04d}") for i in range(2000)]
    )
    deputies = Deputy.objects.bulk_create(
        [
            Deputy(
                street=street,
                user=u,
                constituency=constituency,
                congress="湘乡市第十八届人民代表大会",
                public_code=f"bulk{u.pk}",
            )
            for u in users
        ]
    )
    TermEvent.objects.bulk_create(
        [TermEvent(street=street, deputy=d, kind=EventKind.ELECTION, on=datetime.date(2021, 11, 16)) for d in deputies]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, street=street, role=Role.DEPUTY, started_on=datetime.date(2021, 11, 16)) for u in users]
    )
    return deputies


def test_roster_query_count_is_fixed_with_thousands_of_deputies(
    client, login, staff_user, thousands_of_deputies, django_assert_num_queries
):
    login(staff_user)
    client.get(reverse("deputies:roster"))  # warm the session
    with django_assert_num_queries(8):
        response = client.get(reverse("deputies:roster"), {"page": 3})
    assert len(response.context["page"]) == 25


def test_public_page_query_count(client, own_deputy, django_assert_num_queries):
    client.get(own_deputy.public_url())
    with django_assert_num_queries(2):  # the deputy; their surveyed reports to constituents
        response = client.get(own_deputy.public_url())
    assert response.status_code == 200


def test_export_query_count_is_fixed(client, login, staff_user, thousands_of_deputies, django_assert_num_queries):
    login(staff_user)
    client.get(reverse("deputies:roster"))
    with django_assert_num_queries(6):
        response = client.get(reverse("deputies:export"))
    assert load_workbook(io.BytesIO(response.content)).active.max_row > 2000


def test_demo_is_idempotent(demo_data):
    from deputies import demo as deputies_demo

    before = (
        Deputy.objects.count(),
        TermEvent.objects.count(),
        ResidentMessage.objects.count(),
        Constituency.objects.count(),
    )
    deputies_demo.seed()
    after = (
        Deputy.objects.count(),
        TermEvent.objects.count(),
        ResidentMessage.objects.count(),
        Constituency.objects.count(),
    )
    assert before == after
    assert Street.objects.count() * 8 == after[3]


# --- Posters ---------------------------------------------------------------------------------------------------


def test_a_streets_posters_are_one_pdf_rendered_by_the_worker(
    client, login, street, staff_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    import pypdfium2

    from deputies.models import PosterBatch, PosterState

    settings.MEDIA_ROOT = tmp_path
    login(staff_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("deputies:posters"), {"street": street.pk})
    assert response.status_code == 302 and len(callbacks) == 1  # the task is enqueued after commit
    batch = PosterBatch.objects.get(street=street, deputy=None, requested_by=staff_user)
    assert batch.state == PosterState.PENDING
    from deputies.tasks import render_posters

    assert render_posters.run(batch.pk) is True
    assert render_posters.run(batch.pk) is False  # a second delivery renders nothing
    batch.refresh_from_db()
    in_office = Deputy.objects.in_office().filter(street=street).count()
    assert batch.state == PosterState.DONE and batch.pages == in_office
    response = client.get(reverse("deputies:poster_download", args=[batch.pk]))
    pdf = pypdfium2.PdfDocument(b"".join(response.streaming_content))
    assert len(pdf) == in_office
    first = pdf[0].get_textpage().get_text_range()
    page_one = Deputy.objects.in_office().filter(street=street).order_by("constituency__number", "user__full_name")[0]
    assert "扫码" in first and page_one.user.full_name in first and page_one.public_url() in first


def test_a_deputy_asks_for_their_own_poster_only(client, login, own_deputy, deputy):
    login(own_deputy.user)
    assert client.post(reverse("deputies:poster_request", args=[own_deputy.pk])).status_code == 302
    assert client.post(reverse("deputies:poster_request", args=[deputy.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.posters_request(by=own_deputy.user, street=own_deputy.street)  # a street's batch is for staff


def test_an_ended_deputy_gets_no_poster(staff_user, street):
    former = Deputy.objects.get(user__username="wangchunmen_deputy_former")
    with pytest.raises(ValidationError):
        services.posters_request(by=staff_user, street=street, deputy=former)


def test_roster_changes_are_in_the_audit_log_without_residents_phones(street, staff_user, deputy, own_deputy):
    from committee.models import AuditEntry

    event = services.term_event_record(by=staff_user, deputy=deputy, kind=EventKind.DEATH, on=TODAY)
    entry = AuditEntry.objects.get(content_type__model="termevent", object_pk=str(event.pk))
    assert entry.street == street
    message = services.message_leave(deputy=own_deputy, content="审计测试", phone="13900009999")
    entry = AuditEntry.objects.get(content_type__model="residentmessage", object_pk=str(message.pk))
    assert "13900009999" not in str(entry.changes)


def test_the_honeypot_is_hidden_from_people(client, own_deputy):
    html = client.get(own_deputy.public_url()).content.decode()
    wrapper = html[: html.index('id="div_id_website"')].rsplit("<div", 2)[-2]
    assert "visually-hidden" in wrapper and 'aria-hidden="true"' in wrapper
    assert html.index('id="div_id_website"') > html.index('id="div_id_photo"')  # after every real field
