from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.uploads import KeepFilesForm, KeptFilesField, KeptFilesInput
from deputies.records.models import ClaimKind, CorrectionKind, DeputyRole, FiveVisitVenue
from deputies.records.services import EVIDENCE_SUFFIXES, MAX_EVIDENCE_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _venue_field():
    return forms.ChoiceField(
        label=_("“五进”去处（“五进”活动必填）"), required=False, choices=[("", "—"), *FiveVisitVenue.choices]
    )


def _deputy_role_field():
    return forms.ChoiceField(
        label=_("“人大代表+”角色（“人大代表+”活动必填）"), required=False, choices=[("", "—"), *DeputyRole.choices]
    )


def _street_field(form, streets):
    form.fields["street"].queryset = streets
    if len(streets) == 1:
        form.fields["street"].initial = streets[0]
        form.fields["street"].widget = forms.HiddenInput()


class ClaimForm(KeepFilesForm):
    """A deputy's own claim, from the phone: what kind, what, when, where, and a photo or document."""

    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择")), *ClaimKind.choices])
    title = forms.CharField(
        label=_("事项"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：帮助东风社区修好楼道路灯")}),
    )
    date = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label=_("地点（可不填）"), max_length=100, required=False)
    venue = _venue_field()
    deputy_role = _deputy_role_field()
    description = forms.CharField(
        label=_("情况说明（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = KeptFilesField(
        label=_("照片或文件"),
        suffixes=EVIDENCE_SUFFIXES,
        kinds=_("照片、PDF 或 Word 文件"),
        max_bytes=MAX_EVIDENCE_BYTES,
        widget=KeptFilesInput(attrs={"accept": "image/*,.pdf,.doc,.docx"}),
        help_text=_("至少一个，作为佐证；不超过 20 MB 一个。"),
    )

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        _street_field(self, streets)


class ActivityForm(KeepFilesForm):
    """An activity the committee organised, recorded once with all its participants."""

    kind = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择")), *ClaimKind.choices])
    title = forms.CharField(label=_("活动主题"), max_length=200)
    date = forms.DateField(label=_("日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    venue = _venue_field()
    deputy_role = _deputy_role_field()
    audience = forms.IntegerField(label=_("受众人数（可不填）"), min_value=0, required=False)
    description = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    participants = forms.ModelMultipleChoiceField(
        label=_("参加的代表"), queryset=None, widget=forms.SelectMultiple(attrs={"data-searchable": ""})
    )
    evidence = KeptFilesField(
        label=_("照片或文件（可不填）"),
        required=False,
        suffixes=EVIDENCE_SUFFIXES,
        kinds=_("照片、PDF 或 Word 文件"),
        max_bytes=MAX_EVIDENCE_BYTES,
        widget=KeptFilesInput(attrs={"accept": "image/*,.pdf,.doc,.docx"}),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不予确认的理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100)
    number = forms.TypedChoiceField(
        label=_("季度"), coerce=int, choices=[(n, _("第%(n)d季度") % {"n": n}) for n in range(1, 5)]
    )


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=CorrectionKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("处理结果"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("采纳（记录已核实更正，重新计分）")), ("no", _("不予采纳"))],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(label=_("处理意见"), max_length=300, required=False)


class RulesForm(forms.Form):
    """The year's rule table: base points, then each kind's points and yearly cap."""

    base_points = forms.DecimalField(label=_("基础分"), max_digits=5, decimal_places=1)

    def __init__(self, *args, kinds, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_points"].initial = rules.base
        self.kinds = kinds
        for code, label in kinds:
            points, cap = rules.table.get(code, (0, None))
            self.fields[f"points_{code}"] = forms.DecimalField(
                label=_("%(kind)s：每次分值") % {"kind": label}, max_digits=5, decimal_places=1, initial=points
            )
            self.fields[f"cap_{code}"] = forms.DecimalField(
                label=_("%(kind)s：年度上限（不填为不限）") % {"kind": label},
                max_digits=5,
                decimal_places=1,
                required=False,
                initial=cap,
            )

    def table(self):
        data = self.cleaned_data
        return {code: (data[f"points_{code}"], data[f"cap_{code}"]) for code, _label in self.kinds}
