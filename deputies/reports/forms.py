"""Forms of reports to constituents. Services validate; forms only shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from committee.ballots.models import PaperMode
from deputies.models import Constituency, Deputy
from deputies.reports.models import ConstituentComment, ConstituentReport


class ReportForm(forms.ModelForm):
    class Meta:
        model = ConstituentReport
        fields = ["deputy", "constituency", "date", "place", "expected", "present", "text", "file"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, street, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = Deputy.objects.filter(street=street).select_related("user")
        self.fields["constituency"].queryset = Constituency.objects.filter(street=street)
        self.fields["text"].required = False  # the service asks for the text or the file
        self.fields["present"].help_text = _("少于规定人数的将被标记。")
        if self.instance.pk:
            del self.fields["deputy"]


class CommentForm(forms.ModelForm):
    class Meta:
        model = ConstituentComment
        fields = ["name", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].required = False


class SurveyForm(forms.Form):
    SLIPS, PAPER = "slips", "paper"
    mode = forms.ChoiceField(
        label=_("测评方式"),
        choices=[(SLIPS, _("凭条扫码在手机上测评")), (PAPER, _("纸质测评票，当场计票"))],
        widget=forms.RadioSelect,
        initial=SLIPS,
    )
    names = forms.CharField(
        label=_("选民代表名单"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一人；不填则按实到人数编号（选民代表1、选民代表2……）。"),
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        paper = PaperMode.COUNT_SHEET if data["mode"] == self.PAPER else PaperMode.NONE
        return {"paper": paper, "other_voters": data["names"].splitlines()}
