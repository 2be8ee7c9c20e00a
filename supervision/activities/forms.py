from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import Membership
from committee.roles import Role
from supervision.activities.models import (
    EnforcementInspection,
    FieldVisit,
    InspectionFinding,
    SpecialWorkReport,
    StudySession,
    WorkAppraisal,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MembershipChoice(forms.ModelMultipleChoiceField):
    """People chosen from the street's active memberships (deputies, council members), by name."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, many_streets=False, **kwargs):
        self.many_streets = many_streets
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.user.full_name}（{obj.street.name}）" if self.many_streets else obj.user.full_name


def people(streets, role):
    return (
        Membership.objects.active()
        .filter(street__in=streets, role=role)
        .select_related("user", "street")
        .order_by("street", "user__full_name", "pk")
    )


def _with_street(form_class):
    """A create form: the street field first, then the model form's fields."""

    class WithStreet(form_class):
        street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)

        def __init__(self, *args, streets, **kwargs):
            super().__init__(*args, streets=streets, **kwargs)
            self.fields["street"].queryset = streets
            if len(streets) == 1:
                self.fields["street"].initial = streets[0]
                self.fields["street"].widget = forms.HiddenInput()
            self.order_fields(["street"])

    WithStreet.__name__ = form_class.__name__ + "Add"
    return WithStreet


class InspectionForm(forms.ModelForm):
    class Meta:
        model = EnforcementInspection
        fields = ["law", "origin", "scope", "starts_on", "ends_on", "deputies"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "scope": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"] = MembershipChoice(
            queryset=people(streets, Role.DEPUTY),
            label=_("参加检查的代表"),
            required=False,
            many_streets=len(streets) > 1,
        )


class StudySessionForm(forms.ModelForm):
    class Meta:
        model = StudySession
        fields = ["held_on", "place", "content", "attendees"]
        widgets = {"held_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, streets, **kwargs):
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["attendees"] = MembershipChoice(
            queryset=people(streets, Role.DEPUTY), label=_("参加学习的代表（签到）")
        )


class FindingForm(forms.ModelForm):
    unit = forms.ModelChoiceField(
        label=_("整改单位"), queryset=None, required=False, help_text=_("属街道职责时必选：问题交该单位限期整改。")
    )

    class Meta:
        model = InspectionFinding
        fields = ["description", "responsibility", "unit", "deadline"]
        widgets = {
            "deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "responsibility": forms.RadioSelect,
        }
        help_texts = {"deadline": _("属街道职责时必填。")}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # the opinion-handling loop's handling units of the street

    def clean(self):
        data = super().clean()
        if data.get("responsibility") == "street":
            if not data.get("deadline"):
                self.add_error("deadline", _("属街道职责的问题须定整改期限。"))
            if not data.get("unit"):
                self.add_error("unit", _("请选择整改单位。"))
        return data


class FilingForm(forms.Form):
    text = forms.CharField(
        label=_("报告正文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("每段一行；以“一、”开头的段落为一级标题。报送后编发文字号、生成公文 PDF，不能再修改。"),
    )
    confirm = forms.BooleanField(label=_("我已核对，确认报送市人大常委会备案"))


class VisitForm(forms.ModelForm):
    class Meta:
        model = FieldVisit
        fields = [
            "kind",
            "topic",
            "starts_on",
            "ends_on",
            "participants",
            "staff_invited",
            "materials_studied",
            "summary",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "staff_invited": forms.Textarea(attrs={"rows": 2}),
            "materials_studied": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"] = MembershipChoice(
            queryset=people(streets, Role.DEPUTY),
            label=_("参加的代表"),
            required=False,
            many_streets=len(streets) > 1,
        )


class IssueForm(forms.Form):
    content = forms.CharField(label=_("意见建议或问题"), widget=forms.Textarea(attrs={"rows": 3}))
    proposer = forms.ModelChoiceField(
        label=_("提出意见的代表"),
        queryset=None,
        required=False,
        empty_label=_("（不是代表提出的，填写下一栏）"),
        help_text=_("办理答复将反馈给该代表。"),
    )
    proposer_name = forms.CharField(label=_("其他提出人"), max_length=50, required=False)

    def __init__(self, *args, street, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = people([street], Role.DEPUTY)
        self.fields["proposer"].label_from_instance = lambda m: m.user.full_name


class ReportForm(forms.ModelForm):
    class Meta:
        model = SpecialWorkReport
        fields = ["topic", "title", "reporting_unit", "heard_on", "held", "field_visit", "summary"]
        widgets = {"heard_on": DATE, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_visit"].queryset = FieldVisit.objects.filter(street__in=streets).order_by("-starts_on")


class UnitHeadForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = forms.CharField(label=_("单位"), max_length=100)
    position = forms.CharField(label=_("职务"), max_length=50, required=False)
    attended = forms.BooleanField(label=_("已到会"), required=False)


class AppraisalForm(forms.ModelForm):
    criteria = forms.CharField(
        label=_("评议项目和权重"),
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="工作作风 25\n依法履职 25\n办事效率 25\n群众满意度 25",
        help_text=_("每行一项：项目名称 空格 权重；权重合计100。已有人打分后不能修改。"),
    )

    class Meta:
        model = WorkAppraisal
        fields = ["year", "unit_name", "supervising_department", "appraised_on"]
        widgets = {"appraised_on": DATE}

    def __init__(self, *args, streets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["criteria"] = "\n".join(f"{c.name} {c.weight}" for c in self.instance.criteria.all())
        else:
            self.initial.setdefault("year", timezone.localdate().year)

    def clean_criteria(self):
        criteria = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, weight = line.strip().rpartition(" ")
            if not name.strip() or not weight.isdigit():
                raise forms.ValidationError(_("第%(n)d行格式不对，应为“项目名称 权重”。") % {"n": number})
            criteria.append((name.strip(), int(weight)))
        return criteria


class ScoreForm(forms.Form):
    """One council member's scores: a field per criterion."""

    member = forms.ModelChoiceField(label=_("居民议事员"), queryset=None, empty_label=None)

    def __init__(self, *args, appraisal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = people([appraisal.street], Role.COUNCIL_MEMBER)
        self.fields["member"].label_from_instance = lambda m: m.user.full_name
        self.criteria = list(appraisal.criteria.all())
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(label=str(criterion), min_value=0, max_value=100)

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class AppraisalFilingForm(forms.Form):
    summary = forms.CharField(label=_("评议意见"), widget=forms.Textarea(attrs={"rows": 6}))
    reported_to_party_on = forms.DateField(label=_("报党工委日期"), widget=DATE)
    reported_to_department_on = forms.DateField(label=_("报上级主管部门日期"), widget=DATE)
    confirm = forms.BooleanField(label=_("我已核对，确认报送并向市人大常委会备案"))
