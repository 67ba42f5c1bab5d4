"""``manage.py insight report``: the monthly management report as a PDF file, as a named user sees it (so a
scheduled job writes exactly what that person would download from the dashboard)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from rapport.assignment.management.commands._actor import actor_from
from rapport.insight import panels, report
from rapport.insight.filters import add_months, month_start


def _month(value: str | None) -> datetime.date:
    if not value:
        return add_months(month_start(timezone.localdate()), -1)
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"Not a month (YYYY-MM): {value!r}.") from exc


class Command(BaseCommand):
    help = "Write the monthly management report as PDF."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        write = sub.add_parser("report", help="Write the report of a month (last month by default).")
        write.add_argument("--month", help="The month, YYYY-MM (default: last month).")
        write.add_argument("--output", help="The file to write (default: rapport-report-YYYY-MM.pdf).")
        write.add_argument("--language", default="en", help="en, hu or ru (default: en).")
        write.add_argument("--as", dest="actor", required=True, help="Username of the Management user reading it.")

    def handle(self, *args, action, **options):
        actor = actor_from(options)
        if not panels.sees_clients_panels(actor):
            raise CommandError(f"{actor.get_username()} may not read the management report.")
        languages = [code for code, _name in settings.LANGUAGES]
        if options["language"] not in languages:
            raise CommandError(f"Unknown language {options['language']!r}; one of {', '.join(languages)}.")
        month = _month(options["month"])
        path = Path(options["output"] or f"rapport-report-{month:%Y-%m}.pdf")
        with translation.override(options["language"]):
            content = report.render(user=actor, month=month)
        path.write_bytes(content)
        self.stdout.write(f"Wrote {path} ({len(content)} bytes).")
