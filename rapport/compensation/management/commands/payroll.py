"""``manage.py payroll calculate|approve|whatif``: pay periods from the command line, acting as a named user so
authority and history work as in the UI."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from rapport.assignment.management.commands._actor import actor_from
from rapport.compensation import selectors, services
from rapport.compensation.forms import WHATIF_MAX_MONTHS
from rapport.compensation.models import PayPeriod, PlanVersion
from rapport.core.money import quantize


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"Not a month (YYYY-MM): {value!r}.") from exc


def _add_actor(parser) -> None:
    parser.add_argument("--as", dest="actor", required=True, help="Username of the Payroll user acting.")


class Command(BaseCommand):
    help = "Calculate or approve a month's pay, or try a plan version on past months."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        calculate = sub.add_parser("calculate", help="Calculate (or recalculate) a month now.")
        calculate.add_argument("--month", required=True, help="The month, YYYY-MM.")
        _add_actor(calculate)
        approve = sub.add_parser("approve", help="Approve (lock) a calculated month.")
        approve.add_argument("--month", required=True, help="The month, YYYY-MM.")
        approve.add_argument("--force", action="store_true", help="Approve although queries are open.")
        approve.add_argument("--note", default="", help="Why (required with --force when queries are open).")
        _add_actor(approve)
        whatif = sub.add_parser("whatif", help="What a plan version would have paid in past months (saves nothing).")
        whatif.add_argument("--month", required=True, help="The first month, YYYY-MM.")
        whatif.add_argument("--to", help="The last month, YYYY-MM (default: the first).")
        whatif.add_argument("--version", type=int, required=True, help="The plan version's id.")
        _add_actor(whatif)

    def handle(self, *args, action, **options):
        actor = actor_from(options)
        try:
            if action == "calculate":
                self._calculate(actor, _month(options["month"]))
            elif action == "approve":
                self._approve(actor, _month(options["month"]), options["force"], options["note"])
            else:
                self._whatif(actor, options)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc) or "Permission denied."]))) from exc

    def _bar(self, percent: int) -> None:
        filled = percent // 5
        self.stdout.write(f"\r[{'#' * filled}{'.' * (20 - filled)}] {percent:3d}%", ending="")
        self.stdout.flush()

    def _calculate(self, actor, month: datetime.date) -> None:
        period = services.period_get_or_open(month=month, actor=actor)
        result = services.period_calculate(period=period, actor=actor, progress=self._bar)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{month:%Y-%m} calculated: {result['statements']} statements, "
                f"{result['adjustments']} adjustments for approved months."
            )
        )
        if result["unpaid"]:
            self.stdout.write(f"On no plan (not paid): managers {', '.join(map(str, result['unpaid']))}.")
        for summary in selectors.period_summary(user=actor, period=period):
            self.stdout.write(f"Total {summary.total} {summary.currency} over {summary.count} statements.")

    def _approve(self, actor, month: datetime.date, force: bool, note: str) -> None:
        period = PayPeriod.objects.filter(month=month).first()
        if period is None:
            raise CommandError(f"{month:%Y-%m} has no pay period: calculate it first.")
        services.period_approve(period=period, actor=actor, force=force, note=note)
        self.stdout.write(self.style.SUCCESS(f"{month:%Y-%m} approved."))

    def _whatif(self, actor, options) -> None:
        start = _month(options["month"])
        end = _month(options["to"]) if options["to"] else start
        if end < start:
            raise CommandError("--to comes before --month.")
        months = []
        month = start
        while month <= end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        if len(months) > WHATIF_MAX_MONTHS:
            raise CommandError(f"At most {WHATIF_MAX_MONTHS} months at a time.")
        version = PlanVersion.objects.visible_to(actor).select_related("plan").filter(pk=options["version"]).first()
        if version is None:
            raise CommandError(f"No plan version {options['version']}.")
        result = selectors.whatif_result(user=actor, months=months, currency=version.plan.currency, version=version)
        currency = result["currency"]

        def q(value):
            # Sums of rounded amounts: shown in the currency's unit (the value does not change).
            return quantize(value, currency)

        self.stdout.write(f"What-if of {version} ({currency}):")
        self.stdout.write(f"{'month':<8} {'paid':>14} {'what-if':>14} {'difference':>14}")
        for row in result["months"]:
            self.stdout.write(
                f"{row['month']:%Y-%m}  {q(row['paid'])!s:>14} {q(row['whatif'])!s:>14} {q(row['difference']):>+14}"
            )
        self.stdout.write(
            f"{'total':<8} {q(result['paid'])!s:>14} {q(result['whatif'])!s:>14} {q(result['difference']):>+14}"
        )
        for row in result.get("managers", []):
            paid = "-" if row["paid"] is None else q(row["paid"])
            self.stdout.write(
                f"  {row['month']:%Y-%m} {row['name']:<30} {paid!s:>14} {q(row['whatif']):>14} "
                f"{q(row['difference']):>+14}"
            )
