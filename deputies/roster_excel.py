"""The roster in Excel (openpyxl): the one place that reads and writes the sheet staff keep.

`roster_workbook(deputies)` writes it (an empty one is the template); `roster_plan(street, file)` reads an upload
into one `RowPlan` per row (create / update / unchanged / error) without writing anything; `roster_apply(by=,
street=, plans=)` (in `deputies.services`) writes a plan that has no error, all rows or none."""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from committee.models import Street, User
from deputies.models import Constituency, Deputy, EventKind, Level

# (header, attribute): the sheet's columns in order. 状态 and 终止日期 are written for reading, never imported.
COLUMNS = [
    ("姓名", "full_name"),
    ("手机号码", "mobile"),
    ("选区编号", "constituency_number"),
    ("选区名称", "constituency_name"),
    ("代表层级", "level"),
    ("届别", "congress"),
    ("界别/职业", "sector"),
    ("领导干部代表", "leader_cadre"),
    ("当选日期", "elected_on"),
    ("当选方式", "kind"),
    ("接待日", "reception_days"),
    ("状态", "status"),
    ("终止日期", "ended_on"),
]
HEADERS = [header for header, _ in COLUMNS]
REQUIRED = ("姓名", "手机号码", "届别", "当选日期")
YES, NO = "是", "否"
LEVELS = {label: value for value, label in Level.choices}
KINDS = {str(EventKind.ELECTION.label): EventKind.ELECTION, str(EventKind.BY_ELECTION.label): EventKind.BY_ELECTION}
MAX_ROWS = 5000


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


ACTION_LABELS = {"create": "新增", "update": "更新", "unchanged": "无变化", "error": "错误"}


@dataclass
class RowPlan:
    row: int  # the sheet's row number, as Excel shows it
    values: dict
    action: str = Action.CREATE
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    deputy: Deputy | None = None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


def roster_workbook(deputies) -> bytes:
    """The roster as an .xlsx (a header row, one row per deputy); with no deputies, the template to fill in.
    `deputies` comes from `deputies.selectors.roster_rows` (people, constituencies and elections fetched)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "代表名册"
    sheet.append(HEADERS)
    for deputy in deputies:
        first = deputy.start_events[0] if deputy.start_events else None  # the current term's election
        sheet.append(
            [
                deputy.user.full_name,
                deputy.user.mobile or "",
                deputy.constituency.number if deputy.constituency else None,
                deputy.constituency.name if deputy.constituency else "",
                deputy.get_level_display(),
                deputy.congress,
                deputy.sector,
                YES if deputy.leader_cadre else NO,
                first.on if first else None,
                first.get_kind_display() if first else "",
                deputy.reception_days,
                deputy.get_end_reason_display() or _("在任"),
                deputy.ended_on,
            ]
        )
    for column, width in zip("ABCDEFGHIJKLM", (10, 14, 9, 16, 16, 26, 16, 12, 12, 10, 26, 8, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["I"][1:] + sheet["M"][1:]:
        cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if not match:
        raise ValueError
    return datetime.date(*map(int, match.groups()))


def _read(file) -> list[tuple[int, dict]]:
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValueError(_("无法读取该文件，请上传用模板填写的 .xlsx 文件。")) from error
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise ValueError(_("第1行缺少列：%(cols)s。请使用下载的模板。") % {"cols": "、".join(missing)})
    index = {h: header.index(h) for h in HEADERS if h in header}
    result = []
    for number, values in enumerate(rows, start=2):
        if not any(_text(v) for v in values):
            continue
        if len(result) >= MAX_ROWS:
            raise ValueError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
        result.append((number, {h: (values[i] if i < len(values) else None) for h, i in index.items()}))
    book.close()
    return result


def roster_plan(street: Street, file) -> list[RowPlan]:
    """Read an upload into a plan, one row each, writing nothing. Raises ValueError for a file it cannot read."""
    rows = _read(file)
    mobiles = [_text(values.get("手机号码")) for _, values in rows]
    users = {u.mobile: u for u in User.objects.filter(mobile__in=[m for m in mobiles if m])}
    deputies = {
        d.user.mobile: d
        for d in Deputy.objects.filter(user__mobile__in=list(users)).select_related("user", "constituency")
    }
    constituencies = {c.number: c for c in Constituency.objects.filter(street=street)}
    seen: dict[str, int] = {}
    plans = []
    for number, raw in rows:
        plan = RowPlan(row=number, values={})
        _check_row(plan, raw, street, users, deputies, constituencies, seen)
        plans.append(plan)
    return plans


def _check_row(plan, raw, street, users, deputies, constituencies, seen) -> None:
    errors, values = plan.errors, plan.values
    values["full_name"] = _text(raw.get("姓名"))
    if not values["full_name"]:
        errors.append(_("姓名不能为空"))
    mobile = values["mobile"] = _text(raw.get("手机号码"))
    if not re.fullmatch(r"1[3-9]\d{9}", mobile):
        errors.append(_("手机号码“%(m)s”不是11位手机号") % {"m": mobile})
    elif mobile in seen:
        errors.append(_("手机号码与第%(r)s行重复") % {"r": seen[mobile]})
    else:
        seen[mobile] = plan.row
    values["congress"] = _text(raw.get("届别"))
    if not values["congress"]:
        errors.append(_("届别不能为空"))
    level = _text(raw.get("代表层级")) or str(Level.MUNICIPAL.label)
    values["level"] = LEVELS.get(level)
    if values["level"] is None:
        errors.append(_("代表层级“%(v)s”应为：%(all)s") % {"v": level, "all": "、".join(LEVELS)})
    kind = _text(raw.get("当选方式")) or str(EventKind.ELECTION.label)
    values["kind"] = KINDS.get(kind)
    if values["kind"] is None:
        errors.append(_("当选方式“%(v)s”应为“选举”或“补选”") % {"v": kind})
    try:
        values["elected_on"] = _date(raw.get("当选日期"))
    except ValueError:
        errors.append(_("当选日期“%(v)s”应写作 2021-11-16") % {"v": _text(raw.get("当选日期"))})
    else:
        if values["elected_on"] is None:
            errors.append(_("当选日期不能为空"))
        elif values["elected_on"] > datetime.date.today():
            errors.append(_("当选日期不能晚于今天"))
    cadre = _text(raw.get("领导干部代表")) or NO
    if cadre not in (YES, NO):
        errors.append(_("领导干部代表应填“是”或“否”"))
    values["leader_cadre"] = cadre == YES
    values["sector"] = _text(raw.get("界别/职业"))[:60]
    values["reception_days"] = _text(raw.get("接待日"))[:100]
    _check_constituency(plan, raw, constituencies)
    if errors:
        plan.action = Action.ERROR
        return
    deputy = deputies.get(mobile)
    if deputy is None:
        plan.action = Action.CREATE
        return
    if deputy.street_id != street.pk:
        errors.append(_("%(name)s 已是其他街道的代表") % {"name": deputy.user.full_name})
        plan.action = Action.ERROR
        return
    plan.deputy = deputy
    current = {
        "full_name": deputy.user.full_name,
        "level": deputy.level,
        "congress": deputy.congress,
        "sector": deputy.sector,
        "leader_cadre": deputy.leader_cadre,
        "reception_days": deputy.reception_days,
        "constituency_number": deputy.constituency.number if deputy.constituency else None,
    }
    labels = {attr: header for header, attr in COLUMNS}
    plan.changes = [labels[k] for k, v in current.items() if values.get(k) != v]
    plan.action = Action.UPDATE if plan.changes else Action.UNCHANGED


def _check_constituency(plan, raw, constituencies) -> None:
    text = _text(raw.get("选区编号"))
    name = _text(raw.get("选区名称"))
    plan.values["constituency_number"] = None
    plan.values["constituency_name"] = name
    if not text:
        return
    if not text.isdigit() or not 0 < int(text) < 1000:
        plan.errors.append(_("选区编号“%(v)s”应为数字") % {"v": text})
        return
    number = plan.values["constituency_number"] = int(text)
    if number not in constituencies and not name:
        plan.errors.append(_("第%(n)s选区尚未建立，请填写选区名称") % {"n": number})
