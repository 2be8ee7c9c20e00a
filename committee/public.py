"""Forms anyone may post without an account (self-nomination, candidates, messages to a deputy): the one way
they refuse floods and bots, with no outside service (no captcha provider; government intranets have no internet).

- `PublicForm`: a hidden honeypot field that people never see and bots fill, and a signed time stamp that
  refuses a form posted faster than a person can fill it or older than a day.
- `too_many(request, group)`: counts the caller's POSTs per address in the shared cache (django-ratelimit) and says
  when they exceed `PUBLIC_FORM_RATE` (default 10 an hour); the view then shows the form again with a message and
  saves nothing.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

_SALT = "committee.public.form"
MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600


def too_many(request, group: str, rate: str | None = None) -> bool:
    return is_ratelimited(
        request, group=group, key="ip", rate=rate or settings.PUBLIC_FORM_RATE, method="POST", increment=True
    )


TOO_MANY_MESSAGE = _("提交过于频繁，请稍后再试。")


class PublicForm(forms.Form):
    """Base class of every no-login form. Subclasses add their fields; render the two hidden ones as usual."""

    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "visually-hidden"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signing.dumps(time.time(), salt=_SALT)
        # A form shown again after an error keeps its first time stamp (the bound value), so it is never "too fast".

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("提交未被接受，请刷新页面后重试。"), code="honeypot")
        try:
            started = signing.loads(cleaned.get("started") or "", salt=_SALT, max_age=MAX_SECONDS)
        except signing.BadSignature:
            raise forms.ValidationError(_("页面已过期，请刷新页面后重新填写。"), code="expired") from None
        if time.time() - float(started) < MIN_SECONDS:
            raise forms.ValidationError(_("提交过快，请确认内容后再提交。"), code="too_fast")
        return cleaned
