"""The one table of legal moves of a case (issue 4 §2). A service asks `check(action, state)` before it moves a
case; anything not in the table is refused with a Chinese message naming the action and the current state."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.models import State

# action: (label, states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "answer_on_spot": (gettext_lazy("当场答复"), (State.REGISTERED,), State.ANSWERED),
    "assign": (gettext_lazy("交办"), (State.REGISTERED, State.RETURNED), State.ASSIGNED),
    "escalate": (gettext_lazy("提交市人大常委会"), (State.REGISTERED, State.RETURNED), State.ESCALATED),
    "convert": (gettext_lazy("转为代表建议"), (State.REGISTERED, State.RETURNED), State.CONVERTED),
    "return": (gettext_lazy("退回（交办有误）"), (State.ASSIGNED,), State.RETURNED),
    "accept": (gettext_lazy("签收"), (State.ASSIGNED,), State.ACCEPTED),
    "start": (gettext_lazy("开始办理"), (State.ACCEPTED,), State.IN_PROGRESS),
    "reply": (gettext_lazy("书面答复"), (State.ACCEPTED, State.IN_PROGRESS), State.REPLIED),
    "rate": (gettext_lazy("评价"), (State.REPLIED,), State.RATED),
    "reopen": (gettext_lazy("二次办理"), (State.RATED,), State.IN_PROGRESS),
    "close": (
        gettext_lazy("办结"),
        (State.ANSWERED, State.ESCALATED, State.CONVERTED, State.REPLIED, State.RATED),
        State.CLOSED,
    ),
}


def allowed(action: str, state: str) -> bool:
    return state in TRANSITIONS[action][1]


def check(action: str, state: str) -> str:
    """The state the action leads to; ValidationError when the case's state does not allow it."""
    label, sources, target = TRANSITIONS[action]
    if state not in sources:
        raise ValidationError(
            _("当前状态为“%(state)s”，不能%(action)s。") % {"state": State(state).label, "action": label}
        )
    return target


def actions_from(state: str) -> list[str]:
    return [action for action, (_label, sources, _target) in TRANSITIONS.items() if state in sources]
