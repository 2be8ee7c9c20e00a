from committee import rules
from committee.roles import Capability

# The chapters of the rules that the navigation follows (chapters 1-2 are general principles and duties).
NAV_CHAPTERS = (3, 4, 5, 6, 7, 8)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_chapters": [chapter for chapter in rules.chapters() if chapter.number in NAV_CHAPTERS],
        "nav_capabilities": user.capabilities_anywhere(),
        "Capability": Capability,
    }
