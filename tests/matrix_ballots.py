"""Permission-matrix rows of the ballot engine (committee.ballots). The object is 望春门's demo ballot: a closed
satisfaction evaluation whose roll holds the council members and 望春门's demo deputy (so the deputy opens the
phone page; committee staff and the city, not on the roll, get 403)."""

from django.urls import reverse

from committee.ballots import demo
from committee.ballots.models import Ballot, Voter
from tests.matrix import every, row, street


def ballot() -> Ballot:
    return Ballot.objects.get(street=street(), title=demo.TITLE)


def voter() -> Voter:
    return ballot().voters.order_by("position").first()


READ = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=200)
MANAGE = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403)
# Steps already taken on a closed ballot send managers back to the ballot.
DONE = row(staff=302, other_staff=404, director=302, deputy=403, handling_unit=403, city=403)
PUBLIC = every(200, anonymous=200)

ROWS = {
    "ballots:list": (
        lambda: reverse("ballots:list"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200),
    ),
    "ballots:add": (
        lambda: reverse("ballots:add"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "ballots:mine": (lambda: reverse("ballots:mine"), every(200)),
    "ballots:detail": (lambda: reverse("ballots:detail", args=[ballot().pk]), READ),
    "ballots:open": (lambda: reverse("ballots:open", args=[ballot().pk]), DONE),
    "ballots:discard": (lambda: reverse("ballots:discard", args=[ballot().pk]), DONE),
    "ballots:end_voting": (lambda: reverse("ballots:end_voting", args=[ballot().pk]), DONE),
    "ballots:close": (lambda: reverse("ballots:close", args=[ballot().pk]), DONE),
    "ballots:recount": (lambda: reverse("ballots:recount", args=[ballot().pk]), MANAGE),
    "ballots:roll": (lambda: reverse("ballots:roll", args=[ballot().pk]), MANAGE),
    "ballots:issue_paper": (lambda: reverse("ballots:issue_paper", args=[voter().pk]), every(405)),  # POST only
    "ballots:paper_entry": (lambda: reverse("ballots:paper_entry", args=[ballot().pk]), MANAGE),
    "ballots:count_sheet": (lambda: reverse("ballots:count_sheet", args=[ballot().pk]), MANAGE),
    # Voters vote by being on the roll: only the deputy is; another street's ballot is 404.
    "ballots:vote": (
        lambda: reverse("ballots:vote", args=[ballot().pk]),
        row(staff=403, other_staff=404, director=403, deputy=200, handling_unit=403, city=403),
    ),
    "ballots:slip": (lambda: reverse("ballots:slip"), PUBLIC),
    "ballots:result": (lambda: reverse("ballots:result", args=[ballot().token]), PUBLIC),
    "ballots:result_votes": (lambda: reverse("ballots:result_votes", args=[ballot().token]), PUBLIC),
    "ballots:result_data": (lambda: reverse("ballots:result_data", args=[ballot().token]), PUBLIC),
}
