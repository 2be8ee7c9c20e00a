"""Forms of suggestions, leader contacts and consultations. Services validate; forms only shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from committee.models import User
from deputies.suggestions.models import ContactKind, LeaderBody, Suggestion

TEXTAREA = {"rows": 3}


def _people_field(queryset, label):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset,
        widget=forms.SelectMultiple(attrs={"data-searchable": "", "data-placeholder": _("输入姓名查找")}),
    )


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = ["title", "category", "problem", "content", "solution"]
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "problem": forms.Textarea(attrs=TEXTAREA),
            "content": forms.Textarea(attrs=TEXTAREA),
            "solution": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False  # the service says what is missing, in Chinese, at its field


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs=TEXTAREA), required=False)


class InviteForm(forms.Form):
    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"] = _people_field(deputies, _("邀请附议的代表"))


class LeaderContactForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("领导（有账号时选择）"), queryset=User.objects.none(), required=False)
    leader_name = forms.CharField(label=_("领导姓名"), max_length=50, required=False)
    leader_title = forms.CharField(label=_("职务"), max_length=100, required=False)
    body = forms.ChoiceField(label=_("所在单位"), choices=LeaderBody.choices)

    def __init__(self, *args, leaders, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["deputies"] = _people_field(deputies, _("联系的代表"))


class ContactRecordForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("代表"), queryset=User.objects.none())
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("方式"), choices=ContactKind.choices)
    topic = forms.CharField(label=_("内容"), max_length=200, required=False)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("重大事项"), max_length=100, required=False)
    description = forms.CharField(label=_("事项说明"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
    reply_by = forms.DateField(label=_("反馈截止"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"] = _people_field(deputies, _("征求意见的代表"))


class MeasureOpinionForm(forms.Form):
    content = forms.CharField(label=_("我的意见"), widget=forms.Textarea(attrs=TEXTAREA), required=False)


class ResponseForm(forms.Form):
    response = forms.CharField(label=_("采纳和反馈情况"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
