"""Sends go out in batches over one SMTP connection; the periodic tasks have their own queue."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from committee.models import Membership, User
from committee.notices import services
from committee.notices.models import Channel, Notice, NoticeState
from committee.roles import Role
from config.celery import PERIODIC_QUEUE
from config.celery import app as celery_app


class Mailbox:
    """aiosmtpd handler: the messages accepted and the client connections (host, port) they came over."""

    def __init__(self):
        self.messages, self.connections = [], set()

    async def handle_DATA(self, server, session, envelope):
        self.connections.add(session.peer)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield mailbox
    controller.stop()


@pytest.fixture
def email_notices(street, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda ids: 0)
    people = []
    for serial in range(6):
        person = User.objects.create(
            username=f"batch{serial}", full_name=f"批量{serial}", email=f"p{serial}@example.cn"
        )
        Membership.objects.create(user=person, street=street, role=Role.DEPUTY)
        people.append(person)
    notices = services.notice_send(
        by=None,
        street=street,
        kind="meeting_notice",
        event_key="batch:1",
        recipients=people,
        title="批量通知",
        body="正文",
    )
    return [notice for notice in notices if notice.channel == Channel.EMAIL]


def test_a_batch_of_emails_goes_over_one_smtp_connection(smtp, email_notices):
    assert len(email_notices) == 6
    assert services.notices_deliver(notice_ids=[notice.pk for notice in email_notices]) == {}
    assert len(smtp.messages) == 6
    assert len(smtp.connections) == 1
    states = Notice.objects.filter(pk__in=[n.pk for n in email_notices]).values_list("state", flat=True)
    assert set(states) == {NoticeState.SENT}
    # Delivered again (a duplicate task): nothing is claimed, nothing is sent twice.
    services.notices_deliver(notice_ids=[notice.pk for notice in email_notices])
    assert len(smtp.messages) == 6


def test_a_refused_connection_puts_the_batch_back_for_a_retry(settings, email_notices):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    retries = services.notices_deliver(notice_ids=[notice.pk for notice in email_notices])
    assert set(retries) == {notice.pk for notice in email_notices}
    assert set(Notice.objects.filter(pk__in=retries).values_list("state", flat=True)) == {NoticeState.PENDING}


def test_enqueue_publishes_one_task_per_batch(email_notices, settings, monkeypatch):
    from committee.notices.tasks import send_notices

    settings.NOTICES_SEND_BATCH = 4
    published = []
    monkeypatch.undo()  # the fixture's stand-in for enqueue
    monkeypatch.setattr(send_notices, "apply_async", lambda args, **options: published.append(args[0]))
    ids = [notice.pk for notice in email_notices]
    assert services.enqueue(ids) == 6
    assert published == [ids[:4], ids[4:]]


def test_periodic_tasks_have_their_own_queue_and_sends_the_default_one():
    route = celery_app.amqp.router.route
    for entry in celery_app.conf.beat_schedule.values():
        assert route({}, entry["task"])["queue"].name == PERIODIC_QUEUE
    assert route({}, "notices.send_notices")["queue"].name == "celery"
    assert route({}, "notices.send_notice")["queue"].name == "celery"
