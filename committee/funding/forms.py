from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.funding.models import BudgetLine, Category, Expenditure, Source


class BudgetLineForm(forms.Form):
    street = forms.ModelChoiceField(queryset=None, label=_("街道"), empty_label=None)
    year = forms.IntegerField(
        label=_("年度"), min_value=2025, max_value=2100, initial=lambda: timezone.localdate().year
    )
    category = forms.ChoiceField(label=_("经费类别"), choices=Category.choices)
    source = forms.ChoiceField(label=_("经费来源"), choices=Source.choices)
    amount = BudgetLine._meta.get_field("amount").formfield()
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets


class ExpenditureForm(forms.Form):
    spent_on = forms.DateField(
        label=_("支出日期"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = Expenditure._meta.get_field("amount").formfield()
    purpose = forms.CharField(label=_("用途"), max_length=200)
    voucher_no = forms.CharField(label=_("凭证号"), max_length=50, required=False)
