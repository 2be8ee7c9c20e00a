"""Demo: a dashboard PDF the city account exported for 2026 Q3, so its export page shows one (rendered by the worker
after `seed_demo`, inline in tests). Idempotent: an existing export of the city account is left as it is."""

from committee import demo
from committee.compliance import services
from committee.compliance.models import Export
from committee.models import User
from committee.permissions import streets_where
from committee.roles import Capability


@demo.step(after=["supervision", "activities", "meetings", "party_reports", "funding"])  # what the rules read
def seed(*, background: bool = False) -> None:
    city = User.objects.get(username="xiangxiang_city")
    if Export.objects.filter(requested_by=city).exists():
        return
    streets = streets_where(city, Capability.VIEW_DASHBOARD)
    services.export_request(by=city, streets=streets, year=2026, quarter=3, filters={}, background=background)
