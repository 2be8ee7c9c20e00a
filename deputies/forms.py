from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from committee.public import PublicForm
from deputies.models import STARTING_EVENTS, Constituency, EventKind, Level, Rating

DATE = forms.DateInput(attrs={"type": "date"})


def _street_field(form, streets):
    form.fields["street"].queryset = streets
    if len(streets) == 1:
        form.fields["street"].initial = streets[0]
        form.fields["street"].widget = forms.HiddenInput()


class RosterFilterForm(forms.Form):
    q = forms.CharField(required=False)


class DeputyFields(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    level = forms.ChoiceField(label=_("代表层级"), choices=Level.choices, initial=Level.MUNICIPAL)
    constituency = forms.ModelChoiceField(label=_("选区"), queryset=Constituency.objects.none(), required=False)
    congress = forms.CharField(label=_("届别"), max_length=60, initial="湘乡市第十八届人民代表大会")
    sector = forms.CharField(label=_("界别/职业"), max_length=60, required=False)
    leader_cadre = forms.BooleanField(label=_("领导干部代表（第十六条第一项）"), required=False)
    reception_days = forms.CharField(label=_("接待日"), max_length=100, required=False)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["constituency"].queryset = Constituency.objects.filter(street__in=streets).select_related("street")


class DeputyAddForm(DeputyFields):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    mobile = forms.CharField(label=_("手机号码"), max_length=11)
    kind = forms.ChoiceField(
        label=_("当选方式"), choices=[(k, EventKind(k).label) for k in STARTING_EVENTS], initial=EventKind.ELECTION
    )
    elected_on = forms.DateField(label=_("当选日期"), widget=DATE)
    votes_for = forms.IntegerField(label=_("得票数"), min_value=0, required=False)
    votes_cast = forms.IntegerField(label=_("投票人数"), min_value=0, required=False)
    document = forms.FileField(label=_("当选文件（公告、决定）"), required=False)

    field_order = ["street", "full_name", "mobile"]

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, streets=streets, **kwargs)
        _street_field(self, streets)


class TermEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项"), choices=EventKind.choices)
    on = forms.DateField(label=_("日期"), widget=DATE)
    congress = forms.CharField(label=_("届别"), max_length=60, required=False, help_text=_("当选、补选时填写。"))
    votes_for = forms.IntegerField(label=_("得票数"), min_value=0, required=False)
    votes_cast = forms.IntegerField(label=_("投票人数"), min_value=0, required=False)
    document = forms.FileField(label=_("文件（公告、决定、辞职书）"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ConstituencyForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    number = forms.IntegerField(label=_("选区编号"), min_value=1, max_value=999)
    name = forms.CharField(label=_("选区名称"), max_length=100)
    communities = forms.CharField(label=_("覆盖社区"), max_length=300, required=False, help_text=_("以顿号分隔。"))
    voters = forms.IntegerField(label=_("选民人数"), min_value=0, required=False)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        _street_field(self, streets)


class ImportForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("代表名册（.xlsx）"), help_text=_("请使用下载的模板；先预览，确认后才写入。"))

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        _street_field(self, streets)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx") or upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("请上传不超过 5 MB 的 .xlsx 文件。"))
        return upload


class ProfileForm(forms.Form):
    photo = forms.ImageField(label=_("照片"), required=False)
    remove_photo = forms.BooleanField(label=_("删除现有照片"), required=False)
    profile = forms.CharField(
        label=_("简介（公开）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reception_days = forms.CharField(label=_("接待日（公开）"), max_length=100, required=False)


class MessageForm(PublicForm):
    """码上找代表: what a resident writes to a deputy."""

    content = forms.CharField(label=_("您想对代表说的话"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, help_text=_("仅代表和工委工作人员可见；答复后短信告知您。")
    )
    photo = forms.ImageField(label=_("照片（可选）"), required=False)

    field_order = ["content", "name", "phone", "photo"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.DEPUTY_MESSAGE_CONTACT_REQUIRED:
            self.fields["name"].required = self.fields["phone"].required = True
        # The honeypot sits at the end, hidden with its label from people (and screen readers); bots still see it.
        self.helper = FormHelper()
        self.helper.form_tag = False
        visible = [name for name in self.fields if name != "website"]
        self.helper.layout = Layout(*visible, Div("website", css_class="visually-hidden", aria_hidden="true"))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 4}))


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对代表答复的评价"), choices=Rating.choices, widget=forms.RadioSelect)
