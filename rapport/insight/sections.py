"""The dashboard's sections: which tables and charts each shows, for the sections the user may see."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rapport.insight import charts, panels
from rapport.insight.filters import Filters
from rapport.insight.tables import Table

PAY_SERIES = ("base", "allowance", "bonus", "correction")


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: dict = field(default_factory=dict)
    intro: str = ""


def dashboard_sections(user, f: Filters) -> list[Section]:
    sections = []
    if panels.sees_clients_panels(user):
        loads = panels.loads(user, f)
        portfolio = Section(
            "portfolio",
            _("Portfolio"),
            intro=_("The client base now: who needs a manager, VIP coverage and how well motivations are matched."),
        )
        portfolio.tables = [
            panels.portfolio_table(user, f),
            panels.load_table(user, f, rows=loads),
            panels.load_bands_table(user, f, rows=loads),
            panels.groups_table(user, f),
        ]
        portfolio.charts["load"] = charts.load_bars(
            [(load.manager.name, load.clients, load.manager.capacity) for load in loads[: panels.LIMIT]]
        )
        sections.append(portfolio)
        sections.append(
            Section(
                "risk",
                _("Key-person risk"),
                tables=[panels.risk_table(user, f)],
                intro=_(
                    "How much of the base one departure would put at risk, and how much of the clients' knowledge "
                    "is written down where a successor can read it."
                ),
            )
        )
        acquisitions = panels.acquisitions_table(user, f)
        winning = Section("winning", _("Winning and serving"))
        winning.tables = [
            acquisitions,
            panels.acquirers_table(user, f),
            panels.funnel_table(user, f),
            panels.served_table(user, f),
            panels.cases_table(user, f),
        ]
        winning.charts["acquisitions"] = charts.stacked_columns(
            [(row[0].text, [row[1].value]) for row in acquisitions.rows]
        )
        sections.append(winning)
    if panels.sees_ratings_panels(user):
        ids, rated = panels.most_rated(user, f, panels.LIMIT)
        trends = panels.rating_trends(user, f, manager_ids=ids)
        ratings = Section("ratings", _("Ratings"), tables=[panels.ratings_table(user, f, rows=trends, total=rated)])
        ratings.charts["sparklines"] = [
            (
                trend.manager.name,
                charts.sparkline([summary.smoothed if summary else None for _month, summary in trend.months]),
            )
            for trend in trends[: panels.LIMIT]
        ]
        sections.append(ratings)
    if panels.sees_pay_panels(user):
        rows = panels.pay_rows(user, f)
        pay = Section("pay", _("Pay"), tables=[panels.pay_table(user, f, rows=rows), panels.bands_table(user, f)])
        by_currency: dict[str, list] = {}
        for totals in rows:
            by_currency.setdefault(totals.currency, []).append(
                (
                    f"{totals.period.month:%Y-%m}",
                    [
                        totals.amount(panels.LineKind.BASE),
                        totals.amount(*panels.ALLOWANCE_KINDS),
                        totals.amount(*panels.BONUS_KINDS) + totals.amount(panels.LineKind.CAP),
                        totals.amount(*panels.CORRECTION_KINDS),
                    ],
                )
            )
        pay.charts["pay"] = [(currency, charts.stacked_columns(series)) for currency, series in by_currency.items()]
        sections.append(pay)
    return sections
