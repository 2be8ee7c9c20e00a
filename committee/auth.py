from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from committee.models import User


class MobileOrUsernameBackend(ModelBackend):
    """Log in with the username or the mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = User.objects.filter(Q(username=username) | Q(mobile=username)).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not tell
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
