"""The deputy's home gathers the chapter's sections (committee/homepage.py): my duties and points, my latest
suggestions, my 码上找代表 page. Other people's homes show none of them."""

from django.urls import reverse

from deputies.models import Deputy


def test_a_deputy_home_shows_duties_suggestions_and_the_contact_page(login, demo_data):
    from tests.conftest import account

    deputy = account("wangchunmen", "deputy")
    html = login(deputy).get(reverse("home")).content.decode()
    assert "我的履职" in html
    assert "我的建议" in html and reverse("suggestions:add") in html
    assert Deputy.objects.get(user=deputy).public_url() in html


def test_staff_homes_show_no_deputy_sections(login, staff_user):
    html = login(staff_user).get(reverse("home")).content.decode()
    assert reverse("suggestions:add") not in html
    assert "群众扫码即可给您留言" not in html
