"""Reads of suggestions, leader contacts and consultations: who sees what, and the similar-subject search."""

import re

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from committee.roles import ROLE_CAPABILITIES, Capability, Role
from deputies.suggestions.models import (
    CoSigner,
    CoSignerState,
    LeaderContact,
    MeasureConsultation,
    Suggestion,
    SuggestionState,
)
from supervision.models import Opinion

SIMILAR_LIMIT = 5
MAX_GRAMS = 30
# Pairs of characters that say nothing about the subject.
STOP_GRAMS = frozenset(
    [
        "建议",
        "问题",
        "我们",
        "一步",
        "关于",
        "加强",
        "进行",
        "相关",
        "有关",
        "一个",
        "没有",
        "存在",
        "目前",
        "希望",
        "要求",
        "情况",
        "工作",
        "解决",
        "部门",
        "群众",
        "居民",
        "反映",
    ]
)


def _street_condition(user, capability: str, prefix: str = "") -> Q:
    """Rows of the streets where the user holds the capability (memberships are already in memory: no query)."""
    street_ids, municipality_ids = [], []
    for membership in user.active_memberships:
        if capability in ROLE_CAPABILITIES[membership.role]:
            if membership.role == Role.CITY:
                municipality_ids.append(membership.municipality_id)
            else:
                street_ids.append(membership.street_id)
    return Q(**{f"{prefix}street_id__in": street_ids}) | Q(**{f"{prefix}street__municipality_id__in": municipality_ids})


def visible_suggestions(user) -> QuerySet:
    """What this user may open: their own suggestions and those they are invited to co-sign, in any state; in
    streets where they consult (committee staff), everything sent to the committee (not drafts never sent); in
    streets where they read suggestions (party, city) or draft them (deputies), the submitted ones. Another
    street's suggestion is not in it (404), nor another deputy's draft."""
    if not user.is_authenticated:
        return Suggestion.objects.none()
    submitted = Q(state=SuggestionState.SUBMITTED)
    condition = (
        Q(author=user)
        | Q(pk__in=CoSigner.objects.filter(deputy=user).values("suggestion_id"))
        | (_street_condition(user, Capability.CONSULT_SUGGESTIONS) & ~Q(state=SuggestionState.DRAFT))
        | (_street_condition(user, Capability.VIEW_SUGGESTIONS) & submitted)
        | (_street_condition(user, Capability.DRAFT_SUGGESTIONS) & submitted)
    )
    return Suggestion.objects.for_user(user).filter(condition)


def with_list_columns(queryset: QuerySet) -> QuerySet:
    """What a list shows per row, in the page's one query: street, author, case state, confirmed co-signers."""
    return queryset.select_related("street", "author", "case").annotate(
        cosigner_count=Count("cosigners", filter=Q(cosigners__state=CoSignerState.CONFIRMED))
    )


def confirmed_cosigners(suggestion: Suggestion) -> QuerySet:
    return suggestion.cosigners.filter(state=CoSignerState.CONFIRMED).select_related("deputy")


def grams(text: str) -> list[str]:
    """The search terms of a text: every pair of adjacent Chinese characters (Chinese has no spaces, and two
    characters are the usual length of a word), and every Latin word or number of two or more characters."""
    found: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff\U00020000-\U0002ffff]+|[A-Za-z0-9]{2,}", text):
        if run.isascii():
            found.append(run.lower())
        else:
            found.extend(run[i : i + 2] for i in range(len(run) - 1))
    unique = dict.fromkeys(g for g in found if g not in STOP_GRAMS)
    return list(unique)[:MAX_GRAMS]


def _scored(queryset: QuerySet, terms: list[str], fields: tuple[str, ...]) -> QuerySet:
    """Rows sharing enough terms with the query, most shared first: a sum of ILIKE tests, one query."""
    hits = Value(0, output_field=IntegerField())
    for term in terms:
        matches = Q(*[Q(**{f"{field}__icontains": term}) for field in fields], _connector=Q.OR)
        hits = hits + Case(When(matches, then=Value(1)), default=Value(0), output_field=IntegerField())
    needed = max(2, len(terms) // 4)
    return queryset.annotate(hits=hits).filter(hits__gte=needed).order_by("-hits", "-pk")


def similar(*, user, street, title: str, problem: str = "", exclude: int | None = None) -> dict:
    """Earlier suggestions (submitted, or the user's own) and cases of the street on the same subject as the text
    being drafted: two queries. Works on Chinese text with plain ILIKE on character pairs, on PostgreSQL and
    SQLite alike, with no extension or outside service."""
    terms = grams(title)
    terms += [g for g in grams(problem) if g not in terms][: max(0, MAX_GRAMS - len(terms))]
    if not terms:
        return {"terms": [], "suggestions": [], "cases": []}
    suggestions = (
        Suggestion.objects.filter(street=street)
        .filter(Q(state=SuggestionState.SUBMITTED) | Q(author=user))
        .exclude(pk=exclude)
        .select_related("author")
    )
    cases = Opinion.objects.filter(street=street).exclude(
        pk__in=Suggestion.objects.filter(street=street, case__isnull=False).values("case_id")
    )
    return {
        "terms": terms,
        "suggestions": list(_scored(suggestions, terms, ("title", "problem", "content"))[:SIMILAR_LIMIT]),
        "cases": list(_scored(cases, terms, ("content", "category"))[:SIMILAR_LIMIT]),
    }


def visible_contacts(user) -> QuerySet:
    """Leader contacts of the streets where the user reads deputy liaison work, and those where they are the
    leader or an assigned deputy."""
    if not user.is_authenticated:
        return LeaderContact.objects.none()
    condition = _street_condition(user, Capability.VIEW_DEPUTY_LIAISON) | Q(leader=user)
    condition |= Q(pk__in=LeaderContact.deputies.through.objects.filter(user=user).values("leadercontact_id"))
    return LeaderContact.objects.for_user(user).filter(condition)


def visible_consultations(user) -> QuerySet:
    """Consultations of the streets where the user reads deputy liaison work, and those they were asked on."""
    if not user.is_authenticated:
        return MeasureConsultation.objects.none()
    asked = MeasureConsultation.deputies.through.objects.filter(user=user).values("measureconsultation_id")
    condition = _street_condition(user, Capability.VIEW_DEPUTY_LIAISON) | Q(pk__in=asked)
    return MeasureConsultation.objects.for_user(user).filter(condition)


HOME_ROWS = 3


def home_summary(user) -> dict | None:
    """For a deputy's home page: their latest suggestions with their state (one query; none for non-deputies).
    Render with `{% include "suggestions/_home.html" with summary=... %}`."""
    if Capability.DRAFT_SUGGESTIONS not in user.capabilities_anywhere():
        return None
    rows = Suggestion.objects.for_user(user).filter(author=user).order_by("-created_at", "-pk")[:HOME_ROWS]
    return {"rows": list(rows)}
