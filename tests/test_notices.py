"""committee.notices: services, views, query counts, the SMS backends and the demo. The real-worker tests
(Celery, Redis, SMTP) are in tests/test_notices_worker.py."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail, serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from committee.models import Membership, User
from committee.notices import demo as notices_demo
from committee.notices import services, sms
from committee.notices.delivery import PermanentError, TransientError, confirm_token, deliver
from committee.notices.models import (
    Channel,
    Notice,
    NoticePreference,
    NoticeState,
    Reminder,
    ReminderStage,
    ReminderState,
)
from committee.roles import Role
from committee.workdays import add_working_days


@pytest.fixture
def people(street):
    """Three recipients: with email and mobile, mobile only, and one who turned SMS off."""
    both = User.objects.create(username="n_both", full_name="邮短", email="both@example.cn", mobile="13711110001")
    mobile = User.objects.create(username="n_mobile", full_name="只短", mobile="13711110002")
    quiet = User.objects.create(username="n_quiet", full_name="静音", email="quiet@example.cn", mobile="13711110003")
    NoticePreference.objects.create(user=quiet, email_enabled=True, sms_enabled=False)
    for user in (both, mobile, quiet):
        Membership.objects.create(user=user, street=street, role=Role.COUNCIL_MEMBER)
    return both, mobile, quiet


def send(street, recipients, event_key="meeting:1:notice", **extra):
    return services.notice_send(
        by=None,
        street=street,
        kind="meeting_notice",
        event_key=event_key,
        recipients=recipients,
        title="会议通知",
        body="请准时参加。",
        link="/streets/",
        **extra,
    )


def channels(notices):
    return sorted((n.recipient.username, n.channel) for n in notices)


# --- notice_send ------------------------------------------------------------------------------------------


def test_notice_send_makes_one_row_per_recipient_per_chosen_channel(street, people):
    notices = send(street, people)
    assert channels(notices) == [
        ("n_both", "email"),
        ("n_both", "in_app"),
        ("n_both", "sms"),
        ("n_mobile", "in_app"),
        ("n_mobile", "sms"),
        ("n_quiet", "email"),
        ("n_quiet", "in_app"),
    ]
    in_app = [n for n in notices if n.channel == Channel.IN_APP]
    assert all(n.state == NoticeState.SENT and n.sent_at for n in in_app)  # shown in the inbox at once
    assert all(n.state == NoticeState.PENDING for n in notices if n.channel != Channel.IN_APP)


def test_notice_send_is_idempotent_and_leaves_existing_rows_alone(street, people):
    first = send(street, people)
    Notice.objects.filter(pk=first[0].pk).update(state=NoticeState.FAILED, last_error="x")
    second = send(street, people)
    assert [n.pk for n in second] == [n.pk for n in first]
    assert Notice.objects.filter(event_key="meeting:1:notice").count() == 7
    assert Notice.objects.get(pk=first[0].pk).state == NoticeState.FAILED


def test_the_database_refuses_a_second_notice_for_the_same_event(street, people):
    from django.db import IntegrityError, transaction

    notice = send(street, people[:1])[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            street=street,
            kind=notice.kind,
            event_key=notice.event_key,
            recipient=notice.recipient,
            channel=notice.channel,
            title="again",
        )


def test_notice_send_enqueues_after_commit_only(street, people, django_capture_on_commit_callbacks, monkeypatch):
    published = []
    monkeypatch.setattr(services, "enqueue", lambda ids: published.extend(ids) or len(ids))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notices = send(street, people)
    assert published == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert sorted(published) == sorted(n.pk for n in notices if n.channel != Channel.IN_APP)


def test_a_future_notice_waits_for_its_time_and_the_sweep_shows_it(street, people, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda ids: len(list(ids)))
    later = timezone.now() + datetime.timedelta(hours=2)
    notices = send(street, people[:1], due_at=later)
    assert {n.state for n in notices} == {NoticeState.PENDING}
    assert not Notice.objects.inbox(people[0]).exists()
    services.notices_sweep(now=later + datetime.timedelta(seconds=1))
    assert Notice.objects.inbox(people[0]).count() == 1


def test_bad_input_is_refused_with_a_chinese_message(street, people):
    with pytest.raises(ValidationError, match="通知标题不能为空"):
        services.notice_send(by=None, street=street, kind="k", event_key="e", recipients=people, title="  ", body="")
    assert not Notice.objects.filter(event_key="e").exists()
    with pytest.raises(ValidationError, match="事项标识不能含"):
        services.notice_send(by=None, street=street, kind="k", event_key="a/b", recipients=people, title="t", body="")


def test_confirm_covers_every_channel_of_the_event_and_only_the_recipient_may(street, people):
    both = people[0]
    notices = send(street, [both])
    email = next(n for n in notices if n.channel == Channel.EMAIL)
    with pytest.raises(PermissionDenied):
        services.notice_confirm(by=people[1], notice=email)
    assert services.notice_confirm(by=both, notice=email) == 3
    assert services.notice_confirm(by=both, notice=email) == 0
    rows = Notice.objects.filter(event_key="meeting:1:notice", recipient=both)
    assert all(r.confirmed_at for r in rows)
    assert rows.get(channel=Channel.IN_APP).read_at is not None


def test_mark_read_and_cancel(street, people):
    both = people[0]
    notices = send(street, [both])
    services.notice_mark_read(by=both, notice=notices[0])
    assert Notice.objects.get(recipient=both, channel=Channel.IN_APP).read_at
    assert services.notices_cancel(event_key="meeting:1:notice") == 2  # email and SMS were still pending
    assert set(Notice.objects.filter(recipient=both).values_list("state", flat=True)) == {"sent", "cancelled"}


def test_retry_puts_a_failed_notice_back_and_needs_the_capability(street, people, staff_user, city_user):
    email = next(n for n in send(street, people[:1]) if n.channel == Channel.EMAIL)
    with pytest.raises(ValidationError, match="只有发送失败"):
        services.notice_retry(by=staff_user, notice=email)
    Notice.objects.filter(pk=email.pk).update(state=NoticeState.FAILED, attempts=5, last_error="550")
    with pytest.raises(PermissionDenied):
        services.notice_retry(by=city_user, notice=email)
    services.notice_retry(by=staff_user, notice=email)
    email.refresh_from_db()
    assert (email.state, email.attempts) == (NoticeState.PENDING, 0)


def test_resend_resets_the_rows_of_those_who_have_not_confirmed(street, people, staff_user, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda ids: len(list(ids)))
    both, mobile, quiet = people
    send(street, people)
    Notice.objects.filter(channel__in=[Channel.EMAIL, Channel.SMS]).update(
        state=NoticeState.SENT, sent_at=timezone.now()
    )
    Notice.objects.filter(channel=Channel.IN_APP).update(read_at=timezone.now())
    services.notice_confirm(by=quiet, notice=Notice.objects.get(recipient=quiet, channel=Channel.IN_APP))
    assert services.notices_resend_unconfirmed(by=staff_user, event_key="meeting:1:notice") == 2
    again = Notice.objects.filter(recipient__in=[both, mobile])
    assert {n.state for n in again if n.channel != Channel.IN_APP} == {NoticeState.PENDING}
    assert all(n.read_at is None and n.resent_count == 1 for n in again if n.channel == Channel.IN_APP)
    assert not Notice.objects.filter(recipient=quiet, resent_count__gt=0).exists()


def test_resend_needs_the_capability_in_the_street(street, people, city_user):
    send(street, people)
    with pytest.raises(PermissionDenied):
        services.notices_resend_unconfirmed(by=city_user, event_key="meeting:1:notice")


# --- Sending (the task's body, without a worker) ---------------------------------------------------------


@pytest.fixture
def email_notice(street, people):
    return next(n for n in send(street, people[:1]) if n.channel == Channel.EMAIL)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_deliver_claims_once_and_sends_with_a_signed_confirmation_link(email_notice):
    assert services.notice_deliver(notice_id=email_notice.pk) is None
    assert services.notice_deliver(notice_id=email_notice.pk) is None  # nothing left to claim
    assert len(mail.outbox) == 1
    assert confirm_token(email_notice) in mail.outbox[0].body
    email_notice.refresh_from_db()
    assert (email_notice.state, email_notice.attempts) == (NoticeState.SENT, 1)


def test_a_transient_failure_backs_off_and_the_last_attempt_fails(email_notice, monkeypatch, settings):
    settings.NOTICES_MAX_ATTEMPTS = 2

    def refuse(notice, mailer=None):
        raise TransientError("邮件服务器无法连接")

    monkeypatch.setattr(services, "deliver", refuse)
    countdown = services.notice_deliver(notice_id=email_notice.pk)
    assert countdown == settings.NOTICES_RETRY_BACKOFF_SECONDS
    email_notice.refresh_from_db()
    assert email_notice.state == NoticeState.PENDING and email_notice.due_at > timezone.now()
    assert services.notice_deliver(notice_id=email_notice.pk) is None  # not due yet: not claimed
    Notice.objects.filter(pk=email_notice.pk).update(due_at=timezone.now())
    assert services.notice_deliver(notice_id=email_notice.pk) is None
    email_notice.refresh_from_db()
    assert (email_notice.state, email_notice.attempts) == (NoticeState.FAILED, 2)
    assert email_notice.last_error == "邮件服务器无法连接"


def test_backoff_is_capped_at_a_few_minutes(settings):
    assert [services.retry_countdown(n) for n in (1, 2, 3, 10)] == [30, 60, 120, 300]


def test_a_permanent_failure_is_not_retried(email_notice, monkeypatch):
    def reject(notice, mailer=None):
        raise PermanentError("邮件服务器拒收（550）")

    monkeypatch.setattr(services, "deliver", reject)
    assert services.notice_deliver(notice_id=email_notice.pk) is None
    email_notice.refresh_from_db()
    assert (email_notice.state, email_notice.last_error) == (NoticeState.FAILED, "邮件服务器拒收（550）")


def test_the_sweep_puts_back_rows_stuck_in_sending_and_enqueues_due_rows(email_notice, monkeypatch, settings):
    enqueued = []
    monkeypatch.setattr(services, "enqueue", lambda ids: enqueued.extend(ids) or len(ids))
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.NOTICES_SENDING_TIMEOUT_SECONDS + 5)
    Notice.objects.filter(pk=email_notice.pk).update(state=NoticeState.SENDING, claimed_at=long_ago)
    result = services.notices_sweep()
    assert result["released"] == 1
    assert email_notice.pk in enqueued
    enqueued.clear()
    assert services.notices_sweep()["enqueued"] == 0  # enqueued a moment ago: not again until it is overdue
    assert enqueued == []


def test_enqueue_with_the_broker_down_keeps_the_rows_for_the_sweep(email_notice, settings):
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app._pool = None
    try:
        started = timezone.now()
        assert services.enqueue([email_notice.pk]) == 0
        assert (timezone.now() - started).total_seconds() < 3
    finally:
        app.conf.broker_url = previous
        app._pool = None
    email_notice.refresh_from_db()
    assert email_notice.state == NoticeState.PENDING and email_notice.enqueued_at is None


# --- SMS backends ---------------------------------------------------------------------------------------


class _Gateway(BaseHTTPRequestHandler):
    status = 200
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers["Authorization"], json.loads(body)))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    _Gateway.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "committee.notices.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    settings.SMS_GATEWAY_TIMEOUT = 2
    yield _Gateway
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("status", "error"), [(200, None), (503, sms.TransientSmsError), (400, sms.SmsError)])
def test_the_http_gateway_backend(gateway, status, error):
    gateway.status = status
    backend = sms.get_backend()
    if error is None:
        backend.send(mobile="13711110001", text="测试短信")
        assert gateway.received == [("Bearer secret-token", {"mobile": "13711110001", "text": "测试短信"})]
    else:
        with pytest.raises(error) as raised:
            backend.send(mobile="13711110001", text="测试短信")
        assert (error is sms.SmsError) == (type(raised.value) is sms.SmsError)


def test_an_unreachable_gateway_is_transient(settings):
    settings.SMS_BACKEND = "committee.notices.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/send"
    with pytest.raises(sms.TransientSmsError):
        sms.get_backend().send(mobile="13711110001", text="x")


def test_sms_delivery_uses_the_log_backend_by_default(street, people, caplog):
    notice = next(n for n in send(street, people[1:2]) if n.channel == Channel.SMS)
    with caplog.at_level("INFO", logger="committee.notices.sms"):
        deliver(notice)
    assert "13711110002" in caplog.text and "会议通知" in caplog.text


# --- Reminders ------------------------------------------------------------------------------------------


def remind(street, recipients, deadline, days_before=3, key="test-reminder:minutes"):
    return services.reminder_set(
        key=key,
        street=street,
        recipients=recipients,
        deadline=deadline,
        days_before=days_before,
        title="报送会议纪要",
        body="请在期限前报送。",
        link="/streets/",
    )


def test_a_reminder_goes_out_n_working_days_before_then_when_overdue(street, people, monkeypatch, settings):
    monkeypatch.setattr(services, "enqueue", lambda ids: len(list(ids)))
    Reminder.objects.update(state=ReminderState.DONE)  # the demo's (an upcoming meeting's) would fire too
    deadline = add_working_days(timezone.localdate(), 20)
    reminder = remind(street, people[:1], deadline)
    before = add_working_days(deadline, -3)
    assert reminder.stage == ReminderStage.BEFORE
    assert timezone.localtime(reminder.next_at).date() == before
    assert services.notices_sweep(now=reminder.next_at - datetime.timedelta(minutes=1))["reminders"] == 0
    assert services.notices_sweep(now=reminder.next_at)["reminders"] == 1
    inbox = Notice.objects.inbox(people[0])
    label = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    assert [n.title for n in inbox] == [f"提醒：报送会议纪要（期限 {label}）"]
    deadline_at = timezone.make_aware(
        datetime.datetime.combine(deadline, datetime.time(settings.NOTICES_REMINDER_HOUR))
    )
    services.notices_sweep(now=deadline_at)
    services.notices_sweep(now=deadline_at)  # idempotent
    reminder.refresh_from_db()
    assert reminder.overdue_count == 1
    assert timezone.localtime(reminder.next_at).date() == add_working_days(deadline, 3)
    assert inbox.filter(kind="overdue").count() == 1
    services.reminder_done(key=reminder.key)
    services.notices_sweep(now=deadline_at + datetime.timedelta(days=30))
    assert inbox.filter(kind="overdue").count() == 1


def test_rescheduling_cancels_the_old_pending_notices(street, people, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda ids: len(list(ids)))
    today = timezone.localdate()
    reminder = remind(street, people[:1], today + datetime.timedelta(days=1), days_before=5)
    services.notices_sweep()  # the before-notice is due at once
    old = Notice.objects.filter(reminder=reminder, channel=Channel.EMAIL).get()
    assert old.state == NoticeState.PENDING
    new_deadline = today + datetime.timedelta(days=2)
    remind(street, people[:1], new_deadline, days_before=5)
    old.refresh_from_db()
    assert old.state == NoticeState.CANCELLED
    services.notices_sweep()
    pending = Notice.objects.filter(reminder=reminder, state=NoticeState.PENDING)
    assert pending.count() == 2  # email and SMS of the new deadline
    assert all(new_deadline.isoformat() in n.event_key for n in pending)
    assert Reminder.objects.filter(recipients__in=people[:1]).count() == 1  # demo data has reminders too


def test_changing_only_the_text_keeps_the_schedule(street, people):
    today = timezone.localdate()
    first = remind(street, people[:1], today + datetime.timedelta(days=30))
    second = services.reminder_set(
        key=first.key,
        street=street,
        recipients=people,
        deadline=first.deadline,
        days_before=first.days_before,
        title="新标题",
        body="",
    )
    assert (second.pk, second.next_at, second.title) == (first.pk, first.next_at, "新标题")
    assert second.recipients.count() == 3


# --- Views ----------------------------------------------------------------------------------------------


def test_inbox_lists_unread_first_and_the_badge_counts_them(login, staff_user):
    client = login(staff_user)
    Notice.objects.filter(recipient=staff_user, event_key="demo:wangchunmen:rules-study").update(
        sent_at=timezone.now() - datetime.timedelta(days=400)  # the oldest, but unread
    )
    response = client.get(reverse("notices:inbox"))
    page = list(response.context["page"])
    unread = [n.read_at is None for n in page]
    assert unread == sorted(unread, reverse=True) and any(unread) and not all(unread)  # unread first
    assert "请学习" in [n.title[:3] for n in page if n.read_at is None]
    assert "未读" in response.content.decode()
    badge = client.get(reverse("notices:badge"))
    assert f">{sum(unread)}<" in badge.content.decode()


def test_confirm_and_mark_read_from_the_inbox(login, staff_user):
    client = login(staff_user)
    notice = Notice.objects.inbox(staff_user).get(read_at__isnull=True, event_key__startswith="demo:")
    response = client.post(reverse("notices:mark_read", args=[notice.pk]), {"next": reverse("notices:inbox")})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at
    response = client.post(reverse("notices:confirm", args=[notice.pk]), follow=True)
    assert "已签收" in response.content.decode()
    notice.refresh_from_db()
    assert notice.confirmed_at


def test_someone_elses_notice_is_a_404(login, director, staff_user):
    notice = Notice.objects.inbox(staff_user).filter(confirmed_at__isnull=True).first()
    response = login(director).post(reverse("notices:confirm", args=[notice.pk]))
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.confirmed_at is None


def test_the_signed_link_confirms_without_logging_in_but_not_on_a_get(client, staff_user, settings):
    notice = Notice.objects.inbox(staff_user).filter(confirmed_at__isnull=True).first()
    url = reverse("notices:confirm_link", args=[confirm_token(notice)])
    assert client.get(url).status_code == 200
    notice.refresh_from_db()
    assert notice.confirmed_at is None
    response = client.post(url)
    assert "签收成功" in response.content.decode()
    notice.refresh_from_db()
    assert notice.confirmed_at
    assert client.get(url[:-3] + "xx/").status_code == 400
    settings.NOTICES_CONFIRM_LINK_DAYS = -1
    response = client.get(url)
    assert response.status_code == 400 and "已过期" in response.content.decode()


def test_preferences_turn_channels_off(login, street, staff_user):
    staff_user.email = "staff@example.cn"
    staff_user.save()
    client = login(staff_user)
    response = client.post(reverse("notices:preferences"), {"email_enabled": "on"})
    assert response.status_code == 302
    notices = send(street, [staff_user], event_key="pref:test")
    assert sorted(n.channel for n in notices) == ["email", "in_app"]


def test_event_page_shows_who_has_not_confirmed_and_resends(login, staff_user, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda ids: len(list(ids)))
    client = login(staff_user)
    event = "demo:wangchunmen:station-duty"
    response = client.get(reverse("notices:event_detail", args=[event]))
    assert response.status_code == 200
    assert len(response.context["unconfirmed"]) == 7
    response = client.post(reverse("notices:resend", args=[event]), follow=True)
    assert "已向 7 位未签收的人员重新发送通知" in response.content.decode()
    assert Notice.objects.filter(event_key=event, read_at__isnull=True).count() == 7


def test_failed_list_shows_the_reason_and_retries(login, staff_user, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda ids: len(list(ids)))
    client = login(staff_user)
    response = client.get(reverse("notices:failed_list"))
    assert "短信网关返回 503" in response.content.decode()
    notice = response.context["page"][0]
    response = client.post(reverse("notices:retry", args=[notice.pk]), follow=True)
    assert "已重新排队发送" in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == NoticeState.PENDING


def test_another_streets_staff_cannot_retry(login, demo_data):
    notice = Notice.objects.get(event_key="demo:wangchunmen:2025q4-meeting", state=NoticeState.FAILED)
    response = login(User.objects.get(username="xinxianglu_staff")).post(reverse("notices:retry", args=[notice.pk]))
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.state == NoticeState.FAILED


# --- Query counts ---------------------------------------------------------------------------------------


@pytest.fixture
def many_notices(street, staff_user):
    for serial in range(60):
        send(street, [staff_user], event_key=f"bulk:{serial}")


# Inbox: session, user, paginator count, page rows, memberships (navigation). Badge: session, user, count.
@pytest.mark.parametrize(("url_name", "queries"), [("notices:inbox", 5), ("notices:badge", 3)])
def test_inbox_and_badge_have_a_fixed_query_count(
    login, staff_user, many_notices, django_assert_num_queries, url_name, queries
):
    client = login(staff_user)
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize(("url_name", "queries"), [("notices:sent_list", 6), ("notices:failed_list", 6)])
def test_staff_lists_have_a_fixed_query_count(
    login, staff_user, many_notices, django_assert_num_queries, url_name, queries
):
    client = login(staff_user)
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


# --- Demo -----------------------------------------------------------------------------------------------


def test_the_notice_demo_is_idempotent_and_alive(demo_data, staff_user):
    def snapshot():
        return serializers.serialize("json", Notice.objects.order_by("pk"))

    notices_demo.seed()
    first = snapshot()
    notices_demo.seed()
    assert snapshot() == first
    inbox = Notice.objects.inbox(staff_user).filter(event_key__startswith="demo:")
    assert inbox.count() == 3
    assert inbox.filter(read_at__isnull=True).count() == 1
    assert inbox.filter(confirmed_at__isnull=False).count() == 1
