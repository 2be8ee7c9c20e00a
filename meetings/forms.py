import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import Membership, User
from committee.roles import Role
from meetings.models import NOTICE_DAYS, MeetingKind
from supervision.forms import UnitChoiceField, units_for_assignment


class PeopleField(forms.ModelMultipleChoiceField):
    """People shown with what they are in the street: "王建国 · 人大代表", "李丽 · 城市管理办公室"."""

    descriptions: dict[int, str] = {}

    def label_from_instance(self, obj):
        description = self.descriptions.get(obj.pk)
        return f"{obj.full_name} · {description}" if description else obj.full_name


def describe_people(street_ids, roles) -> dict[int, str]:
    """user id → their roles in these streets, a handling unit's people by their unit's name (two queries)."""
    from supervision.models import HandlingUnitMember

    units = dict(HandlingUnitMember.objects.filter(street_id__in=street_ids).values_list("user_id", "unit__name"))
    described: dict[int, list[str]] = {}
    memberships = Membership.objects.active().filter(street_id__in=street_ids, role__in=roles).order_by("role")
    for user_id, role in memberships.values_list("user_id", "role"):
        label = units.get(user_id, Role(role).label) if role == Role.HANDLING_UNIT else str(Role(role).label)
        if label not in described.setdefault(user_id, []):
            described[user_id].append(label)
    return {user_id: "、".join(labels) for user_id, labels in described.items()}


ATTENDEE_ROLES = (Role.DEPUTY, Role.HANDLING_UNIT, Role.PARTY, Role.COUNCIL_MEMBER)


def _street_field(form, streets):
    form.fields["street"].queryset = streets
    if len(streets) == 1:
        form.fields["street"].initial = streets[0]
        form.fields["street"].widget = forms.HiddenInput()


class MeetingForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("会议类别"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    date = forms.DateField(label=_("会议日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))
    place = forms.CharField(label=_("地点"), max_length=200)
    attendees = PeopleField(
        label=_("相关参会人员（从人员名册中选择）"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(
            attrs={
                "size": 6,
                "data-searchable": True,
                "data-placeholder": _("输入姓名或单位搜索"),
                "data-no-results": _("没有找到，可在下方“其他参会人员”中手工填写"),
                "data-remove-label": _("移除"),
            }
        ),
        help_text=_("工委组成人员（或议事会全体议事员）自动列入，无需选择。"),
    )
    other_attendees = forms.CharField(
        label=_("其他参会人员（手工填写）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一人：姓名，单位职务。"),
    )
    chair = forms.ModelChoiceField(
        label=_("主持人"),
        queryset=None,
        required=False,
        help_text=_("工委主任主持，或由主任委托的副主任主持（第十八条第二项）。"),
    )
    field_visit = forms.ModelChoiceField(label=_("会前视察调研（第十条第二项）"), queryset=None, required=False)
    urgent_reason = forms.CharField(
        label=_("紧急会议事由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("会议距今不足%(n)d日时须填写，且只能由工委主任决定。") % {"n": NOTICE_DAYS},
    )

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        from supervision.activities.models import FieldVisit

        _street_field(self, streets)
        street_ids = [s.pk for s in streets]
        people = Membership.objects.active().filter(street_id__in=street_ids)
        self.fields["attendees"].queryset = User.objects.filter(
            pk__in=people.filter(role__in=ATTENDEE_ROLES).values("user_id")
        ).order_by("full_name", "pk")
        self.fields["attendees"].descriptions = describe_people(street_ids, ATTENDEE_ROLES)
        self.fields["chair"].queryset = User.objects.filter(
            pk__in=people.filter(role__in=[Role.DIRECTOR, Role.VICE_DIRECTOR]).values("user_id")
        ).order_by("full_name", "pk")
        self.fields["field_visit"].queryset = FieldVisit.objects.filter(street_id__in=street_ids).order_by("-starts_on")

    def clean_other_attendees(self):
        rows = []
        for line in self.cleaned_data["other_attendees"].splitlines():
            if line.strip():
                name, _sep, position = line.replace("，", ",").partition(",")
                rows.append((name.strip(), position.strip()))
        return rows


class MeetingEditForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    place = forms.CharField(label=_("地点"), max_length=200, help_text=_("通知发出后变更地点请使用“变更时间地点”。"))
    chair = forms.ModelChoiceField(label=_("主持人"), queryset=None, required=False)
    field_visit = forms.ModelChoiceField(label=_("会前视察调研（第十条第二项）"), queryset=None, required=False)

    def __init__(self, *args, street, **kwargs):
        super().__init__(*args, **kwargs)
        from supervision.activities.models import FieldVisit

        people = Membership.objects.active().filter(street=street, role__in=[Role.DIRECTOR, Role.VICE_DIRECTOR])
        self.fields["chair"].queryset = User.objects.filter(pk__in=people.values("user_id")).order_by("full_name")
        self.fields["field_visit"].queryset = FieldVisit.objects.filter(street=street).order_by("-starts_on")


class RescheduleForm(forms.Form):
    date = forms.DateField(label=_("会议日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))
    place = forms.CharField(label=_("地点"), max_length=200)
    urgent_reason = forms.CharField(
        label=_("紧急会议事由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("新日期距今不足%(n)d日时须由工委主任填写。") % {"n": NOTICE_DAYS},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("是否参会"), choices=[("attend", _("参会")), ("leave", _("请假"))], widget=forms.RadioSelect
    )
    leave_reason = forms.CharField(label=_("请假事由"), required=False, max_length=200)


class AgendaChangeForm(forms.Form):
    """The agenda of a notified meeting as a whole: each item's number and title (empty the title to remove the
    item), blank rows for new items, and what to tell the participants."""

    NEW_ROWS = 3

    reason = forms.CharField(
        label=_("变更说明"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("写入变更通知，如“应街道办事处要求增加一项议题”。"),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.row_names = []
        for i, item in enumerate(items, start=1):
            self._row(f"item_{item.pk}", i, item.title, _("议题"), item)
        for n in range(self.NEW_ROWS):
            self._row(f"new_{n}", len(items) + n + 1, "", _("新增议题"), None)

    def _row(self, name, position, title, label, item):
        self.fields[f"{name}_position"] = forms.IntegerField(
            label=_("序号"), min_value=1, max_value=99, initial=position, required=False
        )
        self.fields[f"{name}_title"] = forms.CharField(label=label, max_length=300, required=False, initial=title)
        self.row_names.append((name, item))

    def rows(self):
        """(position field, title field, the item or None) for the template, in the current order."""
        return [(self[f"{name}_position"], self[f"{name}_title"], item) for name, item in self.row_names]

    def agenda(self) -> list[tuple[int | None, str]]:
        """The new agenda in order: (item pk or None, title), sorted by the numbers typed (ties keep the order)."""
        rows = []
        for order, (name, item) in enumerate(self.row_names, start=1):
            title = self.cleaned_data[f"{name}_title"].strip()
            if item is not None or title:
                position = self.cleaned_data[f"{name}_position"] or order  # left empty: where it stands
                rows.append((position, order, item.pk if item else None, title))
        return [(pk, title) for _position, _order, pk, title in sorted(rows)]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每段一行；以“一、”开头的段落为一级标题。出席、请假、缺席和决定事项自动列入。"),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("决定事项"), widget=forms.Textarea(attrs={"rows": 2}))


class WrittenOpinionForm(forms.Form):
    content = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 5}))
    unit = UnitChoiceField(label=_("办理单位"), queryset=None, help_text=_("标有“无账号”的单位无人接收交办通知。"))
    deadline = forms.DateField(
        label=_("办理期限"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("不填则按意见建议办理规定的工作日计算。"),
    )

    def __init__(self, *args, street, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_assignment(street)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("办理期限不能早于今天。"))
        return deadline


def default_date() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=NOTICE_DAYS + 10)
