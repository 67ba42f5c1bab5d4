"""``manage.py cases close-resolved [--days N] [--dry-run] --as USER``: close cases resolved long enough ago."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.assignment.management.commands._actor import actor_from, add_actor_argument
from rapport.cases import services
from rapport.cases.choices import CaseStatus
from rapport.cases.models import Case


class Command(BaseCommand):
    help = "Case housekeeping: close cases resolved at least N days ago."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        close = sub.add_parser("close-resolved", help="Close cases resolved at least N days ago.")
        close.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Days after resolution (default RAPPORT['CASE_AUTO_CLOSE_DAYS'], "
            f"now {settings.RAPPORT['CASE_AUTO_CLOSE_DAYS']}).",
        )
        close.add_argument("--dry-run", action="store_true", help="Only list the cases that would be closed.")
        add_actor_argument(close)

    def handle(self, *args, action, **options):
        days = options["days"] if options["days"] is not None else settings.RAPPORT["CASE_AUTO_CLOSE_DAYS"]
        if days < 0:
            raise CommandError("--days cannot be negative.")
        actor = actor_from(options)
        if not roles.is_management(actor):
            raise CommandError(f"{actor.username!r} is not Management: only Management closes other people's cases.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        due = Case.objects.filter(status=CaseStatus.RESOLVED, resolved_at__lte=cutoff).order_by("resolved_at", "id")
        note = _("Closed automatically %(days)d days after the resolution.") % {"days": days}
        closed = skipped = 0
        for case in due.iterator():
            if options["dry_run"]:
                self.stdout.write(f"  would close #{case.pk} {case.subject} (resolved {case.resolved_at:%Y-%m-%d})")
                closed += 1
                continue
            try:
                services.case_close(case=case, actor=actor, note=note)
            except ValidationError as exc:
                # Changed meanwhile (e.g. reopened): leave it.
                self.stderr.write(f"  skipped #{case.pk}: " + " ".join(exc.messages))
                skipped += 1
                continue
            closed += 1
        verb = "Would close" if options["dry_run"] else "Closed"
        summary = f"{verb} {closed} case(s) resolved at least {days} days ago."
        if skipped:
            summary += f" Skipped {skipped}."
        self.stdout.write(self.style.SUCCESS(summary))
