"""The deputy's home: my 码上找代表 page, to share and to print (committee/homepage.py)."""

from committee.homepage import Section, register
from committee.roles import Role
from deputies.selectors import deputy_of


@register
def my_contact_page(request):
    user = request.user
    if not any(m.role == Role.DEPUTY for m in user.active_memberships):
        return None  # no query for people who are not deputies
    deputy = deputy_of(user)
    if deputy is None or not deputy.in_office:
        return None
    return Section(
        "deputies/_home.html", {"deputy": deputy, "url": request.build_absolute_uri(deputy.public_url())}, order=30
    )
