from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.uploads import KeepFilesForm, KeptFilesField, KeptFilesInput
from supervision.models import Channel, HandlingUnit, ProposerKind, Rating, ReplyClass, UnitKind
from supervision.services import (
    ATTACHMENT_KINDS,
    ATTACHMENT_SUFFIXES,
    IMAGE_KINDS,
    IMAGE_SUFFIXES,
    MAX_ATTACHMENT_BYTES,
)

COMMITMENT_ROWS = 3
# What a deputy picks from on the short form (the categories staff use most).
CATEGORIES = (
    "市政设施",
    "环境卫生",
    "道路交通",
    "停车管理",
    "排水防涝",
    "绿化",
    "噪音扰民",
    "治安",
    "食品安全",
    "老旧小区改造",
    "养老服务",
    "教育",
    "便民服务",
    "矛盾纠纷",
    "其他",
)


def attachments_field(label):
    """Photos and documents of a case (several at once from a phone), kept across a refusal."""
    return KeptFilesField(
        label=label, suffixes=ATTACHMENT_SUFFIXES, kinds=ATTACHMENT_KINDS, max_bytes=MAX_ATTACHMENT_BYTES
    )


def _street_field(form, streets):
    form.fields["street"].queryset = streets
    if len(streets) == 1:
        form.fields["street"].initial = streets[0]
        form.fields["street"].widget = forms.HiddenInput()


class OpinionForm(KeepFilesForm):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices)
    category = forms.CharField(label=_("类别"), max_length=50, required=False, help_text=_("如“市政设施”“环境卫生”。"))
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}))
    proposer_kind = forms.ChoiceField(label=_("提出人身份"), choices=ProposerKind.choices)
    proposer_name = forms.CharField(label=_("提出人姓名"), max_length=50, required=False)
    proposer_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    attachments = attachments_field(_("照片或材料"))

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        _street_field(self, streets)


class DeputyReportForm(KeepFilesForm):
    """A deputy's (or council member's) own short form: what, photos, category, and where (optional)."""

    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    content = forms.CharField(
        label=_("反映的问题或建议"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("如：东风路口路灯坏了两周，晚上看不清路。")}),
    )
    photos = KeptFilesField(
        label=_("照片"),
        suffixes=IMAGE_SUFFIXES,
        kinds=IMAGE_KINDS,
        max_bytes=MAX_ATTACHMENT_BYTES,
        widget=KeptFilesInput(attrs={"accept": "image/*"}),
        help_text=_("可选多张，不超过 20 MB 一张。"),
    )
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择")), *((c, c) for c in CATEGORIES)])
    place = forms.CharField(label=_("地点（可不填）"), max_length=100, required=False)
    service_fields = {"attachments": "photos"}

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        _street_field(self, streets)


class UnitChoiceField(forms.ModelChoiceField):
    """A handling unit, marked when nobody there has an account (use with `units_for_assignment`)."""

    def label_from_instance(self, unit):
        if not unit.people:
            return _("%(name)s（无账号，无人接收通知）") % {"name": unit.name}
        return unit.name


def units_for_assignment(street):
    """The street's active units with `people`: how many accounts are linked to each."""
    return (
        HandlingUnit.objects.filter(street=street, active=True)
        .annotate(people=Count("members", filter=Q(members__user__is_active=True)))
        .order_by("kind", "name")
    )


class AssignForm(forms.Form):
    unit = UnitChoiceField(label=_("办理单位"), queryset=None)
    deadline = forms.DateField(
        label=_("办理期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填则按来源渠道的工作日期限计算。"),
    )
    unstaffed_ok = forms.BooleanField(
        label=_("所选单位没有账号时仍要交办（由人大街道工委线下通知该单位）"),
        required=False,
    )

    def __init__(self, *args, street, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_assignment(street)
        if not self.fields["unit"].queryset.filter(people=0).exists():
            del self.fields["unstaffed_ok"]  # every unit has people: nothing to confirm

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("办理期限不能早于今天。"))
        return deadline

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if unit is not None and not unit.people and not data.get("unstaffed_ok"):
            self.add_error(
                "unstaffed_ok",
                _(
                    "“%(name)s”没有账号：交办后没有人会收到交办通知和期限提醒。请先在“办理单位”中为其添加人员，"
                    "或勾选此项并线下通知该单位。"
                )
                % {"name": unit.name},
            )
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.Form):
    met_at = forms.DateTimeField(label=_("沟通时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("地点"), max_length=100)
    participants = forms.CharField(label=_("参加人员"), max_length=200)
    summary = forms.CharField(label=_("沟通情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"met_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
        super().__init__(*args, **kwargs)


class ReplyForm(KeepFilesForm):
    reply_class = forms.ChoiceField(label=_("答复类别"), choices=ReplyClass.choices, widget=forms.RadioSelect)
    body = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = attachments_field(_("答复附件"))
    # The service names the commitments as a whole; its refusal shows at the first row.
    service_fields = {"commitments": "commitment_1"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, COMMITMENT_ROWS + 1):
            self.fields[f"commitment_{i}"] = forms.CharField(
                label=_("承诺事项%(i)d") % {"i": i}, max_length=200, required=False
            )
            self.fields[f"due_{i}"] = forms.DateField(
                label=_("完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def clean(self):
        """Each commitment row needs its due date, not in the past (shown at that row's date)."""
        cleaned = super().clean()
        today = timezone.localdate()
        for i in range(1, COMMITMENT_ROWS + 1):
            due = cleaned.get(f"due_{i}")
            if not cleaned.get(f"commitment_{i}", "").strip() or f"due_{i}" in self.errors:
                continue
            if due is None:
                self.add_error(f"due_{i}", _("请填写该承诺事项的完成时限。"))
            elif due < today:
                self.add_error(f"due_{i}", _("完成时限不能早于今天。"))
        return cleaned

    def commitments(self):
        rows = []
        for i in range(1, COMMITMENT_ROWS + 1):
            description = self.cleaned_data.get(f"commitment_{i}", "").strip()
            if description:
                rows.append((description, self.cleaned_data.get(f"due_{i}")))
        return rows


class CommitmentDoneForm(KeepFilesForm):
    evidence = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 2}))
    attachments = attachments_field(_("佐证材料"))


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对答复的评价"), choices=Rating.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=_("不满意时请说明理由。")
    )


class UnitForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("单位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=UnitKind.choices)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        _street_field(self, streets)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("人员"), queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class TrackLookupForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=12)
