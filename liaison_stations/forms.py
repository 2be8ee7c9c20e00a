from django import forms
from django.utils.translation import gettext_lazy as _

from committee.models import User
from committee.public import PublicForm
from deputies.models import Deputy
from liaison_stations.models import (
    ActivityKind,
    LiaisonStation,
    PlanItemKind,
    ReceiverKind,
    RotaSlot,
    Sex,
    StationKind,
    StationRoleKind,
)
from liaison_stations.services import STATION_FIELDS
from livelihood_votes.governance.forms import PhotosField, PhotosInput

DATE = forms.DateInput(attrs={"type": "date"})
OFFICIAL_KINDS = [
    ReceiverKind.JUDGE,
    ReceiverKind.PROSECUTOR,
    ReceiverKind.POLICE,
    ReceiverKind.JUSTICE,
    ReceiverKind.STATE_ORGAN,
]


class StationForm(forms.ModelForm):
    class Meta:
        model = LiaisonStation
        fields = [*STATION_FIELDS, "deputies"]
        widgets = {"deputies": forms.CheckboxSelectMultiple}

    def __init__(self, *args, street, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = StationKind.choices
        self.fields["deputies"].queryset = Deputy.objects.filter(street=street, end_reason="").select_related("user")
        self.fields["deputies"].label_from_instance = lambda d: d.user.full_name


class StationRoleForm(forms.Form):
    kind = forms.ChoiceField(label=_("职务"), choices=StationRoleKind.choices)
    person = forms.ModelChoiceField(label=_("人员"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("起始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda u: u.full_name


class MessageForm(PublicForm):
    content = forms.CharField(label=_("您想反映的事项"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    name = forms.CharField(label=_("姓名（选填）"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话（选填）"), max_length=20, required=False)


class ReceptionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("接待时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    theme = forms.CharField(label=_("主题"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("活动类型"),
        choices=ActivityKind.choices,
        initial=ActivityKind.RECEPTION,
        help_text=_(
            "主题活动：第十四条第五项，每半年至少一次；各级代表集中进站：第十五条第一项；国家机关工作人员通报：第十六条第二项。"
        ),
    )
    deputies = forms.ModelMultipleChoiceField(
        label=_("值班代表"), queryset=Deputy.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    cadres = forms.ModelMultipleChoiceField(
        label=_("领导干部"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, deputies, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies
        self.fields["deputies"].label_from_instance = lambda d: d.user.full_name
        self.fields["cadres"].queryset = cadres
        self.fields["cadres"].label_from_instance = lambda u: u.full_name
        for kind in OFFICIAL_KINDS:
            self.fields[f"official_{kind}"] = forms.CharField(
                label=ReceiverKind(kind).label,
                required=False,
                max_length=160,
                help_text=_("姓名（单位），多人用逗号分隔"),
            )

    def officials(self):
        """(kind, name, organisation) from the officials' fields: "张三（城关派出所），李四"."""
        rows = []
        for kind in OFFICIAL_KINDS:
            text = self.cleaned_data.get(f"official_{kind}", "")
            for entry in text.replace("，", ",").split(","):
                entry = entry.strip()
                if entry:
                    name, _sep, rest = entry.replace("(", "（").partition("（")
                    rows.append((kind, name.strip(), rest.rstrip("）)").strip()))
        return rows


class VisitForm(forms.Form):
    name = forms.CharField(label=_("来访人"), max_length=50)
    sex = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Sex.choices], required=False)
    age = forms.IntegerField(label=_("年龄"), min_value=1, max_value=130, required=False)
    address = forms.CharField(label=_("住址或选区"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    confidential = forms.BooleanField(label=_("要求保密"), required=False)
    matter = forms.CharField(label=_("反映事项（记录原话）"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.CharField(label=_("类别"), max_length=50, required=False)
    handling = forms.ChoiceField(
        label=_("处理方式"),
        choices=[("answer", _("当场答复")), ("loop", _("转入意见建议办理"))],
        widget=forms.RadioSelect,
        initial="answer",
    )
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    service_fields = {"pass_to_loop": "handling"}


class ReportForm(forms.Form):
    summary = forms.CharField(label=_("接待小结"), widget=forms.Textarea(attrs={"rows": 4}))
    attended = forms.MultipleChoiceField(label=_("到场人员"), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(r.pk), f"{r.get_kind_display()} {r.name}") for r in receivers]


class RotaGenerateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    day = forms.IntegerField(label=_("每月接待日（几号）"), min_value=1, max_value=31, initial=15)
    per_day = forms.IntegerField(label=_("每次值班代表人数"), min_value=1, max_value=10, initial=2)


class RotaSlotForm(forms.Form):
    on_date = forms.DateField(label=_("接待日期"), widget=DATE)
    deputy = forms.ModelChoiceField(label=_("值班代表"), queryset=Deputy.objects.none())

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        self.fields["deputy"].label_from_instance = lambda d: d.user.full_name


class SwapForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("请哪位代表换班"), queryset=Deputy.objects.none())
    partner_slot = forms.ModelChoiceField(
        label=_("与对方互换的日期（选填）"),
        queryset=RotaSlot.objects.none(),
        required=False,
        help_text=_("留空：请对方替班；选择：您改在对方的那天值班。"),
    )
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, partners, partner_slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].label_from_instance = lambda d: d.user.full_name
        self.fields["partner_slot"].queryset = partner_slots
        self.fields["partner_slot"].label_from_instance = lambda s: f"{s.on_date:%Y-%m-%d} {s.deputy.user.full_name}"

    def clean(self):
        data = super().clean()
        slot, partner = data.get("partner_slot"), data.get("partner")
        if slot is not None and partner is not None and slot.deputy_id != partner.pk:
            self.add_error("partner_slot", _("请选择所选代表本人的值班日期。"))
        return data


class PhotosForm(forms.Form):
    photos = PhotosField(
        label=_("照片"),
        widget=PhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("可选多张，JPG、PNG 或 WebP；照片中的定位等信息会被去除。"),
    )
    caption = forms.CharField(label=_("说明（选填）"), max_length=100, required=False)


# --- Plans, operating rules, training (Art 14(3)) --------------------------------------------------------


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    notes = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PlanItemForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("月份"), coerce=int, choices=[("", "—"), *((m, f"{m}月") for m in range(1, 13))], required=False
    )
    kind = forms.ChoiceField(label=_("类别"), choices=PlanItemKind.choices, required=False)
    title = forms.CharField(label=_("内容"), max_length=100, required=False)
    notes = forms.CharField(label=_("备注"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("month"):
            self.add_error("month", _("请选择月份。"))
        if data.get("title") and not data.get("kind"):
            self.add_error("kind", _("请选择类别。"))
        return data


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=4)


def plan_items(formset) -> list[tuple]:
    """(month, kind, title, notes) of the filled rows of a valid formset."""
    return [
        (f.cleaned_data["month"], f.cleaned_data["kind"], f.cleaned_data["title"], f.cleaned_data["notes"])
        for f in formset.forms
        if f.cleaned_data.get("title")
    ]


class OperatingRulesForm(forms.Form):
    text = forms.CharField(
        label=_("细则正文"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("每段一行；“一、”开头为一级标题，“（一）”开头为二级标题。"),
    )


class TrainingForm(forms.Form):
    topic = forms.CharField(label=_("培训主题"), max_length=100)
    held_on = forms.DateField(label=_("培训日期"), widget=DATE)
    organiser = forms.CharField(label=_("主讲或组织单位"), max_length=100)
    attendees = forms.ModelMultipleChoiceField(
        label=_("参训人员"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    notes = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people
        self.fields["attendees"].label_from_instance = lambda u: u.full_name
