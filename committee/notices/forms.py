from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("同时用电子邮件通知我"), required=False)
    sms_enabled = forms.BooleanField(label=_("同时用短信通知我"), required=False)
