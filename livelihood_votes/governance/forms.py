from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committee.public import PublicForm
from supervision.forms import CATEGORIES
from supervision.models import Rating


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """One input, several photos (a phone's gallery or camera); the service checks each one by content."""

    widget = PhotosInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(PhotosField, self).clean(upload, initial) for upload in files]


class SnapshotForm(PublicForm):
    """随手拍: what a resident (or a deputy on their phone) sends from the street's public page."""

    photos = PhotosField(
        label=_("照片"),
        widget=PhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),  # camera or gallery
        help_text=_("可选多张，JPG、PNG 或 WebP；照片中的定位等信息会被去除。"),
    )
    place = forms.CharField(
        label=_("地点"), max_length=200, required=False, help_text=_("如“东风路与建设路交叉口”；也可点“使用我的位置”。")
    )
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择")), *((c, c) for c in CATEGORIES)])
    description = forms.CharField(label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("姓名（可选）"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话（可选）"), max_length=20, required=False, help_text=_("仅办理人员可见，便于回访。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # Shown by static/js/snapshot-location.js when the browser can locate the phone; the typed place otherwise.
        locate = format_html(
            '<button type="button" class="btn btn-outline-secondary btn-sm mb-1 d-none" id="use-location" '
            'data-status="#location-status">{}</button><p class="small text-muted" id="location-status" '
            'aria-live="polite"></p>',
            gettext("使用我的位置"),
        )
        self.helper.layout = Layout(
            "photos",
            "place",
            HTML(locate),
            "latitude",
            "longitude",
            "category",
            "description",
            "name",
            "phone",
            "started",
            Div("website", css_class="visually-hidden", aria_hidden="true"),
        )


class HotlineReportForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("反映代表"), queryset=None)
    ticket_number = forms.CharField(label=_("12345工单号"), max_length=40)
    reported_on = forms.DateField(
        label=_("反映日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    content = forms.CharField(label=_("反映内容"), widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("地点"), max_length=200)
    complex = forms.BooleanField(label=_("复杂诉求（办理期限 10 个工作日）"), required=False)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        self.fields["reported_on"].initial = timezone.localdate()
        if deputies.count() == 1:
            self.fields["deputy"].initial = deputies.first()
            self.fields["deputy"].widget = forms.HiddenInput()


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("12345办理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome_on = forms.DateField(
        label=_("结果日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class HotlineRatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对12345办理结果的评价"), choices=Rating.choices, widget=forms.RadioSelect)
