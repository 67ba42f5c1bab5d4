"""``manage.py ratings send-pending [--dry-run]``: send the rating e-mails that have not gone out."""

from django.core.management.base import BaseCommand

from rapport.feedback import services


class Command(BaseCommand):
    help = "Rating requests from the command line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser(
            "send-pending",
            help="Send every rating request not sent yet and made within the link lifetime (RATING_LINK_DAYS).",
        )
        send.add_argument("--dry-run", action="store_true", help="Only count what would be sent.")

    def handle(self, *args, action, **options):
        if action == "send-pending":
            self._send_pending(dry_run=options["dry_run"])

    def _send_pending(self, *, dry_run: bool) -> None:
        report = services.rating_requests_send_pending(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"Would send {len(report.sent)} rating request(s).")
            return
        for request_id, error in report.failed:
            self.stderr.write(f"Rating request {request_id} failed: {error}")
        summary = f"Sent {len(report.sent)} rating request(s); {len(report.failed)} failed."
        self.stdout.write(self.style.ERROR(summary) if report.failed else self.style.SUCCESS(summary))
