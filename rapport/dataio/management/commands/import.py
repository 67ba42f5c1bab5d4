"""``manage.py import clients|managers|assignments FILE [--dry-run] [--map COLUMN=FIELD ...] --as USER``."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from rapport.assignment.management.commands._actor import actor_from, add_actor_argument
from rapport.dataio.management.commands._progress import ProgressBar
from rapport.dataio.readers import open_table
from rapport.dataio.report import Outcome
from rapport.dataio.schema import Kind, guess_mapping
from rapport.dataio.services import import_data


def _pair(text: str) -> tuple[str, str]:
    column, sep, field = text.partition("=")
    if not sep:
        raise ValueError(text)
    return column, field


class Command(BaseCommand):
    help = "Import clients, managers or current assignments from a CSV or XLSX file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Kind.VALUES)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")
        parser.add_argument(
            "--map",
            dest="mapping",
            action="append",
            type=_pair,
            default=[],
            metavar="COLUMN=FIELD",
            help="Map a column to a field (FIELD empty: skip the column); other columns are guessed by header.",
        )
        parser.add_argument("--limit", type=int, default=50, help="How many refused rows to list (default 50).")
        parser.add_argument("--report", type=Path, help="Write the whole report as JSON to this file.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")
        add_actor_argument(parser)

    def handle(self, *args, kind, file, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        actor = actor_from(options)
        try:
            headers = open_table(data, file.name).headers
            mapping = guess_mapping(kind, headers)
            mapping.update(dict(options["mapping"]))
            bar = ProgressBar(self.stderr._out) if not options["no_progress"] else None
            report = import_data(
                kind=kind,
                data=data,
                filename=file.name,
                mapping=mapping,
                actor=actor,
                dry_run=options["dry_run"],
                progress=bar or (lambda done, total, stage: None),
            )
            if bar:
                bar.finish()
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write("Columns: " + ", ".join(f"{c} -> {f}" for c, f in mapping.items() if f))
        counts = report.counts
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{report.total} rows: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['refused']} refused ({verb}; "
            f"{'dry run, nothing written' if options['dry_run'] else 'committed'})."
        )
        refused = [row for row in report.rows if row.outcome == Outcome.REFUSED]
        for row in refused[: options["limit"]]:
            reasons = "; ".join(f"{e.field}: {e.message} [{e.code}]" for e in row.errors)
            self.stdout.write(f"  line {row.line} {row.key or row.label}: {reasons}")
        if len(refused) > options["limit"]:
            self.stdout.write(f"  … and {counts['refused'] - options['limit']} more refused rows.")
        if options["report"]:
            options["report"].write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=1, default=str))
