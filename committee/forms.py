from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import Membership, User, mobile_validator
from committee.roles import Role


class PersonAddForm(forms.Form):
    street = forms.ModelChoiceField(queryset=None, label=_("街道"), empty_label=None)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[mobile_validator])
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[c for c in Role.choices if c[0] != Role.CITY])
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    full_time = forms.BooleanField(label=_("专职"), required=False, initial=True)
    started_on = forms.DateField(
        label=_("任职日期"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        if len(streets) == 1:
            self.fields["street"].initial = streets[0]


class PersonUpdateForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[mobile_validator])
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    full_time = forms.BooleanField(label=_("专职"), required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        self.membership = membership
        super().__init__(*args, **kwargs)

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"]
        if User.objects.filter(mobile=mobile).exclude(pk=self.membership.user_id).exists():
            raise forms.ValidationError(_("该手机号码已被其他人员使用。"))
        return mobile


class MembershipEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("离任日期"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class LoginForm(AuthenticationForm):
    """The login form, labelled for login by username or mobile number."""

    username = UsernameField(label=_("用户名或手机号码"), widget=forms.TextInput(attrs={"autofocus": True}))
