"""The pass and grade rules the engine computes results with. A caller names its rule (usually from its own
setting) when it creates a ballot; the rule decides the options of every question, which ballots are valid, and
what the totals mean. Adding a rule is adding a class here and an entry in RULES.

Totals are `{position: {option code: count}}`, one entry per question; `valid` is the number of valid ballots."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Option:
    code: str
    label: str


class Status:
    """What a question's outcome is called, for the templates and for the callers."""

    ELECTED = "elected"  # passed and within the places
    RUNOFF = "runoff"  # tied at the last place: a run-off decides
    SURPLUS = "surplus"  # passed, but ranked below the places
    FAILED = "failed"  # did not get more than half of the entitled voters
    SATISFIED = "satisfied"
    BASIC = "basic"
    UNSATISFIED = "unsatisfied"

    LABELS = {
        ELECTED: gettext_lazy("通过（入选）"),
        RUNOFF: gettext_lazy("末位票数相同，须另行票决"),
        SURPLUS: gettext_lazy("过半数，但名额已满未入选"),
        FAILED: gettext_lazy("未过半数"),
        SATISFIED: gettext_lazy("满意"),
        BASIC: gettext_lazy("基本满意"),
        UNSATISFIED: gettext_lazy("不满意"),
    }


class Rule:
    name: str
    label: str
    options: tuple[Option, ...]
    uses_places = False

    def option_codes(self) -> list[str]:
        return [o.code for o in self.options]

    def option_label(self, code: str) -> str:
        return next((str(o.label) for o in self.options if o.code == code), code)

    def check_setup(self, *, questions: int, places: int | None, min_extra: int) -> None:
        if questions < 1:
            raise ValidationError(_("请至少列出一个表决事项。"))

    def check_choices(self, choices: dict[int, str], *, places: int | None) -> None:
        """One ballot's choices, already complete and of known options: the rule's own limits."""

    def outcome(self, *, totals: dict[int, dict[str, int]], valid: int, entitled: int, places: int | None) -> dict:
        raise NotImplementedError


class ApprovalMajorityOfEntitled(Rule):
    """票决 (DOMAIN.md "Livelihood projects"): each candidate gets 赞成 / 反对 / 弃权, a ballot approves at most as
    many candidates as there are places, and there are more candidates than places (差额, `min_extra` more at
    least). A candidate passes with yes votes from more than half of all entitled voters; if more pass than
    places, the places go to the most yes votes; a tie at the last place is flagged for a run-off."""

    name = "approval_majority_of_entitled"
    label = gettext_lazy("差额票决（赞成票超过应到人数半数，按赞成票多少确定）")
    options = (
        Option("yes", gettext_lazy("赞成")),
        Option("no", gettext_lazy("反对")),
        Option("abstain", gettext_lazy("弃权")),
    )
    uses_places = True

    def check_setup(self, *, questions: int, places: int | None, min_extra: int) -> None:
        if not places or places < 1:
            raise ValidationError(_("请填写名额（至少1个）。"))
        if questions < places + min_extra:
            raise ValidationError(
                _(
                    "差额票决：候选项目须比名额至少多%(extra)d个（名额%(places)d个，须至少%(need)d个候选项目，现有%(have)d个）。"
                )
                % {"extra": min_extra, "places": places, "need": places + min_extra, "have": questions}
            )

    def check_choices(self, choices: dict[int, str], *, places: int | None) -> None:
        approvals = sum(1 for code in choices.values() if code == "yes")
        if approvals > places:
            raise ValidationError(
                _("最多只能对%(places)d个候选项目投赞成票（现为%(n)d个）。") % {"places": places, "n": approvals}
            )

    def outcome(self, *, totals, valid, entitled, places):
        yes = {position: counts.get("yes", 0) for position, counts in totals.items()}
        passed = sorted((p for p in yes if yes[p] * 2 > entitled), key=lambda p: (-yes[p], p))
        status = dict.fromkeys(yes, Status.FAILED)
        if len(passed) <= places:
            status.update(dict.fromkeys(passed, Status.ELECTED))
        else:
            last = yes[passed[places - 1]]  # the yes votes of the last place
            above = [p for p in passed if yes[p] > last]
            at_last = [p for p in passed if yes[p] == last]
            status.update(dict.fromkeys(above, Status.ELECTED))
            fits = len(above) + len(at_last) <= places
            status.update(dict.fromkeys(at_last, Status.ELECTED if fits else Status.RUNOFF))
            status.update({p: Status.SURPLUS for p in passed if yes[p] < last})
        elected = sum(1 for s in status.values() if s == Status.ELECTED)
        runoff = [p for p, s in status.items() if s == Status.RUNOFF]
        return {
            "questions": {str(p): {"status": status[p], "rank": _rank(p, passed)} for p in yes},
            "places": places,
            "elected": elected,
            "runoff": bool(runoff),
            "runoff_places": places - elected if runoff else 0,
            "unfilled": 0 if runoff else places - elected,
            "threshold": entitled // 2 + 1,
        }


def _rank(position: int, ranked: list[int]) -> int | None:
    return ranked.index(position) + 1 if position in ranked else None


class SatisfactionGrades(Rule):
    """测评 (DOMAIN.md "Livelihood projects", step 5): 满意 when 满意 votes exceed half of the valid ballots;
    基本满意 when 满意 + 基本满意 exceed half; otherwise 不满意 (which triggers rectification)."""

    name = "satisfaction_grades"
    label = gettext_lazy("满意度测评（满意、基本满意、不满意）")
    options = (
        Option("satisfied", gettext_lazy("满意")),
        Option("basic", gettext_lazy("基本满意")),
        Option("unsatisfied", gettext_lazy("不满意")),
    )

    def outcome(self, *, totals, valid, entitled, places):
        grades = {}
        for position, counts in totals.items():
            cast = sum(counts.values())
            satisfied, basic = counts.get("satisfied", 0), counts.get("basic", 0)
            if satisfied * 2 > cast:
                grade = Status.SATISFIED
            elif (satisfied + basic) * 2 > cast:
                grade = Status.BASIC
            else:
                grade = Status.UNSATISFIED
            grades[str(position)] = {"status": grade, "rank": None}
        return {"questions": grades}


RULES: dict[str, Rule] = {rule.name: rule for rule in (ApprovalMajorityOfEntitled(), SatisfactionGrades())}


def get(name: str) -> Rule:
    try:
        return RULES[name]
    except KeyError:
        raise ValidationError(_("未知的表决规则：%(name)s") % {"name": name}) from None


def choices() -> list[tuple[str, str]]:
    return [(rule.name, rule.label) for rule in RULES.values()]
