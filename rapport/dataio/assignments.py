"""The import of current assignments: which personal manager holds which legal-entity client.

A row names the client (registration number or external id) and the manager (external id or username), and
optionally the start date (today when empty) and a note. Every row goes through the assignment rules of
``assignment.services`` — the same hard rules (legal entity, not former, active personal manager, VIP
qualification, capacity counted with the rows before it) and date rules as a manual assignment. A client
already held by that manager is unchanged; one held by another manager is reassigned: the old assignment ends
on the new one's start date. Both are written with their history records, as the assignment service writes
them (the actor, and the reason "manual").
"""

from collections import Counter
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from rapport.assignment.choices import AssignmentReason
from rapport.assignment.models import Assignment
from rapport.assignment.services import _not_in_future, check_assignable, check_start
from rapport.clients.choices import ClientKind
from rapport.clients.models import Client
from rapport.dataio.errors import DataImportError
from rapport.dataio.report import Outcome, Progress, Report
from rapport.dataio.rows import typed_batches
from rapport.dataio.validation import Column, RowError, errors_from
from rapport.managers.models import ClientManager

REASON = AssignmentReason.MANUAL


def assignment_columns(names) -> dict[str, Column]:
    from django import forms

    fields = {
        "client": forms.CharField(max_length=64),
        "manager": forms.CharField(max_length=150),
        "start_date": forms.DateField(required=False),
        "note": forms.CharField(required=False),
    }
    return {name: Column(name, fields[name], kind="date" if name == "start_date" else "text") for name in names}


class AssignmentImport:
    """One run of the assignment import."""

    def __init__(self, *, mapping: dict[int, str], actor, dry_run: bool, report: Report, estimated_rows: int):
        self.mapping = mapping
        self.columns = assignment_columns(set(mapping.values()))
        self.actor = actor
        self.dry_run = dry_run
        self.report = report
        self.estimated_rows = estimated_rows
        self.seen: set[int] = set()
        self.today = timezone.localdate()

    def run(self, rows: Iterator[tuple[str, ...]], *, progress: Progress, on_batch: Callable[[int], None]) -> None:
        managers = list(ClientManager.objects.select_related("user"))
        self.by_manager_key = {m.user.username: m for m in managers} | {
            m.external_id: m for m in managers if m.external_id
        }
        self.loads = Counter(
            Assignment.objects.filter(end_date__isnull=True).values_list("manager_id", flat=True).iterator()
        )
        done = 0
        for number, batch in enumerate(typed_batches(rows, self.mapping, self.columns), start=1):
            keys = {values.get("client") for _line, values, _errors in batch} - {None, ""}
            clients = Client.objects.filter(
                Q(external_id__in=keys) | Q(kind=ClientKind.LEGAL_ENTITY, registration_number__in=keys)
            )
            by_client_key = {}
            for client in clients:
                if client.kind == ClientKind.LEGAL_ENTITY:
                    by_client_key.setdefault(client.registration_number, client)
                if client.external_id:
                    by_client_key[client.external_id] = client
            ids = [c.pk for c in by_client_key.values()]
            current = {a.client_id: a for a in Assignment.objects.filter(client_id__in=ids, end_date__isnull=True)}
            latest_end = {}
            for client_id, end in Assignment.objects.filter(client_id__in=ids, end_date__isnull=False).values_list(
                "client_id", "end_date"
            ):
                latest_end[client_id] = max(end, latest_end.get(client_id, end))
            ending, starting = [], []
            for line, values, errors in batch:
                client_key, manager_key = values.get("client") or "", values.get("manager") or ""
                label = f"{client_key} → {manager_key}"
                if not errors:
                    errors = self._row(values, by_client_key, current, latest_end, ending, starting)
                    if isinstance(errors, str):
                        self.report.add(line, errors, key=client_key, label=label)
                        continue
                self.report.add(line, Outcome.REFUSED, key=client_key, label=label, errors=errors)
            if not self.dry_run:
                self._write(ending, starting)
            done += len(batch)
            progress(done, max(done, self.estimated_rows), "check" if self.dry_run else "write")
            on_batch(number)

    def _row(self, values, by_client_key, current, latest_end, ending, starting) -> list[RowError] | str:
        client = by_client_key.get(values["client"])
        if client is None:
            return [
                RowError(
                    "client",
                    DataImportError.UNKNOWN_CLIENT,
                    _("No client has this registration number or external id."),
                )
            ]
        manager = self.by_manager_key.get(values["manager"])
        if manager is None:
            return [
                RowError("manager", DataImportError.UNKNOWN_MANAGER, _("No manager has this external id or username."))
            ]
        if client.pk in self.seen:
            return [
                RowError("client", DataImportError.DUPLICATE_IN_FILE, _("An earlier row of the file has the same id."))
            ]
        self.seen.add(client.pk)
        held = current.get(client.pk)
        if held is not None and held.manager_id == manager.pk:
            return Outcome.UNCHANGED
        try:
            start = _not_in_future(values.get("start_date") or self.today, field="start_date")
            check_start(
                start,
                current_start=held.start_date if held is not None else None,
                latest_end=latest_end.get(client.pk),
            )
            check_assignable(client=client, manager=manager, load=self.loads[manager.pk])
        except ValidationError as exc:
            return errors_from("client", exc)
        if held is not None:
            held.end_date = start
            held.ended_by = self.actor
            held.end_note = _("Reassigned to %(manager)s.") % {"manager": manager.name}
            ending.append(held)
            self.loads[held.manager_id] -= 1
        self.loads[manager.pk] += 1
        starting.append(
            Assignment(
                client=client,
                manager=manager,
                start_date=start,
                reason=REASON,
                actor=self.actor,
                note=values.get("note") or "",
            )
        )
        return Outcome.UPDATED if held is not None else Outcome.CREATED

    def _write(self, ending: list[Assignment], starting: list[Assignment]) -> None:
        if ending:
            bulk_update_with_history(
                ending,
                Assignment,
                ["end_date", "ended_by", "end_note"],
                default_user=self.actor,
                default_change_reason=str(REASON),
            )
        if starting:
            bulk_create_with_history(starting, Assignment, default_user=self.actor, default_change_reason=str(REASON))
