"""``manage.py restore FILE [--force]``: replace the database with a backup made by ``manage.py backup``."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rapport.dataio.backup import restore_database


class Command(BaseCommand):
    help = "Restore a backup into the database; refuses a database that holds users or clients unless --force."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="Replace a database that already holds data.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, file, **options):
        try:
            restore_database(backup=file, force=options["force"], alias=options["database"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except (OSError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {file}."))
