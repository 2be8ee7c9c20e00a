"""Every write to notices, reminders and notice preferences. Chapter apps call `notice_send` and `reminder_set`
/ `reminder_done`; the sweep (`notices_sweep`, run by celery beat every minute) and the send task
(`notice_deliver`) do the rest. See docs/architecture.md, "Notices and reminders"."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import Street, User
from committee.notices.delivery import Mailer, PermanentError, TransientError, deliver
from committee.notices.models import (
    Channel,
    Notice,
    NoticePreference,
    NoticeState,
    Reminder,
    ReminderStage,
    ReminderState,
)
from committee.permissions import require
from committee.roles import Capability
from committee.workdays import add_working_days

logger = logging.getLogger(__name__)

TITLE_MAX = Notice._meta.get_field("title").max_length
EVENT_KEY_MAX = Notice._meta.get_field("event_key").max_length  # in URLs: no "/" (the sign-off page's path)
KEY_MAX = 150  # a reminder's key; its notices' event keys add the deadline and the stage


# --- Channels and enqueueing ----------------------------------------------------------------------------


def channels_for(user: User, preference: NoticePreference | None) -> list[str]:
    """In-app always; email when the person has an address and wants mail; SMS when they have a mobile and want it."""
    channels = [Channel.IN_APP]
    if user.email and (preference is None or preference.email_enabled):
        channels.append(Channel.EMAIL)
    if user.mobile and (preference is None or preference.sms_enabled):
        channels.append(Channel.SMS)
    return channels


def enqueue(notice_ids: Iterable[int]) -> int:
    """Publish a send task per notice. Never raises: when the broker is down the rows stay pending and
    un-enqueued, and the sweep sends them once it is back. Returns how many were published."""
    from committee.notices.tasks import send_notices

    notice_ids = list(notice_ids)
    published = []
    if notice_ids:
        # One connection, one connection attempt (no kombu retry loop, which costs seconds per publish when
        # Redis is down); socket timeouts come from CELERY_BROKER_TRANSPORT_OPTIONS. A task per batch of
        # NOTICES_SEND_BATCH, whose emails share one SMTP connection.
        size = settings.NOTICES_SEND_BATCH
        with send_notices.app.connection_for_write(transport_options={"max_retries": 0}) as connection:
            for start in range(0, len(notice_ids), size):
                batch = notice_ids[start : start + size]
                try:
                    send_notices.apply_async(args=[batch], connection=connection, retry=False)
                except Exception:
                    logger.warning(
                        "Broker unavailable: notices %s… stay pending for the sweep.", batch[0], exc_info=True
                    )
                    break  # do not make the page wait once per batch
                published.extend(batch)
    if published:
        Notice.objects.filter(pk__in=published).update(enqueued_at=timezone.now())
    if len(published) < len(notice_ids):
        Notice.objects.filter(pk__in=notice_ids[len(published) :]).update(enqueued_at=None)
    return len(published)


def _enqueue_on_commit(notice_ids: list[int]) -> None:
    if notice_ids:
        transaction.on_commit(lambda: enqueue(notice_ids))


# --- Notices ----------------------------------------------------------------------------------------------


@transaction.atomic
def notice_send(
    *,
    by: User | None,
    street: Street,
    kind: str,
    event_key: str,
    recipients: Iterable[User],
    title: str,
    body: str,
    link: str = "",
    subject=None,
    due_at: datetime.datetime | None = None,
    reminder: Reminder | None = None,
) -> list[Notice]:
    """Notify people about one event: one row per recipient per channel they use. Idempotent: a row that
    already exists for (event_key, recipient, channel, kind) is left as it is. `by` is the acting user (None
    for the system); the caller has checked that they may act. Sending happens after commit (or at `due_at`)."""
    title = title.strip()
    if not title:
        raise ValidationError(_("通知标题不能为空。"))
    if len(title) > TITLE_MAX:
        raise ValidationError(_("通知标题不能超过 %(n)s 个字。") % {"n": TITLE_MAX})
    if not event_key or not kind:
        raise ValidationError(_("通知缺少事项标识或类别。"))
    if "/" in event_key or len(event_key) > EVENT_KEY_MAX:
        raise ValidationError(_("事项标识不能含“/”，且不能超过 %(n)s 个字符。") % {"n": EVENT_KEY_MAX})
    people = {user.pk: user for user in recipients}
    if not people:
        return []
    now = timezone.now()
    due = due_at or now
    preferences = {p.user_id: p for p in NoticePreference.objects.filter(user_id__in=people)}
    rows = []
    for user in people.values():
        for channel in channels_for(user, preferences.get(user.pk)):
            shown_now = channel == Channel.IN_APP and due <= now
            rows.append(
                Notice(
                    street=street,
                    kind=kind,
                    event_key=event_key,
                    subject=subject,
                    reminder=reminder,
                    recipient=user,
                    channel=channel,
                    title=title,
                    body=body,
                    link=link,
                    due_at=due,
                    state=NoticeState.SENT if shown_now else NoticeState.PENDING,
                    sent_at=now if shown_now else None,
                    created_by=by,
                )
            )
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    notices = list(
        Notice.objects.filter(event_key=event_key, kind=kind, recipient_id__in=people).order_by("recipient", "pk")
    )
    _enqueue_on_commit(
        [n.pk for n in notices if n.channel != Channel.IN_APP and n.state == NoticeState.PENDING and n.due_at <= now]
    )
    return notices


def _require_recipient(by: User, notice: Notice) -> None:
    if by is None or by.pk != notice.recipient_id:
        raise PermissionDenied


def _confirm(event_key: str, recipient_id: int) -> int:
    """Confirm every channel's row of one event for one person (a receipt is per person, not per channel) and
    mark the in-app one read. Returns the number of rows confirmed (0: already confirmed, or nothing sent)."""
    now = timezone.now()
    rows = Notice.objects.select_for_update().filter(
        event_key=event_key, recipient_id=recipient_id, confirmed_at__isnull=True
    )
    count = 0
    for row in rows:
        row.confirmed_at = now
        if row.channel == Channel.IN_APP and row.read_at is None:
            row.read_at = now
        row.save(update_fields=["confirmed_at", "read_at"])
        count += 1
    return count


@transaction.atomic
def notice_confirm(*, by: User, notice: Notice) -> int:
    """签收: the recipient confirms receipt. Confirms every channel's row of that event for them (a receipt is per
    person, not per channel) and marks the in-app one read. Returns the number of rows confirmed (0: already)."""
    _require_recipient(by, notice)
    if notice.state == NoticeState.CANCELLED:
        raise ValidationError(_("该通知已取消，无需签收。"))
    return _confirm(notice.event_key, notice.recipient_id)


@transaction.atomic
def notices_confirm_for(*, event_key: str, user: User) -> int:
    """An answer or an acceptance confirms receipt of the notice it answers: a participant who answers a meeting,
    a unit that accepts (or returns) a case has received its notice, and staff must not chase them for a 签收.
    The chapter service recording the answer calls this for the event it answers; it has checked that `user` is
    the one answering. Nothing sent to them for that event: nothing to confirm (returns 0)."""
    return _confirm(event_key, user.pk)


@transaction.atomic
def notice_mark_read(*, by: User, notice: Notice) -> int:
    """Mark the recipient's in-app notice of this event read."""
    _require_recipient(by, notice)
    return Notice.objects.filter(
        event_key=notice.event_key, recipient_id=notice.recipient_id, channel=Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def notice_retry(*, by: User, notice: Notice) -> Notice:
    """Put a failed notice back in the queue (staff, after fixing the cause: an address, the gateway)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    require(by, Capability.MANAGE_NOTICES, notice.street)
    if notice.state != NoticeState.FAILED:
        raise ValidationError(_("只有发送失败的通知可以重试。"))
    notice.state = NoticeState.PENDING
    notice.attempts = 0
    notice.due_at = timezone.now()
    notice.enqueued_at = None
    notice.save(update_fields=["state", "attempts", "due_at", "enqueued_at"])
    _enqueue_on_commit([notice.pk])
    return notice


@transaction.atomic
def notices_resend_unconfirmed(*, by: User, event_key: str) -> int:
    """Send an event's notice again to everyone who has not confirmed it. The existing rows are reset (no new
    rows, so the unique constraint keeps one row per event, recipient, channel and kind): email and SMS rows that
    were sent or failed go back to pending, the in-app row becomes unread again, and `resent_count` goes up. Rows
    still pending or sending are left alone. The audit log keeps the earlier states. Returns the number of people."""
    rows = list(
        Notice.objects.select_for_update()
        .filter(event_key=event_key)
        .exclude(state=NoticeState.CANCELLED)
        .select_related("street")
    )
    if not rows:
        raise ValidationError(_("没有找到该事项的通知。"))
    for street in {row.street for row in rows}:
        require(by, Capability.MANAGE_NOTICES, street)
    confirmed = {row.recipient_id for row in rows if row.confirmed_at}
    now = timezone.now()
    people, to_send = set(), []
    for row in rows:
        if row.recipient_id in confirmed:
            continue
        if row.channel == Channel.IN_APP:
            if row.state != NoticeState.SENT:
                continue
            row.read_at, row.sent_at = None, now
        elif row.state in (NoticeState.SENT, NoticeState.FAILED):
            row.state, row.due_at, row.attempts, row.enqueued_at = NoticeState.PENDING, now, 0, None
            to_send.append(row.pk)
        else:
            continue
        row.resent_count += 1
        row.save(update_fields=["read_at", "sent_at", "state", "due_at", "attempts", "enqueued_at", "resent_count"])
        people.add(row.recipient_id)
    _enqueue_on_commit(to_send)
    return len(people)


@transaction.atomic
def notices_cancel(*, event_key: str) -> int:
    """Cancel what has not gone out yet for an event (the thing was done, withdrawn or rescheduled)."""
    return Notice.objects.filter(event_key=event_key, state=NoticeState.PENDING).update(state=NoticeState.CANCELLED)


@transaction.atomic
def notice_preference_set(*, by: User, email_enabled: bool, sms_enabled: bool) -> NoticePreference:
    """A person chooses their channels; the in-app inbox cannot be turned off."""
    preference, _created = NoticePreference.objects.select_for_update().get_or_create(user=by)
    preference.email_enabled, preference.sms_enabled = email_enabled, sms_enabled
    preference.save()
    return preference


# --- Sending (the task's body) ----------------------------------------------------------------------------


def retry_countdown(attempts: int) -> int:
    """Exponential backoff, capped at a few minutes (Redis re-delivers long countdowns)."""
    base = settings.NOTICES_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.NOTICES_RETRY_BACKOFF_MAX_SECONDS)


def notices_deliver(*, notice_ids: Iterable[int]) -> dict[int, int]:
    """Deliver a batch of notices as `notice_deliver` does, the emails over one SMTP connection. Returns the
    retry countdown of each notice a transient failure put back."""
    mailer = Mailer()
    retries = {}
    try:
        for notice_id in notice_ids:
            countdown = notice_deliver(notice_id=notice_id, mailer=mailer)
            if countdown is not None:
                retries[notice_id] = countdown
    finally:
        mailer.close()
    return retries


def notice_deliver(*, notice_id: int, mailer: Mailer | None = None) -> int | None:
    """Claim one due notice (pending → sending, by a conditional UPDATE: a second task, worker or sweep finds
    nothing to claim), deliver it, and record the result. Returns the countdown after which the task should run
    again when a transient failure leaves attempts, else None."""
    now = timezone.now()
    claimed = (
        Notice.objects.filter(pk=notice_id, state=NoticeState.PENDING, due_at__lte=now + datetime.timedelta(seconds=5))
        .exclude(channel=Channel.IN_APP)
        .update(state=NoticeState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    notice = Notice.objects.select_related("recipient").get(pk=notice_id)
    mine = Notice.objects.filter(pk=notice_id, state=NoticeState.SENDING, claimed_at=now)
    try:
        deliver(notice, mailer)
    except TransientError as error:
        if notice.attempts >= settings.NOTICES_MAX_ATTEMPTS:
            mine.update(state=NoticeState.FAILED, last_error=str(error))
            logger.warning("Notice %s failed after %s attempts: %s", notice_id, notice.attempts, error)
            return None
        countdown = retry_countdown(notice.attempts)
        retry_at = timezone.now() + datetime.timedelta(seconds=countdown)
        mine.update(state=NoticeState.PENDING, due_at=retry_at, last_error=str(error), enqueued_at=timezone.now())
        return countdown
    except PermanentError as error:
        mine.update(state=NoticeState.FAILED, last_error=str(error))
        return None
    except Exception as error:
        logger.exception("Notice %s: unexpected error", notice_id)
        mine.update(state=NoticeState.FAILED, last_error=_("系统错误：%(error)r") % {"error": error})
        return None
    mine.update(state=NoticeState.SENT, sent_at=timezone.now(), last_error="")
    return None


# --- Reminders --------------------------------------------------------------------------------------------


def _at(day: datetime.date) -> datetime.datetime:
    """Reminders go out at NOTICES_REMINDER_HOUR o'clock, local time, on their day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(settings.NOTICES_REMINDER_HOUR)))


def _schedule(reminder: Reminder, now: datetime.datetime) -> None:
    deadline_at = _at(reminder.deadline)
    reminder.overdue_count = 0
    if reminder.days_before > 0 and deadline_at > now:
        reminder.stage = ReminderStage.BEFORE
        reminder.next_at = _at(add_working_days(reminder.deadline, -reminder.days_before))
    else:
        reminder.stage = ReminderStage.OVERDUE
        reminder.next_at = deadline_at


def reminder_event_key(reminder: Reminder, stage: str, number: int = 0) -> str:
    """The event of one reminder notice. It names the deadline, so a rescheduled reminder's notices are new
    events and the old deadline's notices can never be confused with them."""
    base = f"reminder:{reminder.key}:{reminder.deadline.isoformat()}:{stage}"
    return f"{base}:{number}" if number else base


@transaction.atomic
def reminder_set(
    *,
    key: str,
    street: Street,
    recipients: Iterable[User],
    deadline: datetime.date,
    days_before: int,
    title: str,
    body: str,
    link: str = "",
    subject=None,
) -> Reminder:
    """Create a reminder, or update the one with this key. A new deadline (or days_before) RESCHEDULES it: the
    notices of the old deadline still pending are cancelled, and the next notices carry the new deadline in their
    event key. The caller has checked that the acting user may do this."""
    if not key or len(key) > KEY_MAX or "/" in key:
        raise ValidationError(_("提醒标识不能为空、不能含“/”，且不能超过 %(n)s 个字符。") % {"n": KEY_MAX})
    if days_before < 0:
        raise ValidationError(_("提前天数不能为负数。"))
    title = title.strip()
    if not title or len(title) > 150:
        raise ValidationError(_("提醒标题不能为空，且不能超过 150 个字。"))
    people = list(recipients)
    now = timezone.now()
    reminder = Reminder.objects.select_for_update().filter(key=key).first()
    if reminder is None:
        reminder = Reminder(key=key)
        reschedule = True
    else:
        reschedule = (
            reminder.deadline != deadline
            or reminder.days_before != days_before
            or reminder.state != ReminderState.ACTIVE
        )
    reminder.street = street
    reminder.deadline, reminder.days_before = deadline, days_before
    reminder.title, reminder.body, reminder.link = title, body, link
    reminder.subject = subject
    if reschedule:
        if reminder.pk:
            Notice.objects.filter(reminder=reminder, state=NoticeState.PENDING).update(state=NoticeState.CANCELLED)
        reminder.state = ReminderState.ACTIVE
        _schedule(reminder, now)
    reminder.save()
    reminder.recipients.set(people)
    return reminder


@transaction.atomic
def reminder_done(*, key: str) -> Reminder | None:
    """The thing is done: no more reminders, and what is still pending is cancelled."""
    reminder = Reminder.objects.select_for_update().filter(key=key).first()
    if reminder is None:
        return None
    Notice.objects.filter(reminder=reminder, state=NoticeState.PENDING).update(state=NoticeState.CANCELLED)
    reminder.state = ReminderState.DONE
    reminder.save(update_fields=["state", "updated_at"])
    return reminder


def _fire(reminder: Reminder, now: datetime.datetime) -> None:
    deadline = reminder.deadline.strftime("%Y年%-m月%-d日")
    common = {
        "by": None,
        "street": reminder.street,
        "recipients": reminder.recipients.all(),
        "body": reminder.body,
        "link": reminder.link,
        "subject": reminder.subject,
        "reminder": reminder,
    }
    if reminder.stage == ReminderStage.BEFORE:
        notice_send(
            kind="reminder",
            event_key=reminder_event_key(reminder, "before"),
            title=_("提醒：%(title)s（期限 %(deadline)s）") % {"title": reminder.title, "deadline": deadline},
            **common,
        )
        reminder.stage = ReminderStage.OVERDUE
        reminder.next_at = _at(reminder.deadline)
    else:
        reminder.overdue_count += 1
        notice_send(
            kind="overdue",
            event_key=reminder_event_key(reminder, "overdue", reminder.overdue_count),
            title=_("到期提醒：%(title)s（期限 %(deadline)s，尚未完成）")
            % {"title": reminder.title, "deadline": deadline},
            **common,
        )
        last = max(timezone.localtime(reminder.next_at).date(), timezone.localdate(now))
        reminder.next_at = _at(add_working_days(last, settings.NOTICES_OVERDUE_EVERY_WORKING_DAYS))
    reminder.save(update_fields=["stage", "next_at", "overdue_count", "updated_at"])


def _sweep_reminders(now: datetime.datetime, batch: int = 100) -> int:
    fired = 0
    for _round in range(20):  # each round moves every due reminder's next_at forward
        with transaction.atomic():
            due = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=ReminderState.ACTIVE, next_at__lte=now)
                .select_related("street")[:batch]
            )
            for reminder in due:
                _fire(reminder, now)
            fired += len(due)
        if not due:
            break
    return fired


def notices_sweep(*, now: datetime.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """The periodic scan (celery beat, every minute): put back rows stuck in "sending" (a worker killed mid-run),
    show in-app notices that have come due, turn due reminders into notices, and enqueue every due pending row.
    Overlapping sweeps skip each other's locked rows."""
    now = now or timezone.now()
    stuck_before = now - datetime.timedelta(seconds=settings.NOTICES_SENDING_TIMEOUT_SECONDS)
    released = Notice.objects.filter(state=NoticeState.SENDING, claimed_at__lt=stuck_before).update(
        state=NoticeState.PENDING, claimed_at=None, enqueued_at=None
    )
    shown = Notice.objects.filter(channel=Channel.IN_APP, state=NoticeState.PENDING, due_at__lte=now).update(
        state=NoticeState.SENT, sent_at=now
    )
    fired = _sweep_reminders(now)
    reenqueue_before = now - datetime.timedelta(seconds=settings.NOTICES_REENQUEUE_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            Notice.objects.select_for_update(skip_locked=True)
            .filter(state=NoticeState.PENDING, due_at__lte=now)
            .exclude(channel=Channel.IN_APP)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=reenqueue_before))
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        Notice.objects.filter(pk__in=ids).update(enqueued_at=now)  # an overlapping sweep leaves these alone
    published = enqueue(ids)
    return {"released": released, "shown": shown, "reminders": fired, "enqueued": published}
