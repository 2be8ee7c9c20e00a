"""Every write to people and memberships. Views and commands call these; nothing else writes the models."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import Membership, Street, User
from committee.permissions import require
from committee.roles import Capability, Role


def initial_password() -> str:
    """A password the staff hand to a new person, who is asked to change it."""
    return secrets.token_urlsafe(9)


@transaction.atomic
def person_add(
    *,
    by: User,
    street: Street,
    full_name: str,
    mobile: str,
    role: str,
    title: str = "",
    email: str = "",
    full_time: bool = True,
    started_on: datetime.date | None = None,
) -> tuple[Membership, str | None]:
    """Give a person a role in a street. A person already known by this mobile number keeps their account;
    a new person gets an account and an initial password (returned once, never stored in clear)."""
    require(by, Capability.MANAGE_PEOPLE, street)
    if role == Role.CITY:
        raise ValidationError(_("市人大常委会的账号由系统管理员设置。"))
    password = None
    user = User.objects.select_for_update().filter(mobile=mobile).first()
    if user is None:
        password = initial_password()
        user = User(username=mobile, mobile=mobile, full_name=full_name, email=email)
        user.set_password(password)
        user.full_clean()
        user.save()
    if Membership.objects.filter(user=user, street=street, role=role, ended_on__isnull=True).exists():
        raise ValidationError(_("%(name)s 已在本街道担任该角色。") % {"name": user.full_name})
    membership = Membership(
        user=user, street=street, role=role, title=title, started_on=started_on or timezone.localdate()
    )
    membership.full_clean()
    membership.save()
    return membership, password


@transaction.atomic
def person_update(
    *, by: User, membership: Membership, full_name: str, mobile: str, email: str, title: str, full_time: bool
) -> Membership:
    """Correct a person's details and the title and full-time status of one of their roles."""
    require(by, Capability.MANAGE_PEOPLE, membership.street)
    user = membership.user
    user.full_name, user.mobile, user.email = full_name, mobile, email
    user.full_clean(exclude=["password", "username"])
    user.save()
    membership.title, membership.full_time = title, full_time
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, by: User, membership: Membership, ended_on: datetime.date) -> Membership:
    """End a role (离任). The row stays, so history and audit keep pointing at it."""
    require(by, Capability.MANAGE_PEOPLE, membership.street)
    if not membership.is_active:
        raise ValidationError(_("该任职已结束。"))
    if ended_on < membership.started_on:
        raise ValidationError(_("离任日期不能早于任职日期。"))
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    return membership
