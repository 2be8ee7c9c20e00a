"""base.html's menu is rendered once per process and capability set (`{% rendered_once_per nav_key %}`): the same
HTML as a fresh rendering, and each person still gets the menu of their own capabilities."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import RequestContext, Template, engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from committee.roles import Role
from tests.conftest import account

BACKEND = "committee.auth.MobileOrUsernameBackend"
DASHBOARD = f'href="{reverse("compliance:dashboard")}"'
MY_PROFILE = f'href="{reverse("deputies:profile")}"'


def _request(user):
    request = RequestFactory().get("/")
    request.user, request.session = user, {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("role", [Role.STAFF, Role.DIRECTOR, Role.DEPUTY, Role.HANDLING_UNIT])
def test_the_remembered_menu_is_the_fresh_rendering(demo_data, role):
    user = account("wangchunmen", role)
    render_to_string("base.html", request=_request(user))  # remembered now
    remembered = render_to_string("base.html", request=_request(user))
    source = Path(settings.BASE_DIR, "templates", "base.html").read_text()
    fresh = Template(source, engine=engines["django"].engine).render(RequestContext(_request(user)))  # new nodes
    menu = '<div class="collapse navbar-collapse"'
    assert menu in remembered and "navbar-nav me-auto" in remembered
    assert remembered.split(menu)[1] == fresh.split(menu)[1].replace(_csrf(fresh), _csrf(remembered))


def _csrf(html):
    return html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_each_person_gets_the_menu_of_their_own_capabilities(client, city_user, demo_data):
    deputy = account("wangchunmen", Role.DEPUTY)
    for _ in range(2):  # the second round reads the remembered menus
        client.force_login(city_user, backend=BACKEND)
        page = client.get(reverse("home")).content.decode()
        assert DASHBOARD in page and MY_PROFILE not in page
        client.force_login(deputy, backend=BACKEND)
        page = client.get(reverse("home")).content.decode()
        assert DASHBOARD not in page and MY_PROFILE in page
