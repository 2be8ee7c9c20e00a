from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.party_reports.models import PartyReport


class PartyReportForm(forms.ModelForm):
    class Meta:
        model = PartyReport
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class PartyReportAddForm(PartyReportForm):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)

    class Meta(PartyReportForm.Meta):
        fields = ["street", "year", "quarter", "title", "body"]

    def __init__(self, *args, streets, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {"year": today.year, "quarter": (today.month - 1) // 3 + 1})
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        if len(streets) == 1:
            self.fields["street"].initial = streets[0]
            self.fields["street"].widget = forms.HiddenInput()


class PartyReportSubmitForm(forms.Form):
    """Who signed the report off (签发人): printed beside the document number."""

    signed_off_by = forms.ChoiceField(
        label=_("签发人"),
        widget=forms.RadioSelect,
        help_text=_("审定签发本报告的人大工委主任（或受委托的副主任），将印在发文字号右侧。"),
    )

    def __init__(self, *args, signers, **kwargs):
        super().__init__(*args, **kwargs)
        self._users = {str(m.user_id): m.user for m in signers}
        self.fields["signed_off_by"].choices = [
            (str(m.user_id), f"{m.user.full_name}（{m.title or m.get_role_display()}）") for m in signers
        ]
        if signers:
            self.fields["signed_off_by"].initial = str(signers[0].user_id)

    def clean_signed_off_by(self):
        return self._users[self.cleaned_data["signed_off_by"]]
