"""``manage.py purge-deleted [--dry-run] --as USER``: remove for good the clients, managers and cases deleted longer
ago than ``RAPPORT["RESTORE_DAYS"]``; a row that kept records still point at is anonymised (clients) or kept
hidden. Idempotent: a second run finds nothing more to do."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rapport.accounts import roles
from rapport.assignment.management.commands._actor import actor_from
from rapport.cases.deletion import purge_deleted
from rapport.core.softdelete import restore_days


class Command(BaseCommand):
    help = "Remove for good (or anonymise) the clients, managers and cases deleted before the restore window."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be purged; change nothing.")
        parser.add_argument("--as", dest="actor", help="Username of the Management user acting (required to purge).")

    def handle(self, *args, **options):
        if options["actor"]:
            actor = actor_from(options)
            if not roles.is_management(actor):
                raise CommandError(f"{options['actor']!r} is not Management: only Management purges deleted rows.")
        elif not options["dry_run"]:
            raise CommandError("--as USER is required (a Management user), except with --dry-run.")
        else:
            actor = None
        with transaction.atomic():
            counts = _dry_run_counts() if actor is None else purge_deleted(actor=actor)
            if options["dry_run"]:
                transaction.set_rollback(True)
        verb = "Would purge" if options["dry_run"] else "Purged"
        self.stdout.write(f"{verb} rows deleted more than {restore_days()} days ago:")
        for model, figures in counts.items():
            self.stdout.write(f"  {model}: " + ", ".join(f"{key} {value}" for key, value in figures.items()))


def _dry_run_counts() -> dict[str, dict[str, int]]:
    """Without an acting user, a dry run only counts the rows past the window."""
    from rapport.cases.models import Case
    from rapport.clients.models import Client
    from rapport.managers.models import ClientManager

    return {
        name: {"due": model.all_objects.deleted().purgeable().count()}
        for name, model in (("cases", Case), ("clients", Client), ("managers", ClientManager))
    }
