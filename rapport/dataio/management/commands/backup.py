"""``manage.py backup [--output FILE]``: an online backup of the database (SQLite backup API, or pg_dump)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rapport.dataio.backup import backup_database


class Command(BaseCommand):
    help = "Back the database up while the app runs: SQLite through its backup API, PostgreSQL with pg_dump."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The backup file (default: rapport-<date>-<time>.*).")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, **options):
        try:
            written = backup_database(output=options["output"], alias=options["database"])
        except (OSError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backed up to {written} ({written.stat().st_size:,} bytes)."))
