import datetime
import hashlib
import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.calendar.models import CalendarDay, CalendarYear, DayKind
from committee.calendar.services import check_days, check_source_date

LONGEST_RANGE = 14  # days: the longest holiday so far is 8 or 9; a longer range is a typing mistake
NAME_LENGTH = CalendarDay._meta.get_field("name").max_length
_SEPARATORS = re.compile(r"[\n,，;；、]")
_ENTRY = re.compile(r"^(?P<start>\S+?)(?:\s*(?:\.\.|至|~|～)\s*(?P<end>\S+?))?(?:\s+(?P<name>.*))?$")
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


class _NoSuchDay(ValueError):
    pass


def _date(text: str) -> datetime.date | None:
    """The date written as 2027-02-05 (None when written otherwise); raises _NoSuchDay for 2027-02-30."""
    if not _DATE.match(text):
        return None
    try:
        return datetime.date(*map(int, text.split("-")))
    except ValueError:
        raise _NoSuchDay(text) from None


def parse_days(text: str) -> dict[datetime.date, str]:
    """Days written one entry a line (or separated by commas): a date or a range, then the holiday's name if any:

        2027-01-01 元旦
        2027-02-05..2027-02-11 春节

    Raises ValidationError listing every entry that cannot be read, by its number."""
    days: dict[datetime.date, str] = {}
    problems = []
    entries = [entry.strip() for entry in _SEPARATORS.split(text)]
    for number, entry in enumerate((e for e in entries if e), start=1):
        match = _ENTRY.match(entry)
        try:
            start = _date(match["start"]) if match else None
            end = _date(match["end"]) if match and match["end"] else start
        except _NoSuchDay as error:
            problems.append(
                _("第%(n)d条“%(entry)s”：没有%(day)s这一天。") % {"n": number, "entry": entry, "day": error}
            )
            continue
        name = (match["name"] or "").strip() if match else ""
        if start is None or end is None:
            problems.append(
                _(
                    "第%(n)d条“%(entry)s”：日期写法不对。请写成 2027-02-05，或区间 2027-02-05..2027-02-11，后面可加节日名称。"
                )
                % {"n": number, "entry": entry}
            )
            continue
        if end < start:
            problems.append(_("第%(n)d条“%(entry)s”：区间的结束日期早于开始日期。") % {"n": number, "entry": entry})
            continue
        if (end - start).days >= LONGEST_RANGE:
            problems.append(
                _("第%(n)d条“%(entry)s”：一个区间最长%(days)d天，请检查结束日期。")
                % {"n": number, "entry": entry, "days": LONGEST_RANGE}
            )
            continue
        if len(name) > NAME_LENGTH:
            problems.append(
                _("第%(n)d条“%(entry)s”：节日名称最长%(length)d个字。")
                % {"n": number, "entry": entry, "length": NAME_LENGTH}
            )
            continue
        for offset in range((end - start).days + 1):
            day = start + datetime.timedelta(days=offset)
            if day in days:
                problems.append(
                    _("第%(n)d条“%(entry)s”：%(day)s 前面已经写过。")
                    % {"n": number, "entry": entry, "day": day.isoformat()}
                )
                break
            days[day] = name
    if problems:
        raise ValidationError(problems)
    return days


def format_days(days: dict[datetime.date, str]) -> str:
    """The text parse_days reads back: consecutive days of the same holiday as one range."""
    lines, run = [], []
    for day in sorted(days):
        if run and day - run[-1] == datetime.timedelta(days=1) and days[day] == days[run[0]]:
            run.append(day)
            continue
        if run:
            lines.append(_format_run(run, days[run[0]]))
        run = [day]
    if run:
        lines.append(_format_run(run, days[run[0]]))
    return "\n".join(lines)


def _format_run(run: list[datetime.date], name: str) -> str:
    dates = run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}..{run[-1].isoformat()}"
    return f"{dates} {name}".strip()


class DaysField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocapitalize": "off"})

    def to_python(self, value):
        return parse_days(super().to_python(value))


class ArrangementForm(forms.ModelForm):
    days_off = DaysField(
        label=gettext_lazy("放假日期"),
        help_text=gettext_lazy("一行一条：日期或区间，后加节日名称。例如“2027-02-05..2027-02-11 春节”。"),
    )
    make_up_workdays = DaysField(
        label=gettext_lazy("调休上班日期"),
        required=False,
        help_text=gettext_lazy("通知中“上班”的周六、周日，例如“2027-02-14 春节”。没有就留空。"),
    )

    source_url = CalendarYear._meta.get_field("source_url").formfield(assume_scheme="https")

    class Meta:
        model = CalendarYear
        fields = ["source_title", "source_number", "source_date", "source_url"]
        widgets = {"source_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, year: int, instance: CalendarYear | None = None, **kwargs):
        self.year = year
        super().__init__(*args, instance=instance, **kwargs)
        if self.instance.pk and not self.is_bound:
            days = list(self.instance.days.all())
            self.initial["days_off"] = format_days({d.day: d.name for d in days if d.kind == DayKind.DAY_OFF})
            self.initial["make_up_workdays"] = format_days({d.day: d.name for d in days if d.kind == DayKind.WORKDAY})

    def clean(self):
        cleaned = super().clean()
        days_off, make_up = cleaned.get("days_off"), cleaned.get("make_up_workdays")
        problems = check_days(self.year, days_off or {}, make_up or {})
        if cleaned.get("source_date"):
            problems |= check_source_date(cleaned["source_date"], timezone.localdate())
        for field, messages in problems.items():
            if field in cleaned:  # a field that could not be read shows its own errors only
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    def digest(self) -> str:
        """A fingerprint of what a valid form would save: the confirmation must be of what was previewed."""
        data = {
            field: self.cleaned_data[field] for field in ("source_title", "source_number", "source_date", "source_url")
        } | {
            "days_off": sorted(self.cleaned_data["days_off"].items()),
            "make_up_workdays": sorted(self.cleaned_data["make_up_workdays"].items()),
        }
        return hashlib.sha256(json.dumps(data, default=str, ensure_ascii=False).encode()).hexdigest()[:32]
