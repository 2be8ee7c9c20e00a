from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from committee.public import PublicForm
from livelihood_votes.council.models import Category, CouncilMember, Source, Tie


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.Form):
    """Who the person is and why they are eligible: the fields the public form and the committee's entry share."""

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.RegexField(
        label=_("手机号码"), regex=r"^1[3-9]\d{9}$", error_messages={"invalid": _("请输入11位手机号码。")}
    )
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput)
    tie = forms.ChoiceField(label=_("与本街道的关系"), choices=Tie.choices, widget=forms.RadioSelect)
    tie_since = forms.DateField(
        label=_("居住或工作起始日期"), widget=DateInput, help_text=_("须在本街道居住或工作满1年。")
    )
    address = forms.CharField(label=_("居住地址或工作单位"), max_length=200)
    category = forms.ChoiceField(label=_("成员类别"), choices=[("", _("请选择")), *Category.choices])


class ApplicationForm(PersonForm, PublicForm):
    """The public self-nomination form (no login)."""

    statement = forms.CharField(
        label=_("个人简介及自荐理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The honeypot sits at the end, hidden with its label from people (and screen readers); bots still see it.
        self.helper = FormHelper()
        self.helper.form_tag = False
        visible = [name for name in self.fields if name != "website"]
        self.helper.layout = Layout(*visible, Div("website", css_class="visually-hidden", aria_hidden="true"))


class RecommendationForm(PersonForm):
    """The committee's entry of a recommendation or a nomination received on paper."""

    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    source = forms.ChoiceField(label=_("产生方式"), choices=Source.choices)
    recommended_by = forms.CharField(label=_("推荐单位或社区"), max_length=100, required=False)
    statement = forms.CharField(
        label=_("个人简介"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    field_order = ["street"]

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets


class ReviewForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("初审结果"),
        choices=[("1", _("通过，列入公示")), ("", _("不通过"))],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
        initial="1",
    )
    reason = forms.CharField(label=_("不通过的原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ObjectionForm(forms.Form):
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label=_("收到日期"), widget=DateInput)


class ObjectionHandleForm(forms.Form):
    result = forms.CharField(label=_("核实和处理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    upheld = forms.BooleanField(label=_("异议成立（此人不予确认）"), required=False)


class ConfirmForm(forms.Form):
    pass


class AppointForm(forms.Form):
    term_starts_on = forms.DateField(label=_("任期开始"), widget=DateInput)
    term_ends_on = forms.DateField(label=_("任期届满"), widget=DateInput)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("离任日期"), widget=DateInput)
    reason = forms.CharField(label=_("离任原因"), max_length=200)


class TrainingForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    held_on = forms.DateField(label=_("培训日期"), widget=DateInput)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("参训成员"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"data-searchable": "", "data-placeholder": _("输入姓名查找")}),
    )

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        self.fields["attendees"].queryset = (
            CouncilMember.objects.filter(street__in=streets, term_starts_on__isnull=False)
            .select_related("street")
            .order_by("street", "full_name")
        )
        self.fields["attendees"].label_from_instance = lambda m: f"{m.full_name} · {m.street.name}"
