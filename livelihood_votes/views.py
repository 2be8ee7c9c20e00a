"""Pages of the five lists. Reads go through `for_user` / `get_for_user` (another street's round is 404); writes
through `livelihood_votes.services`. The public pages (candidate list, passed list, the candidate form, a
project's progress) need no login and show no phone numbers."""

import logging
from urllib.parse import quote

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committee import public
from committee.ballots.rules import Status
from committee.documents.rendering import qr_data_uri
from committee.documents.selectors import documents_for
from committee.models import Street
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, require, streets_where
from committee.roles import Capability
from livelihood_votes import forms, micro, services
from livelihood_votes.models import (
    Candidate,
    CheckPhoto,
    Decision,
    EvaluationGrade,
    LivelihoodProject,
    LivelihoodRound,
    Milestone,
    ProgressReport,
    ProjectKind,
    ProjectState,
    Rectification,
    SupervisionCheck,
)
from livelihood_votes.selectors import without_progress

logger = logging.getLogger(__name__)
VIEW, PROPOSE, MANAGE = Capability.VIEW_LIVELIHOOD, Capability.PROPOSE_LIVELIHOOD, Capability.MANAGE_LIVELIHOOD


def _form_page(request, form, title, back, intro=""):
    return render(request, "livelihood_votes/form.html", {"form": form, "title": title, "back": back, "intro": intro})


def _call(form, call):
    """Run a service call; a refusal becomes a form error (nothing saved, what was typed stays)."""
    try:
        return call()
    except ValidationError as error:
        add_validation_error(form, error)
        return None


def _submit(request, form, call):
    """The service's result when the form was posted, is valid and the service accepted it; else None."""
    if request.method == "POST" and form.is_valid():
        return _call(form, call)
    return None


def _round(request, pk, capability=VIEW):
    return get_for_user(LivelihoodRound.objects.select_related("street__committee"), request.user, capability, pk=pk)


def _project(request, pk):
    """A project for its readers and for the people of its unit (who hold no reading capability)."""
    project = get_object_or_404(
        LivelihoodProject.objects.for_user(request.user).select_related("street", "round", "unit", "candidate"), pk=pk
    )
    if not (request.user.has_capability(VIEW, project.street) or services.is_unit_member(request.user, project)):
        raise PermissionDenied
    return project


# --- Rounds (征集单 and the overview of the five lists) ------------------------------------------------------
def round_list(request):
    streets = streets_where(request.user, VIEW)
    rows = (
        LivelihoodRound.objects.for_user(request.user)
        .filter(street__in=streets)
        .select_related("street")
        .annotate(
            candidate_count=Count("candidates", distinct=True),
            project_count=Count("projects", distinct=True),
        )
        .order_by("-year", "street")
    )
    return render(
        request,
        "livelihood_votes/round_list.html",
        {"page": paginate(request, rows), "can_manage": any(request.user.has_capability(MANAGE, s) for s in streets)},
    )


@require_http_methods(["GET", "POST"])
def round_add(request):
    streets = streets_where(request.user, MANAGE)
    form = forms.RoundForm(request.POST or None, streets=Street.objects.filter(pk__in=[s.pk for s in streets]))
    if request.method == "POST" and form.is_valid():
        round_ = _call(form, lambda: services.round_create(by=request.user, **form.cleaned_data))
        if round_:
            messages.success(request, _("已发起民生实事征集。请把公开征集页的二维码张贴到各社区。"))
            return redirect(round_)
    return _form_page(request, form, _("发起民生实事项目征集"), reverse("livelihood_votes:round_list"))


def round_detail(request, pk):
    round_ = _round(request, pk)
    can_manage = request.user.has_capability(MANAGE, round_.street)
    # One query: candidates by decision, and whether a tie at the last place waits for its run-off.
    by_status = round_.candidates.values_list("decision", "vote_status").annotate(n=Count("pk")).order_by()
    counts, runoff_pending = {}, False
    for decision, status, n in by_status:
        counts[decision] = counts.get(decision, 0) + n
        runoff_pending = runoff_pending or status == Status.RUNOFF
    projects = list(
        round_.projects.select_related("unit")
        .prefetch_related(Prefetch("grades", queryset=EvaluationGrade.objects.order_by("pk")))
        .order_by("rank", "pk")
    )
    evaluations = list(round_.evaluations.select_related("ballot", "meeting").order_by("pk"))
    public_url = request.build_absolute_uri(reverse("livelihood_votes:public_propose", args=[round_.token]))
    return render(
        request,
        "livelihood_votes/round_detail.html",
        {
            "round": round_,
            "counts": {d: counts.get(d, 0) for d in Decision.values},
            "total": sum(counts.values()),
            "projects": projects,
            "evaluations": evaluations,
            "can_manage": can_manage,
            "can_propose": request.user.has_capability(PROPOSE, round_.street)
            and round_.candidates_published_on is None,
            "public_url": public_url,
            "qr": qr_data_uri(public_url) if round_.candidates_published_on is None else "",
            "can_evaluate": can_manage and round_.vote_ballot_id and services.evaluable(round_).exists(),
            "runoff_pending": runoff_pending,
        },
    )


@require_POST
def round_publish(request, pk):
    round_ = _round(request, pk, MANAGE)
    try:
        services.candidates_publish(by=request.user, round=round_)
        messages.success(request, _("候选项目清单已公布。"))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect(round_)


@require_http_methods(["GET", "POST"])
def round_vote(request, pk):
    round_ = _round(request, pk, MANAGE)
    if round_.vote_ballot_id:
        return redirect("ballots:detail", round_.vote_ballot_id)
    form = forms.MeetingForm(request.POST or None, street=round_.street)
    if request.method == "POST" and form.is_valid():
        ballot = _call(form, lambda: services.vote_create(by=request.user, round=round_, **form.cleaned_data))
        if ballot:
            messages.success(request, _("已生成票决，请在会议上开始投票。"))
            return redirect(ballot)
    intro = _(
        "第六条第二款：在居民议事会会议上票决街道民生实事。投票人为本街道的人大代表和居民议事员（会议当日在任），可用手机或纸质选票投票。"
    )
    return _form_page(request, form, _("发起票决：%(t)s") % {"t": round_.title}, round_.get_absolute_url(), intro)


@require_http_methods(["GET", "POST"])
def round_runoff(request, pk):
    round_ = _round(request, pk, MANAGE)
    if round_.runoff_ballot_id:
        return redirect("ballots:detail", round_.runoff_ballot_id)
    form = forms.MeetingForm(request.POST or None, street=round_.street)
    if request.method == "POST" and form.is_valid():
        ballot = _call(form, lambda: services.runoff_create(by=request.user, round=round_, **form.cleaned_data))
        if ballot:
            messages.success(request, _("已生成另行票决，请在会议上开始投票。"))
            return redirect(ballot)
    intro = _(
        "末位赞成票数相同的项目超出名额：对并列项目另行票决，确定剩余名额。投票人、规则与票决相同；结果计入本轮，入选项目排在票决入选项目之后。"
    )
    return _form_page(request, form, _("另行票决：%(t)s") % {"t": round_.title}, round_.get_absolute_url(), intro)


@require_http_methods(["GET", "POST"])
def round_evaluate(request, pk):
    round_ = _round(request, pk, MANAGE)
    form = forms.EvaluationForm(request.POST or None, street=round_.street, projects=services.evaluable(round_))
    if request.method == "POST" and form.is_valid():
        evaluation = _call(form, lambda: services.evaluation_create(by=request.user, round=round_, **form.cleaned_data))
        if evaluation:
            messages.success(request, _("已生成满意度测评，请在会议上开始投票。"))
            return redirect(evaluation.ballot)
    intro = _(
        "测评在票决之后的居民议事会会议上进行：满意票过半为满意，满意与基本满意票合计过半为基本满意，否则为不满意（须整改后再次测评）。"
    )
    return _form_page(request, form, _("满意度测评：%(t)s") % {"t": round_.title}, round_.get_absolute_url(), intro)


# --- Candidates ------------------------------------------------------------------------------------------------
def candidate_list(request, pk):
    round_ = _round(request, pk)
    rows = round_.candidates.select_related("merged_into").order_by("created_at", "pk")
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(title__contains=query) | Q(description__contains=query) | Q(proposer_name__contains=query))
    decision = request.GET.get("decision", "")
    if decision in Decision.values:
        rows = rows.filter(decision=decision)
    return render(
        request,
        "livelihood_votes/candidate_list.html",
        {
            "round": round_,
            "page": paginate(request, rows),
            "query": query,
            "decisions": Decision.choices,
            "can_manage": request.user.has_capability(MANAGE, round_.street),
        },
    )


@require_http_methods(["GET", "POST"])
def candidate_add(request, pk):
    round_ = _round(request, pk, PROPOSE)
    manager = request.user.has_capability(MANAGE, round_.street)
    form = forms.CandidateForm(request.POST or None, manager=manager)
    if request.method == "POST" and form.is_valid():
        candidate = _call(form, lambda: services.candidate_submit(by=request.user, round=round_, **form.cleaned_data))
        if candidate:
            messages.success(request, _("已提出候选项目：%(t)s") % {"t": candidate.title})
            return redirect("livelihood_votes:candidate_list", round_.pk)
    return _form_page(request, form, _("提出民生实事候选项目"), round_.get_absolute_url())


def _candidate(request, pk, capability=VIEW):
    return get_for_user(
        Candidate.objects.select_related("round", "street", "merged_into"), request.user, capability, pk=pk
    )


@require_http_methods(["GET", "POST"])
def candidate_detail(request, pk):
    """A candidate; managers screen it (accept, or reject with a reason) or merge it into a duplicate."""
    candidate = _candidate(request, pk)
    can_manage = request.user.has_capability(MANAGE, candidate.street)
    open_ = can_manage and candidate.round.candidates_published_on is None
    screen = forms.ScreenForm(
        request.POST if "screen" in request.POST else None,
        initial={"decision": candidate.decision, "reason": candidate.reason},
    )
    merge = forms.MergeForm(request.POST if "merge" in request.POST else None, candidate=candidate)
    if request.method == "POST":
        require(request.user, MANAGE, candidate.street)
        if "screen" in request.POST and screen.is_valid():
            if _call(
                screen, lambda: services.candidate_screen(by=request.user, candidate=candidate, **screen.cleaned_data)
            ):
                messages.success(request, _("已筛选：%(t)s") % {"t": candidate.title})
                return redirect("livelihood_votes:candidate_list", candidate.round_id)
        elif (
            "merge" in request.POST
            and merge.is_valid()
            and _call(
                merge, lambda: services.candidate_merge(by=request.user, candidate=candidate, **merge.cleaned_data)
            )
        ):
            messages.success(request, _("已合并重复项目。"))
            return redirect("livelihood_votes:candidate_list", candidate.round_id)
    return render(
        request,
        "livelihood_votes/candidate_detail.html",
        {
            "candidate": candidate,
            "screen": screen,
            "merge": merge,
            "can_screen": open_,
            "merged": candidate.merged.order_by("pk"),
        },
    )


# --- Projects (交办单, 督办单) -------------------------------------------------------------------------------------
def project_list(request):
    streets = streets_where(request.user, VIEW)
    rows = (
        LivelihoodProject.objects.for_user(request.user)
        .filter(street__in=streets)
        .select_related("street", "round", "unit")
        .annotate(last_percent=Max("progress_reports__percent"))
        .order_by("-round__year", "street", "rank", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(title__contains=query) | Q(unit__name__contains=query))
    state = request.GET.get("state", "")
    if state in ProjectState.values:
        rows = rows.filter(state=state)
    kind = request.GET.get("kind", "")
    if kind in ProjectKind.values:
        rows = rows.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(Q(round__year=int(year)) | Q(proposed_on__year=int(year)))
    if request.GET.get("unreported"):
        rows = without_progress(rows)
    return render(
        request,
        "livelihood_votes/project_list.html",
        {
            "page": paginate(request, rows),
            "query": query,
            "states": ProjectState.choices,
            "kinds": ProjectKind.choices,
            "micro_streets": streets if kind == ProjectKind.MICRO else [],
        },
    )


def project_detail(request, pk):
    project = _project(request, pk)
    user = request.user
    can_manage = user.has_capability(MANAGE, project.street)
    is_unit = services.is_unit_member(user, project)
    supervisors = list(project.supervisors.order_by("full_name"))
    checks = list(
        SupervisionCheck.objects.filter(project=project).select_related("checked_by").prefetch_related("photos")[:50]
    )
    grades = list(
        EvaluationGrade.objects.filter(project=project)
        .select_related("evaluation__ballot", "evaluation__meeting", "rectification")
        .order_by("pk")
    )
    month = timezone.localdate().replace(day=1)
    reports = list(ProgressReport.objects.filter(project=project).select_related("reported_by")[:24])
    under_way = project.state in (ProjectState.ASSIGNED, ProjectState.RECTIFYING)
    return render(
        request,
        "livelihood_votes/project_detail.html",
        {
            "project": project,
            "milestones": list(project.milestones.select_related("follow_up_document")),
            "reports": reports,
            "reported_this_month": any(r.month == month for r in reports),
            "checks": checks,
            "supervisors": supervisors,
            "grades": grades,
            "documents": documents_for(project).select_related("street"),
            "can_manage": can_manage,
            "can_report": (is_unit or can_manage) and under_way,
            "can_check": under_way and any(s.pk == user.pk for s in supervisors),
            "today": timezone.localdate(),
            **_micro_context(project, user, can_manage),
        },
    )


def _micro_context(project, user, can_manage) -> dict:
    if not project.is_micro:
        return {}
    proposed = project.state == ProjectState.PROPOSED
    return {
        "approve_form": forms.MicroApproveForm() if can_manage and proposed else None,
        "decline_form": forms.MicroDeclineForm() if can_manage and proposed else None,
        "can_finish": can_manage and project.state == ProjectState.ASSIGNED,
        "rating_link": reverse("livelihood_votes:public_micro_rate", args=[micro.rating_code(project)])
        if project.proposed_by_id == user.pk or can_manage
        else "",
    }


@require_http_methods(["GET", "POST"])
def project_assign(request, pk):
    project = _project(request, pk)
    require(request.user, MANAGE, project.street)
    if project.state != ProjectState.PASSED:
        messages.info(request, _("该项目已交办。"))
        return redirect(project)
    form = forms.AssignForm(
        request.POST or None,
        street=project.street,
        people=services.voters(project.street, timezone.localdate()),
        initial={"budget": project.budget, "plan": project.description}
        if project.is_micro
        else {"budget": project.candidate.estimated_budget, "plan": project.candidate.description},
    )
    if _submit(request, form, lambda: services.project_assign(by=request.user, project=project, **form.cleaned_data)):
        messages.success(request, _("已交办，交办函正在生成。"))
        return redirect(project)
    return _form_page(request, form, _("交办：%(t)s") % {"t": project.title}, project.get_absolute_url())


@require_http_methods(["GET", "POST"])
def project_progress(request, pk):
    project = _project(request, pk)
    services.check_unit(request.user, project)
    form = forms.ProgressForm(request.POST or None)
    if _submit(request, form, lambda: services.progress_report(by=request.user, project=project, **form.cleaned_data)):
        messages.success(request, _("已报送本月进展。"))
        return redirect(project)
    return _form_page(request, form, _("报送月度进展：%(t)s") % {"t": project.title}, project.get_absolute_url())


@require_http_methods(["GET", "POST"])
def project_check(request, pk):
    project = _project(request, pk)
    services.check_supervisor(request.user, project)
    form = forms.CheckForm(request.POST or None, request.FILES or None, owner=request.user)
    if _submit(
        request, form, lambda: services.supervision_check_add(by=request.user, project=project, **form.cleaned_data)
    ):
        form.release_files()
        messages.success(request, _("已记录督查情况。"))
        return redirect(project)
    return _form_page(request, form, _("现场督查：%(t)s") % {"t": project.title}, project.get_absolute_url())


@require_http_methods(["GET", "POST"])
def milestone_done(request, pk):
    milestone = get_object_or_404(Milestone.objects.for_user(request.user), pk=pk)
    project = _project(request, milestone.project_id)
    services.check_unit(request.user, project)
    form = forms.MilestoneDoneForm(request.POST or None)
    if _submit(
        request, form, lambda: services.milestone_done(by=request.user, milestone=milestone, **form.cleaned_data)
    ):
        messages.success(request, _("节点已完成：%(t)s") % {"t": milestone.title})
        return redirect(project)
    return _form_page(request, form, _("节点完成：%(t)s") % {"t": milestone.title}, project.get_absolute_url())


@require_POST
def milestone_follow_up(request, pk):
    milestone = get_object_or_404(Milestone.objects.for_user(request.user), pk=pk)
    project = _project(request, milestone.project_id)
    require(request.user, MANAGE, project.street)
    try:
        document = services.milestone_follow_up(by=request.user, milestone=milestone)
        messages.success(request, _("已发督办函 %(n)s。") % {"n": document.number})
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect(project)


@require_http_methods(["GET", "POST"])
def rectification_add(request, pk):
    grade = get_object_or_404(EvaluationGrade.objects.for_user(request.user).select_related("project"), pk=pk)
    project = _project(request, grade.project_id)
    require(request.user, MANAGE, project.street)
    form = forms.RectificationForm(request.POST or None)
    if _submit(request, form, lambda: services.rectification_set(by=request.user, grade=grade, **form.cleaned_data)):
        messages.success(request, _("已提出整改要求，并通知承办单位。"))
        return redirect(project)
    return _form_page(
        request, form, _("测评不满意，提出整改：%(t)s") % {"t": project.title}, project.get_absolute_url()
    )


@require_http_methods(["GET", "POST"])
def rectification_done(request, pk):
    rectification = get_object_or_404(Rectification.objects.for_user(request.user), pk=pk)
    project = _project(request, rectification.project_id)
    services.check_unit(request.user, project)
    form = forms.RectificationDoneForm(request.POST or None)
    done = lambda: services.rectification_done(by=request.user, rectification=rectification, **form.cleaned_data)  # noqa: E731
    if _submit(request, form, done):
        messages.success(request, _("整改已完成，可再次测评。"))
        return redirect(project)
    return _form_page(request, form, _("整改完成：%(t)s") % {"t": project.title}, project.get_absolute_url())


def photo(request, pk):
    """Check photos are served only here, to those who may open the project."""
    item = get_object_or_404(CheckPhoto.objects.for_user(request.user).select_related("check_record"), pk=pk)
    _project(request, item.check_record.project_id)
    try:
        stream = item.file.open("rb")
    except FileNotFoundError:
        logger.error("check photo %s: file %s is missing", item.pk, item.file.name)
        raise Http404 from None
    response = FileResponse(stream)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(item.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public pages (no login) -------------------------------------------------------------------------------
@login_not_required
def public_round(request, token):
    """The published candidate list and, after the vote, the passed list."""
    round_ = get_object_or_404(LivelihoodRound.objects.select_related("street"), token=token)
    candidates = (
        round_.candidates.filter(decision=Decision.ACCEPTED).order_by("created_at", "pk")
        if round_.candidates_published_on
        else Candidate.objects.none()
    )
    projects = (
        round_.projects.select_related("unit")
        .annotate(last_percent=Max("progress_reports__percent"))
        .order_by("rank", "pk")
    )
    return render(
        request,
        "livelihood_votes/public_round.html",
        {"round": round_, "page": paginate(request, candidates), "projects": projects, "today": timezone.localdate()},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def public_propose(request, token):
    """The candidate form behind the QR code posted in the communities: refuses bots and floods (committee.public)."""
    round_ = get_object_or_404(LivelihoodRound.objects.select_related("street"), token=token)
    form = forms.PublicCandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if public.too_many(request, "livelihood-candidate"):
            form.add_error(None, public.TOO_MANY_MESSAGE)
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "started")}
            if _call(form, lambda: services.candidate_submit(round=round_, **data)):
                return render(request, "livelihood_votes/public_thanks.html", {"round": round_})
    return render(
        request,
        "livelihood_votes/public_propose.html",
        {"round": round_, "form": form, "open": round_.is_collecting()},
    )


@login_not_required
def public_project(request, token):
    """A project's progress for anyone: unit, deadline, milestones, monthly progress, checks and grades."""
    project = get_object_or_404(LivelihoodProject.objects.select_related("street", "round", "unit"), token=token)
    return render(
        request,
        "livelihood_votes/public_project.html",
        {
            "project": project,
            "milestones": list(project.milestones.all()),
            "reports": list(project.progress_reports.all()[:24]),
            "check_count": project.checks.count(),
            "grades": list(project.grades.select_related("evaluation__meeting").order_by("pk")),
            "today": timezone.localdate(),
        },
    )


# --- 民生微实事 (livelihood_votes.micro) -----------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def micro_add(request):
    """A deputy, a council member or staff propose a micro project (staff for a community or anyone)."""
    street = streets_where(request.user, PROPOSE)[0]
    manage = request.user.has_capability(MANAGE, street)
    form = forms.MicroForm(request.POST or None, manage=manage)
    project = _submit(request, form, lambda: micro.micro_propose(street=street, by=request.user, **form.cleaned_data))
    if project:
        messages.success(request, _("已提出，待人大街道工委评估。"))
        return redirect(project)
    return _form_page(request, form, _("提出民生微实事"), reverse("livelihood_votes:project_list") + "?kind=micro")


def _micro_write(request, pk, form_class, call, done):
    project = _project(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(project, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(project)


@require_POST
def micro_approve(request, pk):
    return _micro_write(
        request,
        pk,
        forms.MicroApproveForm,
        lambda project, data: micro.micro_approve(by=request.user, project=project, budget=data["budget"]),
        _("已立项，请交办承办单位。"),
    )


@require_POST
def micro_decline(request, pk):
    return _micro_write(
        request,
        pk,
        forms.MicroDeclineForm,
        lambda project, data: micro.micro_decline(by=request.user, project=project, reason=data["reason"]),
        _("已决定不予立项。"),
    )


@require_POST
def micro_finish(request, pk):
    return _micro_write(
        request,
        pk,
        django_forms.Form,
        lambda project, data: micro.micro_finish(by=request.user, project=project),
        _("已办结，提出人可以评价了。"),
    )


def _public_street(slug):
    return get_object_or_404(Street, slug=slug)


@login_not_required
def public_micro_list(request, slug):
    """A street's micro projects with their state, for anyone (never the proposer's phone; declined ones absent)."""
    street = _public_street(slug)
    rows = (
        LivelihoodProject.objects.filter(street=street, kind=ProjectKind.MICRO)
        .exclude(state=ProjectState.DECLINED)
        .select_related("unit")
        .annotate(last_percent=Max("progress_reports__percent"))
        .order_by("-proposed_on", "-pk")
    )
    return render(
        request, "livelihood_votes/public_micro_list.html", {"street": street, "page": paginate(request, rows)}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def public_micro_propose(request, slug):
    """The micro project form behind the street's QR code: refuses bots and floods (committee.public)."""
    street = _public_street(slug)
    form = forms.PublicMicroForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if public.too_many(request, "livelihood-micro"):
            form.add_error(None, public.TOO_MANY_MESSAGE)
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "started")}
            project = _call(form, lambda: micro.micro_propose(street=street, **data))
            if project:
                link = request.build_absolute_uri(
                    reverse("livelihood_votes:public_micro_rate", args=[micro.rating_code(project)])
                )
                return render(
                    request,
                    "livelihood_votes/public_micro_thanks.html",
                    {"street": street, "project": project, "link": link},
                )
    return render(request, "livelihood_votes/public_micro_propose.html", {"street": street, "form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def public_micro_rate(request, code):
    """The proposer's tracking link: the project's state, and once it is finished, a rating (once)."""
    project = micro.project_for_code(code)
    if project is None:
        raise Http404
    form = forms.MicroRateForm(request.POST or None)
    if _submit(request, form, lambda: micro.micro_rate(project=project, **form.cleaned_data)):
        messages.success(request, _("感谢您的评价！"))
        return redirect(request.path)
    return render(request, "livelihood_votes/public_micro_rate.html", {"project": project, "form": form})
