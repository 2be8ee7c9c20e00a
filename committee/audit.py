"""How the audit log reads to a leader: Chinese action names, the fields' verbose names, choice labels instead of
codes, the object's own name and local times (docs/architecture.md, "Audit log")."""

import dataclasses
import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from committee.models import AuditEntry

ACTIONS = {
    AuditEntry.Action.CREATE: _("新建"),
    AuditEntry.Action.UPDATE: _("修改"),
    AuditEntry.Action.DELETE: _("删除"),
    AuditEntry.Action.ACCESS: _("查看"),
}
# Bookkeeping every row has; a change of these says nothing to a reader.
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}


@dataclasses.dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


def action_label(entry: AuditEntry) -> str:
    return ACTIONS.get(entry.action, str(entry.action))


def object_label(entry: AuditEntry) -> str:
    """ "承诺事项：按期修复路灯" — the kind of record and the name it had when the entry was written."""
    model = entry.content_type.model_class()
    kind = model._meta.verbose_name if model else entry.content_type.model
    return f"{kind}：{entry.object_repr}"


def changes(entry: AuditEntry) -> list[Change]:
    """The entry's changes in words, without database lookups (so a page of entries costs no extra query):
    concrete fields only (django-auditlog also records reverse relations as "app.Model.None"), choice fields by
    their label, dates and times in local time, booleans as 是/否; a foreign key shows the related row's number."""
    model = entry.content_type.model_class()
    if model is None:
        return []
    shown = []
    for name, values in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(name)
        except models.FieldDoesNotExist:
            continue
        if not field.concrete or field.name in HIDDEN_FIELDS or field.many_to_many:
            continue
        old, new = [*values, None, None][:2]
        shown.append(Change(str(field.verbose_name), display(field, old), display(field, new)))
    return shown


def display(field: models.Field, value) -> str:
    if value in (None, "", "None"):
        return "—"
    if field.choices:
        labels = {str(code): label for code, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(field, models.BooleanField):
        return str(_("是") if str(value) in {"True", "true", "1"} else _("否"))
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is None:
            return str(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)  # django-auditlog writes UTC
        return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")
    if isinstance(field, models.DateField):
        day = parse_date(str(value)[:10])
        return formats.date_format(day, "Y-m-d") if day else str(value)
    if field.is_relation:
        return f"#{value}"
    return str(value)
