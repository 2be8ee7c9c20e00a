"""Notices against the real parts: a Celery worker (a subprocess, `celery -A config worker`) on the real Redis,
the test database, and an SMTP server on loopback (aiosmtpd). Each test checks that a due notice reaches the
SMTP server exactly once: enqueued twice, with overlapping sweeps, with the worker killed mid-send, after a
rescheduled deadline, and after Redis was down while a page sent it."""

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from committee.models import Membership, Municipality, Street, User
from committee.notices import services
from committee.notices.models import Channel, Notice, NoticeState
from committee.notices.tasks import send_notice
from committee.roles import Role
from config.celery import app as celery_app
from tests.markers import transactional_db

pytestmark = [transactional_db]

BASE_DIR = Path(__file__).resolve().parent.parent
CELERY = str(Path(sys.executable).with_name("celery"))
# One process (SIGKILL kills the whole worker), no cluster chatter: a quick start.
WORKER_OPTIONS = [
    "--pool=solo",
    "-Q",
    "celery,periodic",
    "--without-mingle",
    "--without-gossip",
    "--without-heartbeat",
    "-l",
    "INFO",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=30.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


class Mailbox:
    """aiosmtpd handler: keeps every accepted message. With `hold` set, the next message's DATA waits (as a
    slow server would) and `receiving` is set; a client that disappears meanwhile cancels it unaccepted."""

    def __init__(self):
        self.messages = []
        self.hold = False
        self.receiving = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.receiving.set()
        if self.hold:
            await asyncio.sleep(60)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"

    def subjects(self):
        return [str(message["Subject"]).strip() for message in self.messages]


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    mailbox.port = controller.port
    yield mailbox
    controller.stop()


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker():
    """The test run's Redis database (REDIS_URL), emptied before and after."""
    url = settings.CELERY_BROKER_URL
    assert url.startswith("redis://"), "the worker tests need REDIS_URL"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


class Worker:
    def __init__(self, log_path: Path, smtp_port: int, broker_url: str):
        self.log_path = log_path
        self.env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": broker_url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "120",
        }
        self.process = None

    def start(self):
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command line
                [CELERY, "-A", "config", "worker", *WORKER_OPTIONS, "-n", f"notices-test-{os.getpid()}@%h"],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: b" ready." in self.log_path.read_bytes()[offset:], 60, f"the worker ({self.log_path})")
        return self

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_factory(tmp_path, smtp):
    workers = []

    def make(broker_url: str) -> Worker:
        worker = Worker(tmp_path / f"worker{len(workers)}.log", smtp.port, broker_url)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


@pytest.fixture
def worker(worker_factory, broker):
    return worker_factory(broker).start()


@pytest.fixture
def place():
    """A street and one recipient with an email address only (no mobile: the SMTP server sees everything)."""
    city, _ = Municipality.objects.get_or_create(
        name="测试市", defaults={"standing_committee_name": "测试市人大常委会", "short_name": "测试人大"}
    )
    street, _ = Street.objects.get_or_create(
        slug="notices-test", defaults={"municipality": city, "name": "测试街道", "abbreviation": "测"}
    )
    recipient = User.objects.create(username="notices_recipient", full_name="赵喆", email="zhe@example.cn")
    staff = User.objects.create(username="notices_staff", full_name="钱堃")
    Membership.objects.create(user=recipient, street=street, role=Role.DEPUTY)
    Membership.objects.create(user=staff, street=street, role=Role.STAFF)
    return street, recipient, staff


def send(street, recipient, event_key="meeting:1:notice", title="关于召开工委会议的通知"):
    notices = services.notice_send(
        by=None,
        street=street,
        kind="meeting_notice",
        event_key=event_key,
        recipients=[recipient],
        title=title,
        body="定于下周一上午9时召开。",
        link="/",
    )
    return next(n for n in notices if n.channel == Channel.EMAIL)


def state(notice):
    return Notice.objects.values_list("state", flat=True).get(pk=notice.pk)


def settle(broker_url, seconds=1.5):
    """Let the worker drain the queue, then give a duplicate time to show up."""
    client = redis.Redis.from_url(broker_url)
    wait_for(lambda: client.llen("celery") == 0, 30, "an empty queue")
    time.sleep(seconds)


def test_a_due_notice_is_sent_exactly_once_even_when_the_task_is_enqueued_twice(worker, broker, smtp, place):
    street, recipient, _ = place
    notice = send(street, recipient)  # enqueued after commit
    send_notice.delay(notice.pk)
    send_notice.delay(notice.pk)
    wait_for(lambda: state(notice) == NoticeState.SENT, message="the notice to be sent")
    settle(broker)
    assert smtp.subjects() == ["关于召开工委会议的通知"]
    assert "/notices/c/" in smtp.messages[0].get_content()  # the signed 签收 link
    notice.refresh_from_db()
    assert notice.attempts == 1


def test_overlapping_sweeps_send_a_due_notice_once(worker, broker, smtp, place):
    street, recipient, _ = place
    notice = Notice.objects.create(
        street=street,
        kind="meeting_notice",
        event_key="meeting:2:notice",
        recipient=recipient,
        channel=Channel.EMAIL,
        title="两次扫描",
        due_at=timezone.now(),
    )
    barrier = threading.Barrier(3)
    results = []

    def sweep():
        try:
            barrier.wait()
            results.append(services.notices_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r["enqueued"] for r in results) == 1  # the locked row is skipped, then marked enqueued
    wait_for(lambda: state(notice) == NoticeState.SENT, message="the notice to be sent")
    settle(broker)
    assert smtp.subjects() == ["两次扫描"]


def test_a_worker_killed_mid_send_and_restarted_sends_once(worker, broker, smtp, place, settings):
    street, recipient, _ = place
    smtp.hold = True
    notice = send(street, recipient, title="发送中被终止")
    assert smtp.receiving.wait(30), "the worker never reached the SMTP server"
    worker.kill()  # SIGKILL while the server holds the DATA: nothing was accepted
    assert state(notice) == NoticeState.SENDING
    smtp.hold = False

    settings.NOTICES_SENDING_TIMEOUT_SECONDS = 1
    time.sleep(1.5)
    worker.start()
    result = services.notices_sweep()
    assert result["released"] == 1 and result["enqueued"] == 1
    wait_for(lambda: state(notice) == NoticeState.SENT, message="the notice to be sent after the restart")
    settle(broker)
    assert smtp.subjects() == ["发送中被终止"]
    notice.refresh_from_db()
    assert notice.attempts == 2


def test_a_rescheduled_deadline_sends_only_the_new_reminder(worker_factory, broker, smtp, place):
    street, recipient, _ = place
    today = timezone.localdate()
    old_deadline = today + timezone.timedelta(days=3)
    new_deadline = today + timezone.timedelta(days=17)

    def remind(deadline):
        return services.reminder_set(
            key="meeting:9:date",
            street=street,
            recipients=[recipient],
            deadline=deadline,
            days_before=30,  # the before-reminder is due at once
            title="工委会议",
            body="",
        )

    remind(old_deadline)
    services.notices_sweep()  # the old deadline's notice is created and enqueued, but no worker runs yet
    old = Notice.objects.get(channel=Channel.EMAIL, event_key__contains=old_deadline.isoformat())
    assert state(old) == NoticeState.PENDING
    remind(new_deadline)  # the meeting moved
    assert state(old) == NoticeState.CANCELLED
    services.notices_sweep()
    new = Notice.objects.get(channel=Channel.EMAIL, event_key__contains=new_deadline.isoformat())

    worker_factory(broker).start()  # now both tasks run; the old one finds nothing to claim
    wait_for(lambda: state(new) == NoticeState.SENT, message="the new reminder to be sent")
    settle(broker)
    label = f"{new_deadline.year}年{new_deadline.month}月{new_deadline.day}日"
    assert smtp.subjects() == [f"提醒：工委会议（期限 {label}）"]
    assert state(old) == NoticeState.CANCELLED


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of our own on a free port, to stop and start (the shared one on 6379 stays up)."""
    port = free_port()
    processes = []

    def start():
        process = subprocess.Popen(  # noqa: S603
            ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
        )
        processes.append(process)
        client = redis.Redis(port=port)
        wait_for(lambda: _pings(client), 10, "the private Redis")

    def stop():
        processes[-1].terminate()
        processes[-1].wait(10)

    start()
    yield f"redis://127.0.0.1:{port}/0", start, stop
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(10)


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def test_with_redis_down_a_page_answers_quickly_and_the_notice_goes_out_after(
    client, worker_factory, smtp, place, private_redis
):
    url, start_redis, stop_redis = private_redis
    street, recipient, staff = place
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    try:
        notice = Notice.objects.create(
            street=street,
            kind="meeting_notice",
            event_key="meeting:3:notice",
            recipient=recipient,
            channel=Channel.EMAIL,
            title="Redis 停机期间的通知",
            state=NoticeState.SENT,
            sent_at=timezone.now(),
        )
        stop_redis()
        client.force_login(staff, backend="committee.auth.MobileOrUsernameBackend")
        started = time.monotonic()
        response = client.post(reverse("notices:resend", args=["meeting:3:notice"]))
        elapsed = time.monotonic() - started
        assert response.status_code == 302
        assert elapsed < 1.5, f"the page took {elapsed:.2f} s with Redis down"
        notice.refresh_from_db()
        assert (notice.state, notice.enqueued_at) == (NoticeState.PENDING, None)  # committed, not lost

        start_redis()
        worker_factory(url).start()
        assert services.notices_sweep()["enqueued"] == 1
        wait_for(lambda: state(notice) == NoticeState.SENT, message="the notice to be sent after Redis returned")
        settle(url)
        assert smtp.subjects() == ["Redis 停机期间的通知"]
    finally:
        celery_app.conf.broker_url = previous
