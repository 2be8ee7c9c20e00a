from django.utils.translation import gettext_lazy as _

from committee import rules
from committee.roles import Capability, Role

# The chapters of the rules that the navigation follows (chapters 1-2 are general principles and duties),
# with the short label the menu shows; the full chapter title is the link's tooltip.
NAV_CHAPTERS = {3: _("会议"), 4: _("监督"), 5: _("代表"), 6: _("联络站"), 7: _("基层治理"), 8: _("工作保障")}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    capabilities = user.capabilities_anywhere()
    return {
        "nav_chapters": [(c, NAV_CHAPTERS[c.number]) for c in rules.chapters() if c.number in NAV_CHAPTERS],
        "nav_capabilities": capabilities,
        # Everything base.html's menu depends on: it is rendered once per process and key (`rendered_once_per`).
        "nav_key": (capabilities, Role.DEPUTY in user.roles()),
        "Capability": Capability,
    }
