import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.public import PublicForm
from committee.uploads import KeepFilesForm, KeptFilesField
from livelihood_votes.models import Candidate, Category, Decision, ProposerKind
from meetings.models import Meeting, MeetingKind, MeetingState
from supervision.models import HandlingUnit

DATE = forms.DateInput(attrs={"type": "date"})
PHOTO_SUFFIXES = ("jpg", "jpeg", "png", "heic", "webp")


class RoundForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("名称"), max_length=200, required=False, help_text=_("留空则为“20XX年度街道民生实事项目”。")
    )
    collection_starts = forms.DateField(label=_("征集开始日期"), widget=DATE)
    collection_ends = forms.DateField(label=_("征集截止日期"), widget=DATE)
    places = forms.IntegerField(label=_("拟票决项目数（名额）"), min_value=1, max_value=50, initial=3)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        if len(streets) == 1:
            self.fields["street"].initial = streets[0]
            self.fields["street"].widget = forms.HiddenInput()
        self.fields["year"].initial = timezone.localdate().year


class _CandidateFields(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    description = forms.CharField(label=_("项目内容"), widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("实施地点"), max_length=200, required=False)
    estimated_budget = forms.DecimalField(
        label=_("估算资金（万元）"), max_digits=10, decimal_places=2, min_value=0, required=False
    )
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices, initial=Category.OTHER)


class CandidateForm(_CandidateFields):
    """Staff enter anyone's proposal; a deputy or council member proposes in their own name (no proposer fields)."""

    proposer_kind = forms.ChoiceField(label=_("提出方"), choices=ProposerKind.choices)
    proposer_name = forms.CharField(label=_("提出人或单位"), max_length=100)
    proposer_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        if not manager:
            for name in ("proposer_kind", "proposer_name", "proposer_phone"):
                del self.fields[name]


class PublicCandidateForm(PublicForm, _CandidateFields):
    proposer_name = forms.CharField(label=_("您的姓名"), max_length=100)
    proposer_phone = forms.CharField(label=_("联系电话（选填，仅工作人员可见）"), max_length=20, required=False)


class ScreenForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("筛选结果"), choices=[(Decision.ACCEPTED, _("列入候选")), (Decision.REJECTED, _("不予列入"))]
    )
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("合并至"), queryset=Candidate.objects.none())

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Candidate.objects.filter(round_id=candidate.round_id)
            .exclude(pk=candidate.pk)
            .exclude(decision=Decision.MERGED)
            .order_by("title")
        )


def council_meetings(street):
    return Meeting.objects.filter(street=street, kind=MeetingKind.COUNCIL).exclude(state=MeetingState.CANCELLED)


class MeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("居民议事会会议"), queryset=Meeting.objects.none())

    def __init__(self, *args, street, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = council_meetings(street).order_by("-date")


class EvaluationForm(MeetingForm):
    projects = forms.ModelMultipleChoiceField(label=_("测评项目"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects
        self.fields["projects"].initial = list(projects)


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=HandlingUnit.objects.none())
    plan = forms.CharField(label=_("实施方案"), widget=forms.Textarea(attrs={"rows": 4}))
    budget = forms.DecimalField(
        label=_("预算资金（万元）"), max_digits=10, decimal_places=2, min_value=0, required=False
    )
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)
    milestones = forms.CharField(
        label=_("项目节点"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-03-31 完成设计\n2026-06-30 完成施工"}),
        help_text=_("每行一个：日期 节点名称。"),
    )
    supervisors = forms.ModelMultipleChoiceField(
        label=_("督办人（人大代表、居民议事员）"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"data-searchable": "", "data-placeholder": _("搜索姓名")}),
    )
    featured = forms.BooleanField(label=_("列为特色项目（第十七条第三款）"), required=False)

    def __init__(self, *args, street, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(street=street, active=True).order_by("kind", "name")
        self.fields["supervisors"].queryset = people

    def clean_milestones(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            day, _sep, title = line.partition(" ")
            try:
                due = datetime.date.fromisoformat(day)
            except ValueError:
                raise forms.ValidationError(
                    _("第%(n)d行“%(line)s”：请以日期开头，如 2026-03-31 完成设计。") % {"n": n, "line": line}
                ) from None
            if not title.strip():
                raise forms.ValidationError(_("第%(n)d行：请填写节点名称。") % {"n": n})
            rows.append((title.strip(), due))
        return rows


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    text = forms.CharField(label=_("本月进展情况"), widget=forms.Textarea(attrs={"rows": 4}))


class CheckForm(KeepFilesForm):
    checked_on = forms.DateField(label=_("督查日期"), widget=DATE, initial=timezone.localdate)
    findings = forms.CharField(label=_("督查情况"), widget=forms.Textarea(attrs={"rows": 4}))
    photos = KeptFilesField(label=_("现场照片"), suffixes=PHOTO_SUFFIXES, kinds=_("照片"), max_bytes=10 * 1024 * 1024)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("实际完成日期"), widget=DATE, initial=timezone.localdate)


class RectificationForm(forms.Form):
    requirements = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)


class RectificationDoneForm(forms.Form):
    report = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))


# --- 民生微实事 (livelihood_votes.micro) -----------------------------------------------------------------------
class _MicroFields(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    description = forms.CharField(
        label=_("项目内容"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("如：小区门口增设3个休闲座椅")}),
    )
    place = forms.CharField(label=_("实施地点"), max_length=200, required=False)


class PublicMicroForm(PublicForm, _MicroFields):
    proposer_name = forms.CharField(label=_("您的姓名"), max_length=100)
    proposer_phone = forms.CharField(label=_("联系电话（选填，仅工作人员可见）"), max_length=20, required=False)


class MicroForm(_MicroFields):
    """Staff enter a community's (or anyone's) proposal; a deputy or council member proposes in their own name."""

    proposer_kind = forms.ChoiceField(label=_("提出方"), choices=ProposerKind.choices, required=False)
    proposer_name = forms.CharField(label=_("提出人或单位"), max_length=100, required=False)

    def __init__(self, *args, manage, **kwargs):
        super().__init__(*args, **kwargs)
        if not manage:
            del self.fields["proposer_kind"], self.fields["proposer_name"]
        else:
            self.fields["proposer_kind"].initial = ProposerKind.COMMUNITY


class MicroApproveForm(forms.Form):
    budget = forms.DecimalField(label=_("批准预算（万元）"), max_digits=10, decimal_places=2, min_value=0)


class MicroDeclineForm(forms.Form):
    reason = forms.CharField(label=_("不予立项的理由"), widget=forms.Textarea(attrs={"rows": 2}))


class MicroRateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("您对项目的评价"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("意见（选填）"), max_length=300, required=False)
