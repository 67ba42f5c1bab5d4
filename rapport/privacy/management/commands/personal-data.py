"""``manage.py personal-data export --client ID [--output FILE]`` and
``manage.py personal-data erase --client ID --as USER [--dry-run]``: subject access and erasure of a client."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from rapport.accounts import roles
from rapport.assignment.management.commands._actor import actor_from
from rapport.clients.models import Client
from rapport.privacy import services


class Command(BaseCommand):
    help = "A client's personal data: export it (subject access) or erase it (anonymise, history included)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write every piece of a client's personal data as JSON.")
        export.add_argument("--client", type=int, required=True, help="The client's id.")
        export.add_argument("--output", help="The file to write (default: standard output).")
        export.add_argument("--as", dest="actor", help="Username of the Management user exporting (logged).")
        erase = sub.add_parser("erase", help="Anonymise a client and their personal data everywhere.")
        erase.add_argument("--client", type=int, required=True, help="The client's id.")
        erase.add_argument("--as", dest="actor", required=True, help="Username of the Management user erasing.")
        erase.add_argument("--dry-run", action="store_true", help="Only show the holds and the rows that would change.")

    def handle(self, *args, action, **options):
        client = Client.all_objects.filter(pk=options["client"]).first()  # deleted clients too
        if client is None:
            raise CommandError(f"No client {options['client']}.")
        actor = actor_from(options) if options.get("actor") else None
        if actor is not None and not roles.is_management(actor):
            raise CommandError(f"{actor.username!r} is not Management: only Management handles personal data.")
        if action == "export":
            self._export(client, actor, options.get("output"))
        else:
            self._erase(client, actor, options["dry_run"])

    def _export(self, client, actor, output) -> None:
        text = json.dumps(services.export_client(client=client, actor=actor), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Client {client.pk}: personal data written to {output}.")
        else:
            self.stdout.write(text)

    def _erase(self, client, actor, dry_run: bool) -> None:
        if dry_run:
            holds = services.client_holds(client)
            for hold in holds:
                self.stdout.write(f"hold {hold.name}: {hold.message}")
            for label, count in services.erasure_plan(client).items():
                self.stdout.write(f"{label}: {count} row(s)")
            self.stdout.write("Dry run: nothing changed." if not holds else "Dry run: the holds refuse the erasure.")
            return
        try:
            services.erase_client(client=client, actor=actor)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(f"Client {client.pk} anonymised.")
