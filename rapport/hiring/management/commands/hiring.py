"""``manage.py hiring anonymise [--days N] [--dry-run] --as USER``: anonymise candidates past the retention period.

Candidates who were not hired and did not consent to be kept are anonymised ``--days`` (default
``RAPPORT["CANDIDATE_RETENTION_DAYS"]``) after their last activity. ``manage.py hiring check-text FILE`` runs the
wording checker over a vacancy text (``-`` reads standard input) and exits 1 when it finds a blocking phrase.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rapport.accounts import roles
from rapport.assignment.management.commands._actor import actor_from, add_actor_argument
from rapport.hiring.adcheck import check_text
from rapport.hiring.explain import flag_sentence
from rapport.hiring.retention import candidate_anonymise, expired_candidates


class Command(BaseCommand):
    help = "HR housekeeping: anonymise candidates past the retention period; check a vacancy text."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        anonymise = sub.add_parser("anonymise", help="Anonymise candidates past the retention period.")
        anonymise.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Days after the last activity (default RAPPORT['CANDIDATE_RETENTION_DAYS'], "
            f"now {settings.RAPPORT['CANDIDATE_RETENTION_DAYS']}).",
        )
        anonymise.add_argument("--dry-run", action="store_true", help="Only list the candidates that are due.")
        add_actor_argument(anonymise)
        check = sub.add_parser("check-text", help="Flag discriminatory wording in a vacancy text.")
        check.add_argument("file", help="A text file, or - for standard input.")

    def handle(self, *args, action, **options):
        if action == "check-text":
            return self._check(options["file"])
        days = options["days"]
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative.")
        actor = actor_from(options)
        if not roles.is_hr(actor):
            raise CommandError(f"{actor.username!r} is not HR: only HR anonymises candidates.")
        due = list(expired_candidates(days=days))
        for candidate in due:
            line = f"#{candidate.pk} (last activity {candidate.last_activity_at:%Y-%m-%d}, {candidate.status})"
            if options["dry_run"]:
                self.stdout.write(f"  would anonymise {line}")
                continue
            candidate_anonymise(actor=actor, candidate=candidate, reason="retention")
            self.stdout.write(f"  anonymised {line}")
        verb = "Would anonymise" if options["dry_run"] else "Anonymised"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(due)} candidate(s)."))
        return None

    def _check(self, path: str) -> None:
        if path == "-":
            text = sys.stdin.read()
        else:
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except OSError as exc:
                raise CommandError(str(exc)) from exc
        flags = check_text(text)
        for flag in flags:
            self.stdout.write(f"{flag.severity.upper():5} «{flag.text}» ({flag.code}): {flag_sentence(flag)}")
        if any(flag.blocks for flag in flags):
            raise CommandError(f"{sum(f.blocks for f in flags)} blocking phrase(s).")
        self.stdout.write(self.style.SUCCESS("No blocking phrase." if flags else "Nothing flagged."))
