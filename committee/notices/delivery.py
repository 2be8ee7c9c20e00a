"""Delivering one claimed notice over its channel: the message text, the signed confirmation link, and which
errors are worth a retry."""

import contextlib
import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils.translation import gettext as _

from committee.notices import sms
from committee.notices.models import Channel, Notice

CONFIRM_SALT = "committee.notices.confirm"


class TransientError(Exception):
    """Delivery may succeed later: the task puts the notice back and retries with backoff."""


class PermanentError(Exception):
    """Delivery cannot succeed: the notice is marked failed with the reason."""


def confirm_token(notice: Notice) -> str:
    return signing.dumps(notice.pk, salt=CONFIRM_SALT)


def notice_from_token(token: str) -> int:
    """The notice id in a signed link; raises signing.BadSignature (or SignatureExpired) when invalid."""
    return signing.loads(token, salt=CONFIRM_SALT, max_age=settings.NOTICES_CONFIRM_LINK_DAYS * 86400)


def confirm_url(notice: Notice) -> str:
    return settings.SITE_URL + reverse("notices:confirm_link", args=[confirm_token(notice)])


def _absolute(link: str) -> str:
    return settings.SITE_URL + link if link.startswith("/") else link


def email_text(notice: Notice) -> str:
    parts = [notice.body] if notice.body else []
    if notice.link:
        parts.append(_("详情：%(url)s") % {"url": _absolute(notice.link)})
    parts.append(_("请点击以下链接确认签收：%(url)s") % {"url": confirm_url(notice)})
    return "\n\n".join(parts)


def sms_text(notice: Notice) -> str:
    return _("【人大街道工委】%(title)s 签收：%(url)s") % {"title": notice.title, "url": confirm_url(notice)}


class Mailer:
    """One SMTP connection for a batch of emails: opened at the first message, reused for the next ones, closed
    at the end of the batch (`close()`) or after a failed message (the next one opens a fresh connection)."""

    def __init__(self):
        self.connection = None

    def send(self, message: EmailMessage) -> None:
        try:
            if self.connection is None:
                self.connection = get_connection()
                self.connection.open()
            message.connection = self.connection
            message.send()
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(OSError):  # the server went away first: nothing left to close
                connection.close()


def deliver(notice: Notice, mailer: Mailer | None = None) -> None:
    """Send one notice (an email through `mailer`'s connection when given); raise TransientError or
    PermanentError."""
    recipient = notice.recipient
    if notice.channel == Channel.EMAIL:
        if not recipient.email:
            raise PermanentError(_("接收人没有电子邮箱。"))
        message = EmailMessage(notice.title, email_text(notice), settings.DEFAULT_FROM_EMAIL, [recipient.email])
        try:
            mailer.send(message) if mailer else message.send()
        except smtplib.SMTPResponseException as error:
            reason = _("邮件服务器拒收（%(code)s）：%(detail)s") % {"code": error.smtp_code, "detail": error.smtp_error}
            if 400 <= error.smtp_code < 500:
                raise TransientError(reason) from error
            raise PermanentError(reason) from error
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentError(_("邮件服务器拒收收件人：%(detail)s") % {"detail": error.recipients}) from error
        except smtplib.SMTPServerDisconnected as error:
            raise TransientError(_("邮件服务器断开连接：%(detail)s") % {"detail": error}) from error
        except smtplib.SMTPException as error:  # a subclass of OSError: catch it first
            raise PermanentError(_("邮件发送失败：%(detail)s") % {"detail": error}) from error
        except OSError as error:
            raise TransientError(_("邮件服务器无法连接：%(detail)s") % {"detail": error}) from error
    elif notice.channel == Channel.SMS:
        if not recipient.mobile:
            raise PermanentError(_("接收人没有手机号码。"))
        try:
            sms.get_backend().send(mobile=recipient.mobile, text=sms_text(notice))
        except sms.TransientSmsError as error:
            raise TransientError(str(error)) from error
        except sms.SmsError as error:
            raise PermanentError(str(error)) from error
    else:
        raise PermanentError(_("站内通知无需发送。"))
