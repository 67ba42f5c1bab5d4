"""``manage.py depart --manager X --on DATE [--dry-run] [--queue] --as USER``: a manager leaves."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rapport.assignment import departure
from rapport.assignment.management.commands._actor import actor_from, add_actor_argument
from rapport.managers.models import ClientManager


class Command(BaseCommand):
    help = "Dismiss a client manager and hand every client over in one step (or show where they would go)."

    def add_arguments(self, parser):
        parser.add_argument("--manager", required=True, help="Manager id or username.")
        parser.add_argument("--on", dest="effective_on", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--dry-run", action="store_true", help="Only show where each client would go.")
        parser.add_argument(
            "--queue", action="store_true", help="Put clients that cannot be placed in the needs-a-manager queue."
        )
        add_actor_argument(parser)

    def handle(self, *args, **options):
        value = options["manager"]
        lookup = {"pk": int(value)} if value.isdigit() else {"user__username": value}
        manager = ClientManager.objects.select_related("user").filter(**lookup).first()
        if manager is None:
            raise CommandError(f"No manager {value!r}.")
        actor = actor_from(options)
        try:
            if options["dry_run"]:
                with transaction.atomic():
                    plan = departure.departure_preview(
                        manager=manager, effective_on=options["effective_on"], actor=actor
                    )
                    self._show(plan)
                    transaction.set_rollback(True)
                return
            plan = departure.manager_depart(
                manager=manager, effective_on=options["effective_on"], actor=actor, queue_unplaced=options["queue"]
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self._show(plan)
        self.stdout.write(self.style.SUCCESS(f"{manager.name} has left; plan {plan.pk} applied."))

    def _show(self, plan) -> None:
        for change in plan.changes.select_related("client", "from_manager__user", "to_manager__user", "reason"):
            self.stdout.write(
                f"  {change.client.name:<40} {change.from_manager or '-'} -> {change.to_manager or '-'}: "
                + "; ".join(change.explanation())
            )
