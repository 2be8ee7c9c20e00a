"""Pages of the ballot engine: staff (create, open, close, recount), tellers (roll, paper ballots, count sheet),
voters (the phone page, the slip-code page) and the public result page. Chapter features link to these pages
for their own ballots (`ballot.get_absolute_url()`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committee.ballots import chain, selectors, services
from committee.ballots.forms import (
    ROLL_GROUPS,
    BallotForm,
    ChoicesForm,
    CloseForm,
    CountSheetForm,
    PaperEntryForm,
    RecountForm,
    SlipCodeForm,
    lines,
    sheet_initial,
)
from committee.ballots.models import Ballot, BallotState, LogEntry, PaperMode, Participation, Voter
from committee.documents import rendering
from committee.documents.selectors import documents_for
from committee.models import Membership, ResidentsCouncil, Street, User
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, streets_where
from committee.roles import Capability

RECEIPTS_PER_PAGE = 300
VOTES_PER_PAGE = 100
ROLL_PER_PAGE = 50


def _ballot(request, pk, capability=Capability.VIEW_BALLOTS) -> Ballot:
    return get_for_user(
        Ballot.objects.select_related("street__committee", "street__municipality", "content_type"),
        request.user,
        capability,
        pk=pk,
    )


def _fail(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def ballot_list(request):
    streets = streets_where(request.user, Capability.VIEW_BALLOTS)
    ballots = Ballot.objects.for_user(request.user).filter(street__in=streets).select_related("street")
    state = request.GET.get("state", "")
    if state in BallotState.values:
        ballots = ballots.filter(state=state)
    query = request.GET.get("q", "").strip()
    if query:
        ballots = ballots.filter(title__contains=query)
    street_id = request.GET.get("street", "")
    if street_id.isdigit():
        ballots = ballots.filter(street_id=int(street_id))
    return render(
        request,
        "ballots/ballot_list.html",
        {
            "page": paginate(request, ballots.order_by("-created_at", "-pk")),
            "streets": streets,
            "states": BallotState.choices,
            "query": query,
            "can_manage": any(request.user.has_capability(Capability.MANAGE_BALLOTS, s) for s in streets),
        },
    )


def _subject_from(request, street: Street):
    """`?subject=<content type id>-<object id>` from a chapter page, else the street's residents' council."""
    value = request.GET.get("subject", "")
    if value:
        try:
            type_id, object_id = (int(part) for part in value.split("-", 1))
            return ContentType.objects.get_for_id(type_id).get_object_for_this_type(pk=object_id)
        except (ValueError, ObjectDoesNotExist):
            raise Http404 from None
    return ResidentsCouncil.objects.filter(street=street).first() or street


def _roll_users(street: Street, groups: list[str]) -> list[User]:
    roles = [role for key in groups for role in ROLL_GROUPS[key][0]]
    if not roles:
        return []
    return list(
        User.objects.filter(
            pk__in=Membership.objects.active().filter(street=street, role__in=roles).values("user_id")
        ).order_by("full_name", "pk")
    )


@require_http_methods(["GET", "POST"])
def ballot_add(request):
    streets = streets_where(request.user, Capability.MANAGE_BALLOTS)
    form = BallotForm(request.POST or None, streets=Street.objects.filter(pk__in=[s.pk for s in streets]))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        street = data["street"]
        try:
            ballot = services.ballot_create(
                by=request.user,
                street=street,
                subject=_subject_from(request, street),
                title=data["title"],
                rule=data["rule"],
                places=data["places"],
                questions=lines(data["questions"]),
                voters=_roll_users(street, data["roll_groups"]),
                other_voters=lines(data["other_voters"]),
                electronic=data["electronic"],
                paper=data["paper"],
                paper_spares=data["paper_spares"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已拟定表决，请核对后开始投票。"))
            return redirect(ballot)
    return render(request, "ballots/ballot_form.html", {"form": form})


def ballot_detail(request, pk):
    ballot = _ballot(request, pk)
    can_manage = request.user.has_capability(Capability.MANAGE_BALLOTS, ballot.street)
    questions = list(ballot.questions.order_by("position"))
    results = list(ballot.results.select_related("computed_by").order_by("-version"))
    result = results[0] if results else None
    if result is not None:
        figures = {"counts": result.counts}  # frozen at close
    elif ballot.state != BallotState.DRAFT:
        figures = selectors.reconcile(ballot)
    else:
        figures = None
    vote_url = request.build_absolute_uri(reverse("ballots:vote", args=[ballot.pk]))
    documents = [
        d
        for d in documents_for(ballot).select_related("street")
        if request.user.has_capability(d.view_capability, ballot.street)
    ]
    return render(
        request,
        "ballots/ballot_detail.html",
        {
            "ballot": ballot,
            "subject": ballot.subject,
            "can_manage": can_manage,
            "questions": questions,
            "figures": figures,
            "result": result,
            "rows": selectors.result_rows(ballot, result, questions) if result else [],
            "results": results,
            "options": [o.label for o in ballot.engine_rule.options],
            "roll_preview": list(ballot.voters.order_by("position")[:20]) if ballot.state == BallotState.DRAFT else [],
            "roll_size": ballot.entitled if ballot.entitled is not None else ballot.voters.count(),
            "documents": documents,
            "vote_url": vote_url,
            "vote_qr": rendering.qr_data_uri(vote_url)
            if ballot.state == BallotState.OPEN and ballot.electronic
            else "",
            "slip_url": request.build_absolute_uri(reverse("ballots:slip")),
        },
    )


def _confirm_step(request, pk, *, state, action, title, message, done, then=None, danger=False):
    """GET asks for confirmation, POST runs the step; a ballot past that step sends the user back."""
    ballot = _ballot(request, pk, Capability.MANAGE_BALLOTS)
    if ballot.state != state:
        messages.info(request, _("这一步已经完成。"))
        return redirect(ballot)
    if request.method == "POST":
        try:
            action(by=request.user, ballot=ballot)
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, done)
            return redirect(then or ballot)
    return render(
        request, "ballots/confirm.html", {"ballot": ballot, "title": title, "message": message, "danger": danger}
    )


@require_http_methods(["GET", "POST"])
def ballot_open(request, pk):
    return _confirm_step(
        request,
        pk,
        state=BallotState.DRAFT,
        action=services.ballot_open,
        title=_("开始投票"),
        message=_("开始后选民名单冻结，不能再增减；将为没有账号的选民生成投票凭条，并印制纸质选票（如使用）。"),
        done=_("投票已开始。投票凭条和纸质选票的 PDF 正在生成。"),
    )


@require_http_methods(["GET", "POST"])
def ballot_discard(request, pk):
    return _confirm_step(
        request,
        pk,
        state=BallotState.DRAFT,
        action=services.ballot_discard,
        title=_("删除表决"),
        message=_("删除这项尚未开始的表决？"),
        done=_("已删除未开始的表决。"),
        then="ballots:list",
        danger=True,
    )


@require_http_methods(["GET", "POST"])
def ballot_end_voting(request, pk):
    return _confirm_step(
        request,
        pk,
        state=BallotState.OPEN,
        action=services.ballot_end_voting,
        title=_("宣布投票结束"),
        message=_("宣布后不能再投票或发放纸质选票，开始清点纸质选票。"),
        done=_("投票已结束，请清点纸质选票。"),
    )


@require_http_methods(["GET", "POST"])
def ballot_close(request, pk):
    ballot = _ballot(request, pk, Capability.MANAGE_BALLOTS)
    if ballot.state in (BallotState.DRAFT, BallotState.CLOSED):
        messages.info(request, _("投票尚未开始。") if ballot.state == BallotState.DRAFT else _("计票已经结束。"))
        return redirect(ballot)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_close(by=request.user, ballot=ballot, explanation=form.cleaned_data["explanation"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("计票结束，结果已锁定并公布。公告 PDF 正在生成。"))
            return redirect(ballot)
    return render(
        request, "ballots/close.html", {"ballot": ballot, "form": form, "figures": selectors.reconcile(ballot)}
    )


@require_http_methods(["GET", "POST"])
def ballot_recount(request, pk):
    ballot = _ballot(request, pk, Capability.MANAGE_BALLOTS)
    if ballot.state != BallotState.CLOSED:
        messages.info(request, _("只有已结束的投票可以重新计票。"))
        return redirect(ballot)
    questions = list(ballot.questions.order_by("position"))
    with_sheet = ballot.paper == PaperMode.COUNT_SHEET
    if with_sheet:
        form = CountSheetForm(
            request.POST or None,
            ballot=ballot,
            questions=questions,
            reason_required=True,
            initial=sheet_initial(selectors.latest_count_sheet(ballot)),
        )
    else:
        form = RecountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_recount(
                by=request.user,
                ballot=ballot,
                reason=form.cleaned_data["reason"],
                count_sheet=form.sheet() if with_sheet else None,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已重新计票，新的结果和公告已记录。"))
            return redirect(ballot)
    return render(request, "ballots/recount.html", {"ballot": ballot, "form": form, "with_sheet": with_sheet})


# --- Tellers ------------------------------------------------------------------------------------------------


def roll(request, pk):
    """The roll of entitled voters with how each took part; tellers mark paper ballots issued here."""
    ballot = _ballot(request, pk, Capability.MANAGE_BALLOTS)
    voters = ballot.voters.select_related("participation", "user").order_by("position")
    query = request.GET.get("q", "").strip()
    if query:
        voters = voters.filter(Q(name__contains=query) | Q(user__mobile=query))
    shown = request.GET.get("show", "")
    if shown == "waiting":
        voters = voters.filter(participation__isnull=True)
    elif shown == "voted":
        voters = voters.filter(participation__isnull=False)
    return render(
        request,
        "ballots/roll.html",
        {
            "ballot": ballot,
            "page": paginate(request, voters, per_page=ROLL_PER_PAGE),
            "query": query,
            "shown": shown,
            "figures": selectors.participation_counts(ballot),
            "can_issue": ballot.state == BallotState.OPEN and ballot.uses_paper,
        },
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else fallback


@require_POST
def issue_paper(request, pk):
    voter = get_for_user(
        Voter.objects.select_related("ballot", "street"), request.user, Capability.MANAGE_BALLOTS, pk=pk
    )
    try:
        services.paper_issue(by=request.user, voter=voter)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("已向%(name)s发放纸质选票。") % {"name": voter.name})
    return redirect(_safe_next(request, reverse("ballots:roll", args=[voter.ballot_id])))


@require_http_methods(["GET", "POST"])
def paper_entry(request, pk):
    """Enter the paper ballots one by one: the printed code and the marks, or 无效票."""
    ballot = _ballot(request, pk, Capability.MANAGE_BALLOTS)
    questions = list(ballot.questions.order_by("position"))
    form = PaperEntryForm(request.POST or None, ballot=ballot, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            state = services.paper_enter(
                by=request.user,
                ballot=ballot,
                code=form.cleaned_data["code"],
                choices=form.choices(),
                invalid=form.cleaned_data["invalid"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("已录入 %(code)s（%(state)s）。")
                % {"code": chain.normalise_code(form.cleaned_data["code"]), "state": state.label},
            )
            return redirect("ballots:paper_entry", ballot.pk)
    return render(
        request,
        "ballots/paper_entry.html",
        {
            "ballot": ballot,
            "form": form,
            "figures": selectors.reconcile(ballot)["counts"],
            "ready": ballot.state == BallotState.COUNTING and ballot.paper == PaperMode.BALLOTS,
        },
    )


@require_http_methods(["GET", "POST"])
def count_sheet(request, pk):
    ballot = _ballot(request, pk, Capability.MANAGE_BALLOTS)
    questions = list(ballot.questions.order_by("position"))
    last = selectors.latest_count_sheet(ballot)
    form = CountSheetForm(
        request.POST or None,
        ballot=ballot,
        questions=questions,
        reason_required=last is not None,
        initial=sheet_initial(last),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.count_sheet_enter(
                by=request.user, ballot=ballot, reason=form.cleaned_data["reason"], **form.sheet()
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("计票单已录入，请打印后由计票人、监票人签名。"))
            return redirect(ballot)
    return render(
        request,
        "ballots/count_sheet.html",
        {
            "ballot": ballot,
            "form": form,
            "last": last,
            "issued": selectors.participation_counts(ballot)["paper"],
            "ready": ballot.state == BallotState.COUNTING and ballot.paper == PaperMode.COUNT_SHEET,
        },
    )


# --- Voters -------------------------------------------------------------------------------------------------


def my_ballots(request):
    """The ballots this person is on the roll of, open ones first."""
    voters = (
        Voter.objects.filter(
            user=request.user, ballot__street_id__in=Street.objects.for_user(request.user).values("pk")
        )
        .select_related("ballot__street", "participation")
        .order_by("-ballot__opened_at", "-pk")
    )
    return render(request, "ballots/mine.html", {"page": paginate(request, voters)})


def _cast_page(request, ballot: Ballot, *, voter: Voter | None, slip_code: str = ""):
    """The ballot on a phone: the form, then the receipt (in the response only: it is stored nowhere)."""
    questions = list(ballot.questions.order_by("position"))
    posted = request.method == "POST" and "cast" in request.POST
    form = ChoicesForm(request.POST if posted else None, ballot=ballot, questions=questions)
    receipt = ""
    if posted and form.is_valid():
        try:
            receipt = services.ballot_cast(
                ballot=ballot, choices=form.choices(), by=None if slip_code else request.user, slip_code=slip_code
            )
        except ValidationError as error:
            add_validation_error(form, error)
    participation = None
    if voter is not None and not receipt:
        participation = Participation.objects.filter(voter=voter).first()
    response = render(
        request,
        "ballots/vote.html",
        {
            "ballot": ballot,
            "voter": voter,
            "form": form,
            "receipt": receipt,
            "participation": participation,
            "slip_code": slip_code,
            "places": ballot.places,
        },
    )
    response["Cache-Control"] = "no-store"  # the receipt must not come back from a cache
    return response


@require_http_methods(["GET", "POST"])
def vote(request, pk):
    ballot = get_object_or_404(Ballot.objects.for_user(request.user).select_related("street"), pk=pk)
    voter = Voter.objects.filter(ballot=ballot, user=request.user).first()
    if voter is None:
        raise PermissionDenied
    return _cast_page(request, ballot, voter=voter)


@login_not_required
@require_http_methods(["GET", "POST"])
def slip(request):
    """No login: the voter types the code from their slip, then votes once with it."""
    form = SlipCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = chain.normalise_code(form.cleaned_data["code"])
        voter = (
            Voter.objects.filter(slip_code_hash=chain.code_hash(code))
            .select_related("ballot__street", "participation")
            .first()
        )
        if voter is None:
            form.add_error("code", _("投票码无效，请核对凭条上的投票码。"))
        elif voter.ballot.state != BallotState.OPEN:
            form.add_error(
                "code", _("投票尚未开始。") if voter.ballot.state == BallotState.DRAFT else _("投票已经结束。")
            )
        elif hasattr(voter, "participation") and "cast" not in request.POST:
            form.add_error("code", _("此投票码已使用，每个投票码只能投票一次。"))
        else:
            return _cast_page(request, voter.ballot, voter=voter, slip_code=code)
    return render(request, "ballots/slip.html", {"form": form})


# --- Public results -----------------------------------------------------------------------------------------


def _published(token: str) -> Ballot:
    return get_object_or_404(Ballot.objects.select_related("street__committee"), token=token, state=BallotState.CLOSED)


@login_not_required
def result(request, token):
    """Public, by the ballot's unguessable token: the result, the log's final hash, every receipt code."""
    ballot = _published(token)
    results = list(ballot.results.order_by("-version"))
    questions = list(ballot.questions.order_by("position"))
    receipts = ballot.receipts.order_by("code").values_list("code", flat=True)
    lookup = chain.normalise_code(request.GET.get("receipt", ""))
    found = receipts.filter(code=lookup).exists() if lookup else None
    return render(
        request,
        "ballots/result.html",
        {
            "ballot": ballot,
            "result": results[0],
            "rows": selectors.result_rows(ballot, results[0], questions),
            "results": results,
            "options": [o.label for o in ballot.engine_rule.options],
            "page": paginate(request, receipts, per_page=RECEIPTS_PER_PAGE),
            "lookup": lookup,
            "found": found,
            "sheet": selectors.latest_count_sheet(ballot) if ballot.paper == PaperMode.COUNT_SHEET else None,
        },
    )


@login_not_required
def result_votes(request, token):
    """Public: the anonymous votes in random order (by their random key), for anyone to recount."""
    ballot = _published(token)
    questions = list(ballot.questions.order_by("position"))
    engine = ballot.engine_rule
    page = paginate(request, ballot.votes.order_by("id").values_list("id", "choices"), per_page=VOTES_PER_PAGE)
    rows = [(pk, [engine.option_label(choices.get(str(q.position), "")) for q in questions]) for pk, choices in page]
    return render(
        request, "ballots/result_votes.html", {"ballot": ballot, "questions": questions, "page": page, "rows": rows}
    )


@login_not_required
def result_data(request, token):
    """Everything published, as JSON: questions, receipts, votes, count sheets, the log and the results."""
    ballot = _published(token)
    data = {
        "ballot": {
            "token": ballot.token,
            "street": ballot.street.name,
            "title": ballot.title,
            "rule": ballot.rule,
            "places": ballot.places,
            "entitled": ballot.entitled,
            "options": ballot.engine_rule.option_codes(),
            "questions": [
                {"position": p, "label": label}
                for p, label in ballot.questions.order_by("position").values_list("position", "label")
            ],
            "explanation": ballot.explanation,
        },
        "receipts": selectors.published_receipts(ballot),
        "votes": selectors.published_votes(ballot),
        "count_sheets": list(
            ballot.count_sheets.order_by("version").values(
                "version", "returned", "valid", "invalid", "totals", "tellers", "scrutineers", "reason"
            )
        ),
        "results": list(
            ballot.results.order_by("version").values("version", "counts", "totals", "outcome", "chain_hash", "reason")
        ),
        "log": list(
            LogEntry.objects.filter(ballot=ballot).order_by("seq").values("seq", "kind", "payload", "prev_hash", "hash")
        ),
        "chain_format": "sha256(prev_hash + '\\n' + seq + '\\n' + kind + '\\n' + canonical_json(payload)); "
        "canonical_json = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(',', ':')); "
        "the first prev_hash is 64 zeros",
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
