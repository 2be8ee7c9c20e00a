"""Demo funding for the four streets (Art 22); deterministic and idempotent."""

import datetime
import random
from decimal import Decimal

from committee import demo
from committee.funding.models import BudgetLine, Category, Expenditure, Source
from committee.models import Street, User

AMOUNTS = {Category.COMMITTEE_WORK: 80000, Category.COUNCIL: 50000, Category.LIAISON_STATION: 120000}
SOURCES = {
    Category.COMMITTEE_WORK: Source.STREET_BUDGET,
    Category.COUNCIL: Source.STREET_BUDGET,
    Category.LIAISON_STATION: Source.MUNICIPAL_BUDGET,
}
PURPOSES = {
    Category.COMMITTEE_WORK: ["工委季度会议资料印制", "代表视察调研交通费", "执法检查法律法规学习资料", "代表履职培训"],
    Category.COUNCIL: ["居民议事会会议场地布置", "议事员培训教材", "民生实事测评问卷印制", "议事会会议资料"],
    Category.LIAISON_STATION: [
        "联络站标识牌更新",
        "联络站接待室设备购置",
        "“码上找代表”二维码制作",
        "联络站网络服务费",
    ],
}


@demo.step()
def seed(*, background: bool = False) -> None:
    today = datetime.date.today()
    for street in Street.objects.filter(slug__in=demo.STREET_SLUGS).order_by("pk"):
        staff = User.objects.get(username=f"{street.slug}_staff")
        rng = random.Random(f"funding-{street.slug}")  # noqa: S311 - demo figures
        for year in (2025, 2026):
            for category in Category.values:
                if street.slug == "dongshan" and year == 2026 and category == Category.LIAISON_STATION:
                    continue  # one street has not yet budgeted its station for this year: the dashboard shows it
                line, _ = BudgetLine.objects.update_or_create(
                    street=street,
                    year=year,
                    category=category,
                    defaults={"source": SOURCES[category], "amount": Decimal(AMOUNTS[category])},
                )
                for month in range(1, 13):
                    spent_on = datetime.date(year, month, rng.randint(3, 27))
                    if spent_on > today:
                        break
                    Expenditure.objects.update_or_create(
                        budget_line=line,
                        voucher_no=f"{street.abbreviation}{year}{category[:2].upper()}{month:02d}",
                        defaults={
                            "street": street,
                            "spent_on": spent_on,
                            "amount": Decimal(rng.randrange(800, 6000, 50)),
                            "purpose": rng.choice(PURPOSES[category]),
                            "recorded_by": staff,
                        },
                    )
