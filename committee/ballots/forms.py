from django import forms
from django.utils.translation import gettext_lazy as _

from committee.ballots import rules
from committee.ballots.models import Ballot, PaperMode, Question
from committee.models import Street
from committee.roles import COMMITTEE_ROLES, Role

ROLL_GROUPS = {
    "council_member": ((Role.COUNCIL_MEMBER,), _("居民议事员")),
    "deputy": ((Role.DEPUTY,), _("人大代表")),
    "committee": (COMMITTEE_ROLES, _("人大街道工委组成人员")),
}


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class BallotForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=Street.objects.none())
    title = forms.CharField(label=_("表决事项名称"), max_length=200)
    rule = forms.ChoiceField(label=_("表决规则"), choices=rules.choices)
    places = forms.IntegerField(
        label=_("名额"), required=False, min_value=1, help_text=_("差额票决时填写：最多可投赞成票的项目数。")
    )
    questions = forms.CharField(
        label=_("候选项目或测评事项"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("每行一项。")
    )
    roll_groups = forms.MultipleChoiceField(
        label=_("选民（有账号的人员）"),
        required=False,
        choices=[(key, label) for key, (_roles, label) in ROLL_GROUPS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("按今天在任的角色确定名单，开始投票时冻结。"),
    )
    other_voters = forms.CharField(
        label=_("没有账号的选民"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个姓名；开始投票时为每人生成一次性投票码，打印在凭条上。"),
    )
    electronic = forms.BooleanField(label=_("电子投票（手机或凭条投票码）"), required=False, initial=True)
    paper = forms.ChoiceField(label=_("纸质选票"), choices=PaperMode.choices, initial=PaperMode.NONE)
    paper_spares = forms.IntegerField(label=_("备用纸质选票（张）"), min_value=0, max_value=200, initial=5)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        if len(streets) == 1:
            self.fields["street"].initial = streets[0]
            self.fields["street"].widget = forms.HiddenInput()


def _option_choices(ballot: Ballot):
    return [(o.code, o.label) for o in ballot.engine_rule.options]


class ChoicesForm(forms.Form):
    """One radio group per question (`q<position>`), the rule's options."""

    def __init__(self, *args, ballot: Ballot, questions: list[Question], required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.position}"] = forms.ChoiceField(
                label=question.label,
                choices=_option_choices(ballot),
                widget=forms.RadioSelect,
                required=required,
                error_messages={"required": _("请对这一项作出选择。")},
            )

    def choices(self) -> dict[int, str]:
        return {q.position: self.cleaned_data.get(f"q{q.position}") or "" for q in self.questions}

    def question_fields(self):
        return [(q, self[f"q{q.position}"]) for q in self.questions]


class PaperEntryForm(ChoicesForm):
    code = forms.CharField(label=_("选票编号"), max_length=20)
    invalid = forms.BooleanField(label=_("无效票"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, required=False, **kwargs)


class SlipCodeForm(forms.Form):
    code = forms.CharField(
        label=_("投票码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("凭条上印的投票码，如 K7Q2-M9XD-4TPA。"),
    )


class CountSheetForm(forms.Form):
    """The count sheet: returned, valid, invalid, every option's total per question (`t<position>_<code>`)."""

    returned = forms.IntegerField(label=_("收回选票"), min_value=0)
    valid = forms.IntegerField(label=_("有效票"), min_value=0)
    invalid = forms.IntegerField(label=_("无效票"), min_value=0)
    tellers = forms.CharField(label=_("计票人"), max_length=200)
    scrutineers = forms.CharField(label=_("监票人"), max_length=200)
    reason = forms.CharField(label=_("更正或重新计票的原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ballot: Ballot, questions: list[Question], reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.options = ballot.engine_rule.options
        for question in questions:
            for option in self.options:
                self.fields[f"t{question.position}_{option.code}"] = forms.IntegerField(
                    label=f"{question.label} · {option.label}", min_value=0, initial=0
                )
        if reason_required:
            self.fields["reason"].required = True

    def rows(self):
        return [(q, [self[f"t{q.position}_{o.code}"] for o in self.options]) for q in self.questions]

    def sheet(self) -> dict:
        data = self.cleaned_data
        return {
            "returned": data["returned"],
            "valid": data["valid"],
            "invalid": data["invalid"],
            "tellers": data["tellers"],
            "scrutineers": data["scrutineers"],
            "totals": {
                q.position: {o.code: data[f"t{q.position}_{o.code}"] for o in self.options} for q in self.questions
            },
        }


def sheet_initial(sheet) -> dict:
    if sheet is None:
        return {}
    initial = {
        "returned": sheet.returned,
        "valid": sheet.valid,
        "invalid": sheet.invalid,
        "tellers": sheet.tellers,
        "scrutineers": sheet.scrutineers,
    }
    for position, counts in sheet.totals.items():
        for code, n in counts.items():
            initial[f"t{position}_{code}"] = n
    return initial


class CloseForm(forms.Form):
    explanation = forms.CharField(
        label=_("差异说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("清点结果有差异（如发出的纸质选票未全部收回）时必须填写。"),
    )


class RecountForm(forms.Form):
    reason = forms.CharField(label=_("重新计票的原因"), widget=forms.Textarea(attrs={"rows": 3}))
