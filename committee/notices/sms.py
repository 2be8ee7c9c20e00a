"""SMS backends. `settings.SMS_BACKEND` names the class; `send(mobile=..., text=...)` delivers one message.

A backend raises `TransientSmsError` when trying again later may succeed (gateway 5xx, timeout, network down) and
`SmsError` when it cannot (a rejected number, a wrong token): the send task retries the first, fails the second.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The message cannot be delivered; retrying will not help."""


class TransientSmsError(SmsError):
    """The gateway could not take the message now; retry later."""


class LogBackend:
    """The default: writes each message to the log (development, and installations without a gateway)."""

    def send(self, *, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mobile, text)


class HttpGatewayBackend:
    """Posts `{"mobile": ..., "text": ...}` as JSON to SMS_GATEWAY_URL, with `Authorization: Bearer
    SMS_GATEWAY_TOKEN`, waiting at most SMS_GATEWAY_TIMEOUT seconds. A 2xx answer is success; 5xx, 429, a
    timeout or a network error is transient; any other answer is permanent."""

    def __init__(self):
        self.url = settings.SMS_GATEWAY_URL
        if not self.url:
            raise ImproperlyConfigured("SMS_BACKEND is the HTTP gateway but SMS_GATEWAY_URL is not set.")
        self.token = settings.SMS_GATEWAY_TOKEN
        self.timeout = settings.SMS_GATEWAY_TIMEOUT

    def send(self, *, mobile: str, text: str) -> None:
        data = json.dumps({"mobile": mobile, "text": text}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            detail = f"短信网关返回 {error.code}"
            if error.code >= 500 or error.code == 429:
                raise TransientSmsError(detail) from error
            raise SmsError(detail) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise TransientSmsError(f"短信网关无法连接：{error}") from error


def get_backend():
    return import_string(settings.SMS_BACKEND)()
