import datetime

from committee.models import Membership, Street, User
from committee.roles import Capability, Role


def test_a_street_member_reads_only_their_street(staff_user, street):
    assert list(Street.objects.for_user(staff_user)) == [street]
    memberships = Membership.objects.for_user(staff_user)
    assert set(memberships.values_list("street_id", flat=True)) == {street.pk}


def test_the_city_reads_every_street_of_its_municipality(city_user):
    assert Street.objects.for_user(city_user).count() == 4


def test_the_city_does_not_read_another_municipality(city_user):
    from committee.models import Municipality

    other = Municipality.objects.create(
        name="韶山市", standing_committee_name="韶山市人大常委会", short_name="韶山人大"
    )
    Street.objects.create(municipality=other, name="清溪镇", slug="qingxi", abbreviation="清")
    assert not Street.objects.for_user(city_user).filter(slug="qingxi").exists()


def test_city_users_read_but_do_not_manage(city_user, street):
    assert city_user.has_capability(Capability.VIEW_STREET, street)
    assert not city_user.has_capability(Capability.MANAGE_PEOPLE, street)


def test_one_person_holds_roles_in_two_streets(staff_user, street, other_street):
    Membership.objects.create(user=staff_user, street=other_street, role=Role.DEPUTY)
    staff_user = User.objects.get(pk=staff_user.pk)  # memberships are read once per request
    assert set(Street.objects.for_user(staff_user)) == {street, other_street}
    assert staff_user.has_capability(Capability.MANAGE_PEOPLE, street)
    assert not staff_user.has_capability(Capability.MANAGE_PEOPLE, other_street)


def test_an_ended_membership_gives_no_access(staff_user, street):
    Membership.objects.filter(user=staff_user).update(ended_on=datetime.date.today() - datetime.timedelta(days=1))
    staff_user = User.objects.get(pk=staff_user.pk)
    assert not Street.objects.for_user(staff_user).exists()
    assert not staff_user.has_capability(Capability.VIEW_STREET, street)


def test_anonymous_reads_nothing(street):
    from django.contrib.auth.models import AnonymousUser

    assert not Street.objects.for_user(AnonymousUser()).exists()
