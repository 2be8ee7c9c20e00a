from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from committee.models import Street
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, streets_where
from committee.public import TOO_MANY_MESSAGE, too_many
from committee.roles import Capability
from livelihood_votes.council import forms, selectors, services
from livelihood_votes.council.models import CouncilMember, CouncilNotice, MemberState, Objection


def _street_choice(request, streets) -> Street:
    wanted = request.GET.get("street", "")
    return next((s for s in streets if str(s.pk) == wanted), streets[0])


def council_page(request):
    """The council's page: its composition by category, the members serving with their terms, the trainings."""
    streets = streets_where(request.user, Capability.VIEW_COUNCIL)
    street = _street_choice(request, streets)
    today = timezone.localdate()
    members = selectors.serving(street, today).order_by("category", "full_name", "pk")
    return render(
        request,
        "council/council_page.html",
        {
            "streets": streets,
            "street": street,
            "council": street.council,
            "composition": selectors.composition(street, today),
            "page": paginate(request, members),
            "trainings": selectors.trainings(street)[:10],
            "can_manage": request.user.has_capability(Capability.MANAGE_COUNCIL, street),
        },
    )


def member_list(request):
    streets = streets_where(request.user, Capability.VIEW_COUNCIL)
    members = selectors.members_for(request.user, streets)
    query = request.GET.get("q", "").strip()
    if query:
        members = members.filter(
            Q(full_name__contains=query) | Q(address__contains=query) | Q(tracking_code=query.upper())
        )
    state = request.GET.get("state", "")
    if state in MemberState.values:
        members = members.filter(state=state)
    street_id = request.GET.get("street", "")
    if street_id.isdigit():
        members = members.filter(street_id=int(street_id))
    return render(
        request,
        "council/member_list.html",
        {
            "page": paginate(request, members.order_by("street", "state", "full_name", "pk")),
            "streets": streets,
            "states": MemberState.choices,
            "query": query,
            "can_manage": any(request.user.has_capability(Capability.MANAGE_COUNCIL, s) for s in streets),
        },
    )


def _member(request, pk, capability=Capability.VIEW_COUNCIL) -> CouncilMember:
    member = get_for_user(
        CouncilMember.objects.select_related("street__council", "notice__document", "user"),
        request.user,
        capability,
        pk=pk,
    )
    if member.state not in (MemberState.APPOINTED, MemberState.ENDED) and not selectors.selecting_street_ids(
        request.user, [member.street]
    ):
        raise Http404  # applications are the committee's and the party committee's own
    return member


def member_detail(request, pk):
    member = _member(request, pk)
    user, street = request.user, member.street
    return render(
        request,
        "council/member_detail.html",
        {
            "member": member,
            "objections": member.objections.select_related("recorded_by", "handled_by"),
            "trainings": member.trainings.all(),
            "can_manage": user.has_capability(Capability.MANAGE_COUNCIL, street),
            "can_confirm": user.has_capability(Capability.CONFIRM_COUNCIL, street),
            "States": MemberState,
        },
    )


@require_http_methods(["GET", "POST"])
def member_add(request):
    streets = streets_where(request.user, Capability.MANAGE_COUNCIL)
    form = forms.RecommendationForm(request.POST or None, streets=Street.objects.filter(pk__in=[s.pk for s in streets]))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.recommendation_enter(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已登记 %(name)s 的推荐，待初审。") % {"name": member.full_name})
            return redirect(member)
    return render(request, "council/form.html", {"form": form, "title": _("登记推荐人选")})


# Each step of the way in is a confirmed action: GET shows what it does, POST does it.
ACTIONS = {
    "review": (
        forms.ReviewForm,
        Capability.MANAGE_COUNCIL,
        gettext_lazy("初审"),
        gettext_lazy("确认初审结果？通过的人选将列入下一次公示。"),
        lambda by, member, data: services.application_review(by=by, member=member, **data),
    ),
    "objection": (
        forms.ObjectionForm,
        Capability.MANAGE_COUNCIL,
        gettext_lazy("登记公示异议"),
        gettext_lazy("确认登记这条异议？异议处理前党工委不能确认此人。"),
        lambda by, member, data: services.objection_record(by=by, member=member, **data),
    ),
    "confirm": (
        forms.ConfirmForm,
        Capability.CONFIRM_COUNCIL,
        gettext_lazy("党工委确认"),
        gettext_lazy("确认此人经公示无异议（或异议不成立），同意聘任为居民议事会成员？"),
        lambda by, member, data: services.member_confirm(by=by, member=member),
    ),
    "appoint": (
        forms.AppointForm,
        Capability.MANAGE_COUNCIL,
        gettext_lazy("聘任"),
        gettext_lazy("确认聘任？此人将在任期内获得“居民议事员”角色，计入议事会会议的应到人数。"),
        lambda by, member, data: services.member_appoint(by=by, member=member, **data),
    ),
    "end": (
        forms.EndForm,
        Capability.MANAGE_COUNCIL,
        gettext_lazy("离任"),
        gettext_lazy("确认此人离任？其“居民议事员”角色将于离任日期结束。"),
        lambda by, member, data: services.member_end(by=by, member=member, **data),
    ),
}


@require_http_methods(["GET", "POST"])
def member_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    form_class, capability, title, question, perform = ACTIONS[action]
    member = _member(request, pk)
    if not request.user.has_capability(capability, member.street):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None  # the confirmation alone posts no fields
    form = form_class(data, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            perform(request.user, member, form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": title})
            return redirect(member)
    return render(
        request, "council/action.html", {"member": member, "form": form, "title": title, "question": question}
    )


@require_http_methods(["GET", "POST"])
def objection_handle(request, pk):
    objection = get_for_user(
        Objection.objects.select_related("member__street"), request.user, Capability.MANAGE_COUNCIL, pk=pk
    )
    form = forms.ObjectionHandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_handle(by=request.user, objection=objection, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已记录异议的处理结果。"))
            return redirect(objection.member)
    return render(
        request,
        "council/action.html",
        {
            "member": objection.member,
            "objection": objection,
            "form": form,
            "title": _("处理公示异议"),
            "question": _("确认记录处理结果？异议成立的，此人不予确认。"),
        },
    )


@require_http_methods(["GET", "POST"])
def notice_publish(request):
    """Confirm, then put everyone who passed the first review on public notice (and issue its PDF)."""
    streets = streets_where(request.user, Capability.MANAGE_COUNCIL)
    street = _street_choice(request, streets)
    waiting = CouncilMember.objects.filter(street=street, state=MemberState.PASSED).order_by("category", "full_name")
    if request.method == "POST":
        try:
            notice = services.notice_publish(by=request.user, street=street)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已发布公示，公示期至%(d)s。") % {"d": f"{notice.ends_on:%Y年%-m月%-d日}"})
            return redirect("council:list")
    return render(
        request,
        "council/notice_publish.html",
        {
            "streets": streets,
            "street": street,
            "waiting": waiting,
            "ends_on": services.notice_ends_on(timezone.localdate()),
            "notices": CouncilNotice.objects.filter(street=street).select_related("document")[:5],
        },
    )


@require_http_methods(["GET", "POST"])
def training_add(request):
    streets = streets_where(request.user, Capability.MANAGE_COUNCIL)
    form = forms.TrainingForm(request.POST or None, streets=Street.objects.filter(pk__in=[s.pk for s in streets]))
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_record(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已记录培训“%(topic)s”。") % {"topic": training.topic})
            return redirect(f"{redirect('council:page').url}?street={training.street_id}")
    return render(request, "council/form.html", {"form": form, "title": _("记录议事会成员培训"), "searchable": True})


# --- Public pages (no login) ---------------------------------------------------------------------------------
@login_not_required
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    street = get_object_or_404(Street.objects.select_related("council"), slug=slug)
    form = forms.ApplicationForm(request.POST or None)
    if request.method == "POST":
        if too_many(request, "council-apply"):
            form.is_valid()
            form.add_error(None, TOO_MANY_MESSAGE)
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "started")}
            try:
                member = services.application_submit(street=street, **data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                return redirect("council:track", code=member.tracking_code)
    return render(request, "council/apply.html", {"form": form, "street": street})


@login_not_required
def track(request, code):
    member = get_object_or_404(CouncilMember.objects.select_related("street__council", "notice"), tracking_code=code)
    return render(request, "council/track.html", {"member": member})


@login_not_required
def public_notice(request, slug):
    """The 公示: everyone of the street now on notice, with the date the notice ends."""
    street = get_object_or_404(Street.objects.select_related("council", "committee"), slug=slug)
    members = (
        CouncilMember.objects.filter(
            street=street, state=MemberState.ON_NOTICE, notice__ends_on__gte=timezone.localdate()
        )
        .select_related("notice")
        .order_by("notice__ends_on", "category", "full_name")
    )
    return render(request, "council/public_notice.html", {"street": street, "members": members})
