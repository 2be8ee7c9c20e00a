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
