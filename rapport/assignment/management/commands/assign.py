"""``manage.py assign plan|show|apply|discard``: assignment plans from the command line."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from rapport.assignment import plans
from rapport.assignment.management.commands._actor import actor_from, add_actor_argument
from rapport.assignment.models import AssignmentPlan


class Command(BaseCommand):
    help = "Compute, show, apply or discard an assignment plan."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("plan", help="Compute a new plan and store it as a draft.")
        add_actor_argument(run)
        run.add_argument("--apply", action="store_true", help="Apply the plan right away.")
        show = sub.add_parser("show", help="Show a plan and its changes.")
        show.add_argument("plan", type=int)
        show.add_argument("--limit", type=int, default=50, help="How many changes to list (default 50).")
        for name in ("apply", "discard"):
            p = sub.add_parser(name, help=f"{name.capitalize()} a draft plan.")
            p.add_argument("plan", type=int)
            add_actor_argument(p)

    def handle(self, *args, action, **options):
        try:
            if action == "plan":
                plan = plans.assignment_plan_create(actor=actor_from(options), progress=self._bar)
                self.stdout.write("")
                self._summary(plan)
                if options["apply"]:
                    plans.assignment_plan_apply(plan=plan, actor=actor_from(options))
                    self.stdout.write(self.style.SUCCESS(f"Plan {plan.pk} applied."))
            elif action == "show":
                self._summary(self._plan(options["plan"]))
                self._changes(self._plan(options["plan"]), options["limit"])
            elif action == "apply":
                plans.assignment_plan_apply(plan=self._plan(options["plan"]), actor=actor_from(options))
                self.stdout.write(self.style.SUCCESS(f"Plan {options['plan']} applied."))
            else:
                plans.assignment_plan_discard(plan=self._plan(options["plan"]), actor=actor_from(options))
                self.stdout.write(f"Plan {options['plan']} discarded.")
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc

    def _bar(self, percent: int, stage: str) -> None:
        """A text progress bar on one line."""
        filled = percent // 5
        self.stdout.write(f"\r[{'#' * filled}{'.' * (20 - filled)}] {percent:3d}% {stage:<6}", ending="")
        self.stdout.flush()

    def _plan(self, pk: int) -> AssignmentPlan:
        plan = AssignmentPlan.objects.filter(pk=pk).first()
        if plan is None:
            raise CommandError(f"No plan {pk}.")
        return plan

    def _summary(self, plan: AssignmentPlan) -> None:
        self.stdout.write(
            f"Plan {plan.pk} ({plan.get_status_display()}): {plan.clients} clients in {plan.classes} classes, "
            f"{plan.managers} managers, solved in {plan.solve_seconds} s\n"
            f"  with a manager {plan.assigned_before} -> {plan.assigned_after}; new {plan.new_count}, "
            f"moves {plan.move_count}, losing their manager {plan.unassign_count}, "
            f"still without {plan.unplaced_count}; cost {plan.cost_before} -> {plan.cost_after}"
        )

    def _changes(self, plan: AssignmentPlan, limit: int) -> None:
        changes = plan.changes.select_related("client", "from_manager__user", "to_manager__user", "reason")[:limit]
        for change in changes:
            self.stdout.write(
                f"  {change.get_kind_display():<24} {change.client.name:<40} "
                f"{change.from_manager or '-'} -> {change.to_manager or '-'}: " + "; ".join(change.explanation())
            )
