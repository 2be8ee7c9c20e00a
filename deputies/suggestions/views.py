"""Pages of deputies' suggestions, leader contacts and consultations on measures. Reads go through the selectors'
visibility (another street's record, another deputy's draft: 404); writes through `deputies.suggestions.services`."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from committee.models import Membership, User
from committee.pages import add_validation_error, paginate
from committee.permissions import require, streets_where
from committee.roles import COMMITTEE_ROLES, Capability, Role
from deputies.suggestions import forms, selectors, services
from deputies.suggestions.models import CoSigner, CoSignerState, MeasureOpinion, SuggestionState
from supervision.models import Reply

DRAFT, VIEW, CONSULT = Capability.DRAFT_SUGGESTIONS, Capability.VIEW_SUGGESTIONS, Capability.CONSULT_SUGGESTIONS
VIEW_LIAISON, MANAGE_LIAISON = Capability.VIEW_DEPUTY_LIAISON, Capability.MANAGE_DEPUTY_LIAISON


def _call(form, call):
    """Run a service call; a refusal becomes a form error (nothing saved, what was typed stays)."""
    try:
        return call()
    except ValidationError as error:
        add_validation_error(form, error)
        return None


def _any(user, *capabilities) -> None:
    if not set(capabilities) & user.capabilities_anywhere():
        raise PermissionDenied


def _text(data) -> dict:
    return {name: data.get(name, "") for name in services.TEXT_FIELDS}


# --- Suggestions ----------------------------------------------------------------------------------------------
@require_GET
def suggestion_list(request):
    """Deputies: their own suggestions and invitations (我的建议); staff, party, city: the street's."""
    _any(request.user, DRAFT, VIEW)
    mine = VIEW not in request.user.capabilities_anywhere() or request.GET.get("mine") == "1"
    rows = selectors.visible_suggestions(request.user)
    if mine:
        invited = CoSigner.objects.filter(deputy=request.user).values("suggestion_id")
        rows = rows.filter(Q(author=request.user) | Q(pk__in=invited))
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(title__contains=query) | Q(problem__contains=query) | Q(author__full_name__contains=query))
    state = request.GET.get("state", "")
    if state in SuggestionState.values:
        rows = rows.filter(state=state)
    rows = selectors.with_list_columns(rows).order_by("-created_at", "-pk")
    return render(
        request,
        "suggestions/list.html",
        {
            "page": paginate(request, rows),
            "mine": mine,
            "query": query,
            "states": SuggestionState.choices,
            "can_draft": DRAFT in request.user.capabilities_anywhere(),
        },
    )


def _draft_street(user):
    return streets_where(user, DRAFT)[0]


@require_http_methods(["GET", "POST"])
def suggestion_add(request):
    street = _draft_street(request.user)
    form = forms.SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        suggestion = _call(
            form, lambda: services.suggestion_create(by=request.user, street=street, **_text(form.cleaned_data))
        )
        if suggestion:
            messages.success(request, _("草稿已保存。可邀请其他代表附议，修改满意后送工委沟通协调。"))
            return redirect(suggestion)
    return render(request, "suggestions/form.html", {"form": form, "title": _("起草代表建议"), "suggestion": None})


def _suggestion(request, pk):
    return get_object_or_404(selectors.visible_suggestions(request.user).select_related("street", "author"), pk=pk)


@require_http_methods(["GET", "POST"])
def suggestion_edit(request, pk):
    suggestion = _suggestion(request, pk)
    if suggestion.author_id != request.user.pk:
        raise PermissionDenied
    if suggestion.state not in services.EDITABLE:
        messages.info(request, _("当前状态为“%(s)s”，不能修改。") % {"s": suggestion.get_state_display()})
        return redirect(suggestion)
    form = forms.SuggestionForm(request.POST or None, instance=suggestion)
    if request.method == "POST" and form.is_valid():
        text = _text(form.cleaned_data)
        suggestion.refresh_from_db()  # the form wrote its values onto the instance; the service compares
        done = _call(form, lambda: services.suggestion_update(by=request.user, suggestion=suggestion, **text))
        if done and request.POST.get("step") == "revise":
            done = _call(form, lambda: services.suggestion_revise(by=request.user, suggestion=done))
        if done:
            messages.success(request, _("已保存。"))
            return redirect(done)
    return render(
        request, "suggestions/form.html", {"form": form, "title": _("修改代表建议"), "suggestion": suggestion}
    )


@require_GET
def suggestion_similar(request):
    """The htmx panel beside the draft: earlier suggestions and cases on the same subject (two queries)."""
    street = _draft_street(request.user)
    exclude = request.GET.get("exclude", "")
    found = selectors.similar(
        user=request.user,
        street=street,
        title=request.GET.get("title", ""),
        problem=request.GET.get("problem", ""),
        exclude=int(exclude) if exclude.isdigit() else None,
    )
    return render(request, "suggestions/_similar.html", found)


@require_GET
def suggestion_detail(request, pk):
    suggestion = _suggestion(request, pk)
    user, street = request.user, suggestion.street
    is_author = suggestion.author_id == user.pk
    can_consult = user.has_capability(CONSULT, street)
    invitations = list(suggestion.cosigners.select_related("deputy"))
    my_invitation = next((c for c in invitations if c.deputy_id == user.pk), None)
    context = {
        "suggestion": suggestion,
        "is_author": is_author,
        "can_consult": can_consult and suggestion.state != SuggestionState.SUBMITTED,
        "confirmed": [c for c in invitations if c.state == CoSignerState.CONFIRMED],
        "invitations": invitations if is_author or can_consult else [],
        "my_invitation": my_invitation if my_invitation and my_invitation.state == CoSignerState.INVITED else None,
        "events": suggestion.events.select_related("by"),
        "note_form": forms.NoteForm(),
        "replies": Reply.objects.filter(opinion_id=suggestion.case_id).order_by("round") if suggestion.case_id else [],
    }
    if is_author and suggestion.state != SuggestionState.SUBMITTED:
        deputies = services.deputies_of(street).exclude(pk=user.pk).exclude(pk__in=[c.deputy_id for c in invitations])
        context["invite_form"] = forms.InviteForm(deputies=deputies)
    if is_author or can_consult:
        context["similar"] = selectors.similar(
            user=suggestion.author,
            street=street,
            title=suggestion.title,
            problem=suggestion.problem,
            exclude=suggestion.pk,
        )
    return render(request, "suggestions/detail.html", context)


ACTIONS = {
    "send": (lambda r, s: services.suggestion_send(by=r.user, suggestion=s), _("已送工委沟通协调。")),
    "submit": (
        lambda r, s: services.suggestion_submit(by=r.user, suggestion=s),
        _("建议已正式提交，进入交办办理。可在本页查看办理进度和答复。"),
    ),
    "revise": (lambda r, s: services.suggestion_revise(by=r.user, suggestion=s), _("修改稿已提交工委。")),
    "comment": (
        lambda r, s: services.suggestion_comment(by=r.user, suggestion=s, note=r.POST.get("note", "")),
        _("意见已记录。"),
    ),
    "send_back": (
        lambda r, s: services.suggestion_send_back(by=r.user, suggestion=s, note=r.POST.get("note", "")),
        _("已退回代表修改。"),
    ),
    "confirm": (lambda r, s: services.cosigner_answer(by=r.user, suggestion=s, confirm=True), _("您已确认附议。")),
    "decline": (lambda r, s: services.cosigner_answer(by=r.user, suggestion=s, confirm=False), _("您已谢绝附议。")),
    "invite": (
        lambda r, s: services.cosigners_invite(
            by=r.user,
            suggestion=s,
            deputies=services.deputies_of(s.street).filter(pk__in=r.POST.getlist("deputies")),
        ),
        _("已邀请附议，代表确认后显示其姓名。"),
    ),
}


@require_POST
def suggestion_act(request, pk, action):
    suggestion = _suggestion(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    call, success = ACTIONS[action]
    try:
        call(request, suggestion)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(suggestion)


# --- Leader contacts (Art 11(2)) ------------------------------------------------------------------------------
def _year_counts(queryset, year):
    return queryset.annotate(
        deputy_count=Count("deputies", distinct=True),
        record_count=Count("records", filter=Q(records__on__year=year), distinct=True),
    )


@require_GET
def contact_list(request):
    _any(request.user, VIEW_LIAISON, DRAFT)
    year = timezone.localdate().year
    rows = _year_counts(selectors.visible_contacts(request.user), year).select_related("street", "leader")
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(leader_name__contains=query) | Q(leader_title__contains=query))
    return render(
        request,
        "suggestions/contact_list.html",
        {
            "page": paginate(request, rows.order_by("street", "body", "leader_name", "pk")),
            "query": query,
            "year": year,
            "can_manage": MANAGE_LIAISON in request.user.capabilities_anywhere(),
        },
    )


def _leaders(street):
    return User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(street=street, role__in=(Role.PARTY, *COMMITTEE_ROLES))
        .values("user_id")
    )


@require_http_methods(["GET", "POST"])
def contact_form(request, pk=None):
    """登记 (no pk) or 修改 a leader's contact with their deputies; the records stay when the deputies change."""
    if pk is None:
        contact, street, initial = None, streets_where(request.user, MANAGE_LIAISON)[0], {}
    else:
        contact = get_object_or_404(selectors.visible_contacts(request.user).select_related("street"), pk=pk)
        street = contact.street
        require(request.user, MANAGE_LIAISON, street)
        initial = {
            "leader": contact.leader_id,
            "leader_name": contact.leader_name,
            "leader_title": contact.leader_title,
            "body": contact.body,
            "deputies": list(contact.deputies.all()),
        }
    form = forms.LeaderContactForm(
        request.POST or None, initial=initial, leaders=_leaders(street), deputies=services.deputies_of(street)
    )
    if request.method == "POST" and form.is_valid():
        saved = _call(
            form,
            lambda: services.leader_contact_save(by=request.user, street=street, contact=contact, **form.cleaned_data),
        )
        if saved:
            messages.success(request, _("已保存领导联系代表。"))
            return redirect(saved)
    title = _("登记领导联系代表") if contact is None else _("修改领导联系代表")
    return render(
        request,
        "suggestions/form_page.html",
        {"form": form, "title": title, "searchable": True, "cancel": "suggestions:contact_list"},
    )


@require_http_methods(["GET", "POST"])
def contact_detail(request, pk):
    contact = get_object_or_404(selectors.visible_contacts(request.user).select_related("street", "leader"), pk=pk)
    can_record = contact.leader_id == request.user.pk or request.user.has_capability(MANAGE_LIAISON, contact.street)
    year = timezone.localdate().year
    records = list(contact.records.select_related("deputy").order_by("-on", "-pk")[:100])
    form = forms.ContactRecordForm(request.POST or None, deputies=contact.deputies.all())
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            record = _call(
                form, lambda: services.contact_record_add(by=request.user, contact=contact, **form.cleaned_data)
            )
            if record:
                messages.success(request, _("已登记联系记录。"))
                return redirect(contact)
    counts = {}
    for record in records:
        if record.on.year == year:
            counts[record.deputy_id] = counts.get(record.deputy_id, 0) + 1
    deputies = [(d, counts.get(d.pk, 0)) for d in contact.deputies.all()]
    return render(
        request,
        "suggestions/contact_detail.html",
        {
            "contact": contact,
            "deputies": deputies,
            "records": records,
            "form": form if can_record else None,
            "can_manage": request.user.has_capability(MANAGE_LIAISON, contact.street),
            "year": year,
            "required": settings.LEADER_CONTACTS_PER_YEAR,
        },
    )


# --- Consultations on major measures (Art 11(1)) ----------------------------------------------------------------
@require_GET
def consultation_list(request):
    _any(request.user, VIEW_LIAISON, DRAFT)
    rows = (
        selectors.visible_consultations(request.user)
        .select_related("street")
        .annotate(deputy_count=Count("deputies", distinct=True), opinion_count=Count("opinions", distinct=True))
    )
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(title__contains=query) | Q(description__contains=query))
    return render(
        request,
        "suggestions/consultation_list.html",
        {
            "page": paginate(request, rows.order_by("-asked_on", "-pk")),
            "query": query,
            "can_manage": MANAGE_LIAISON in request.user.capabilities_anywhere(),
        },
    )


@require_http_methods(["GET", "POST"])
def consultation_add(request):
    street = streets_where(request.user, MANAGE_LIAISON)[0]
    form = forms.ConsultationForm(request.POST or None, deputies=services.deputies_of(street))
    if request.method == "POST" and form.is_valid():
        consultation = _call(
            form, lambda: services.consultation_create(by=request.user, street=street, **form.cleaned_data)
        )
        if consultation:
            messages.success(request, _("已向代表征求意见，代表会收到通知。"))
            return redirect(consultation)
    return render(
        request,
        "suggestions/form_page.html",
        {
            "form": form,
            "title": _("重大事项征求代表意见"),
            "searchable": True,
            "cancel": "suggestions:consultation_list",
        },
    )


def _consultation(request, pk):
    return get_object_or_404(selectors.visible_consultations(request.user).select_related("street"), pk=pk)


@require_http_methods(["GET", "POST"])
def consultation_detail(request, pk):
    consultation = _consultation(request, pk)
    user = request.user
    asked = consultation.deputies.filter(pk=user.pk).exists()
    can_manage = user.has_capability(MANAGE_LIAISON, consultation.street)
    opinion_form = forms.MeasureOpinionForm(request.POST if request.POST.get("step") == "opinion" else None)
    response_form = forms.ResponseForm(request.POST if request.POST.get("step") == "respond" else None)
    if request.method == "POST":
        if request.POST.get("step") == "opinion" and opinion_form.is_valid():
            done = _call(
                opinion_form,
                lambda: services.measure_opinion_add(
                    by=user, consultation=consultation, content=opinion_form.cleaned_data["content"]
                ),
            )
        elif request.POST.get("step") == "respond" and can_manage and response_form.is_valid():
            done = _call(
                response_form,
                lambda: services.consultation_respond(
                    by=user, consultation=consultation, response=response_form.cleaned_data["response"]
                ),
            )
        else:
            raise PermissionDenied
        if done:
            messages.success(request, _("已保存。"))
            return redirect(consultation)
    return render(
        request,
        "suggestions/consultation_detail.html",
        {
            "consultation": consultation,
            "deputies": consultation.deputies.all(),
            "opinions": consultation.opinions.select_related("deputy", "case"),
            "opinion_form": opinion_form if asked and not consultation.responded_on else None,
            "response_form": response_form if can_manage else None,
            "can_convert": user.has_capability(Capability.MANAGE_OPINIONS, consultation.street),
        },
    )


@require_POST
def measure_opinion_case(request, pk):
    opinion = get_object_or_404(
        MeasureOpinion.objects.filter(consultation__in=selectors.visible_consultations(request.user)), pk=pk
    )
    require(request.user, Capability.MANAGE_OPINIONS, opinion.street)
    try:
        case = services.measure_opinion_to_case(by=request.user, opinion=opinion)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(opinion.consultation)
    messages.success(request, _("已转为办理件，可交办有关单位。"))
    return redirect(case)
