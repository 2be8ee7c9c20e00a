"""Reads of the opinion-handling loop: who sees which cases, the cases a record produced, the figures."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from committee.models import Street
from committee.notices.selectors import notified_subject_ids
from committee.roles import ROLE_CAPABILITIES, Capability, Role
from committee.workdays import add_working_days
from supervision.models import OPEN_WITH_UNIT, REPLIED_STATES, HandlingUnitMember, Opinion, Rating, State


def opinions_for_source(obj) -> QuerySet:
    """The cases a record produced (registered with `source=obj`), oldest first, with their unit. Callers
    render them with `{% include "supervision/_opinions_for_source.html" with opinions=... %}`. The caller
    has already checked that the user may read `obj`; the cases belong to its street."""
    return (
        Opinion.objects.filter(source_type=ContentType.objects.get_for_model(obj), source_id=obj.pk)
        .select_related("unit")
        .order_by("created_at", "pk")
    )


def _streets_with(user, capability: str) -> QuerySet:
    """A subquery of the street ids where the user holds the capability (memberships already in memory)."""
    street_ids, municipality_ids = [], []
    for membership in user.active_memberships:
        if capability in ROLE_CAPABILITIES[membership.role]:
            if membership.role == Role.CITY:
                municipality_ids.append(membership.municipality_id)
            else:
                street_ids.append(membership.street_id)
    return Street.objects.filter(Q(pk__in=street_ids) | Q(municipality_id__in=municipality_ids)).values("pk")


def visible_opinions(user) -> QuerySet:
    """Every case this user may open: all cases of the streets where they hold VIEW_OPINIONS; their own unit's
    cases where they hold HANDLE_OPINIONS; the cases they raised; the cases a notice was sent to them about (a
    notice's link opens for its recipient: a unit that returned a case still reads the 交办 it was sent, without
    acting on it). Another unit's case is not in it (404)."""
    if not user.is_authenticated:
        return Opinion.objects.none()
    condition = Q(street_id__in=_streets_with(user, Capability.VIEW_OPINIONS)) | Q(proposer_user=user)
    if any(Capability.HANDLE_OPINIONS in ROLE_CAPABILITIES[m.role] for m in user.active_memberships):
        condition |= Q(
            street_id__in=_streets_with(user, Capability.HANDLE_OPINIONS),
            unit_id__in=HandlingUnitMember.objects.filter(user=user).values("unit_id"),
        )
        condition |= Q(pk__in=notified_subject_ids(user, Opinion))
    return Opinion.objects.for_user(user).filter(condition)


def unit_inbox(user) -> QuerySet:
    """The cases of the user's unit (only in streets where they hold HANDLE_OPINIONS)."""
    return Opinion.objects.for_user(user).filter(
        street_id__in=_streets_with(user, Capability.HANDLE_OPINIONS),
        unit_id__in=HandlingUnitMember.objects.filter(user=user).values("unit_id"),
    )


def due_soon_until(today: datetime.date | None = None) -> datetime.date:
    """The last deadline that counts as due soon: OPINION_REMINDER_DAYS_BEFORE working days ahead, when the unit's
    reminder goes out."""
    return add_working_days(today or timezone.localdate(), settings.OPINION_REMINDER_DAYS_BEFORE)


def worklist(queryset: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """A unit's cases in the order it works on them: the ones it must handle (assigned, accepted, in progress)
    first, by deadline; then those replied and waiting for the proposer; closed ones last. Each row carries
    `flag`: "overdue" (past its deadline), "due_soon" (due within the reminder's working days) or ""."""
    today = today or timezone.localdate()
    to_handle = Q(state__in=OPEN_WITH_UNIT)
    return queryset.annotate(
        flag=Case(
            When(to_handle & Q(deadline__lt=today), then=Value("overdue")),
            When(to_handle & Q(deadline__lte=due_soon_until(today)), then=Value("due_soon")),
            default=Value(""),
            output_field=CharField(),
        ),
        work_rank=Case(
            When(to_handle, then=Value(0)),
            When(state=State.CLOSED, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("work_rank", F("deadline").asc(nulls_last=True), "-created_at", "-pk")


def figures(queryset: QuerySet, by: str, today: datetime.date | None = None) -> list[dict]:
    """Per street (`by="street"`) or unit (`by="unit"`), in ONE aggregate query: the number of cases, closed,
    replied, replied on time, rated, satisfied, overdue; the shares are computed from them (办结率 = closed /
    number; 按期答复率 = replied on time / replied; 满意率 = 满意 + 基本满意 / rated)."""
    return with_shares(figure_rows(queryset, by, today))


def figure_rows(queryset: QuerySet, by: str, today: datetime.date | None = None) -> QuerySet:
    """The aggregate query of `figures`, to paginate: per unit, ordered by its street and name (a unit's name
    recurs in every street: 城市管理办公室), with the street's name."""
    today = today or timezone.localdate()
    key = {
        "street": ("street_id", "street__name"),
        "unit": ("unit_id", "unit__street__name", "unit__name"),
    }[by]
    return queryset.order_by().values(*key).annotate(**figure_counts(today)).order_by(*key[1:], key[0])


def figure_tables(opinions: QuerySet, units: QuerySet, streets, today: datetime.date | None = None):
    """The figures page's two tables: per street (`streets` give the names; those with cases, by name) and per
    unit (with its street, by street and name), as `shares` rows with `id`, `name` and `street`. ONE aggregate
    query of the cases per (street, unit), without joins, whose rows are summed per street and per unit here, and
    one query of the units' names (`units`: the user's scoped units, ordered by the database). Grouping by the
    names in three queries (streets; the units' count and page) cost ~250 ms at 25 streets and 20,000 cases
    (issue 14); this costs ~25 ms. Every unit row is built (hundreds per city); the caller pages the list."""
    counts = figure_counts(today)
    per_street, per_unit = {}, {}
    for row in opinions.order_by().values("street_id", "unit_id").annotate(**counts):
        _add(per_street.setdefault(row["street_id"], dict.fromkeys(counts, 0)), row, counts)
        if row["unit_id"] is not None:
            _add(per_unit.setdefault(row["unit_id"], dict.fromkeys(counts, 0)), row, counts)
    names = {street.pk: street.name for street in streets}
    street_rows = [
        shares({"id": pk, "name": names[pk], "street": "", **per_street[pk]})
        for pk in sorted(per_street, key=lambda pk: (names[pk], pk))
    ]
    unit_rows = [
        shares({"id": pk, "name": name, "street": street, **per_unit[pk]})
        for pk, name, street in units.filter(pk__in=list(per_unit))
        .order_by("street__name", "name", "pk")
        .values_list("pk", "name", "street__name")
    ]
    return street_rows, unit_rows


def _add(total: dict, row: dict, counts: dict) -> None:
    for key in counts:
        total[key] += row[key]


def figure_counts(today: datetime.date | None = None) -> dict:
    """The aggregates behind the figures (number, closed, replied, on_time, rated, satisfied, overdue), for a
    caller that groups the cases its own way (the liaison stations group them by station); `shares` adds the
    shares to its rows."""
    today = today or timezone.localdate()
    return {
        "number": Count("pk"),
        "closed": Count("pk", filter=Q(state=State.CLOSED)),
        "replied": Count("pk", filter=Q(replied_on__isnull=False, state__in=REPLIED_STATES)),
        "on_time": Count(
            "pk", filter=Q(replied_on__isnull=False, state__in=REPLIED_STATES, replied_on__lte=F("deadline"))
        ),
        "rated": Count("pk", filter=~Q(rating="")),
        "satisfied": Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY])),
        "overdue": Count("pk", filter=Q(state__in=OPEN_WITH_UNIT, deadline__lt=today)),
    }


def shares(row: dict) -> dict:
    """A row of `figure_counts` with the three shares in percent (None without cases): 办结率 = closed / number;
    按期答复率 = replied on time / replied; 满意率 = 满意 + 基本满意 / rated."""

    def share(part, whole):
        return round(100 * part / whole, 1) if whole else None

    row["closed_share"] = share(row["closed"], row["number"])
    row["on_time_share"] = share(row["on_time"], row["replied"])
    row["satisfied_share"] = share(row["satisfied"], row["rated"])
    return row


def with_shares(rows) -> list[dict]:
    """`figure_rows`' rows with `id`, `name` (and `street` for a unit) and the three shares in percent."""

    result = []
    for row in rows:
        row = dict(row)
        row["id"] = row.pop("street_id", None) or row.pop("unit_id")
        row["name"] = row.pop("unit__name", None) or row.pop("street__name")
        row["street"] = row.pop("unit__street__name", "")
        result.append(shares(row))
    return result
