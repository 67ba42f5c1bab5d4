"""The client import: match, validate, de-duplicate and write a whole file of clients set-based.

Rows are read in batches. A batch is parsed a column at a time by the client form's fields (``validation``), then
each row is matched to an existing client on its external id, else on its registration number (legal entities);
a row with neither is refused, as is a second row with the key of an earlier one. The rules of a valid client
(``clients.rules``, which the model's ``clean()`` runs too) are applied to the row as it would be stored: for an
existing client, its stored values with the mapped columns laid over them. A client that would change nothing
is reported unchanged and not written.

Writes go straight to the tables, with no model instance per row: new clients in one INSERT (COPY on PostgreSQL)
per batch, changed ones in one ``executemany`` UPDATE, and their django-simple-history records copied from the
written rows with INSERT … SELECT. For a load larger than the table, the table's secondary indexes are dropped
and rebuilt at the end. The caller holds one transaction around it all.
"""

import datetime
from collections.abc import Callable, Iterator, Sequence
from itertools import islice, repeat, zip_longest

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.clients.choices import ClientKind, Motivation
from rapport.clients.forms import ClientForm
from rapport.clients.models import Client, ClientGroup
from rapport.clients.rules import (
    DERIVED_FIELDS,
    SPELLING,
    apply_derived_values,
    assignment_conflict,
    client_rule_errors,
    needs_rule_check,
    rows_needing_rule_check,
)
from rapport.core.names import name_key
from rapport.dataio import sql
from rapport.dataio.errors import DataImportError
from rapport.dataio.report import Outcome, Progress, Report
from rapport.dataio.validation import Column, RowError, column_kind, errors_from

BATCH = 10_000
# Loads of at least this many rows, and more than the table holds, rebuild the indexes at the end.
INDEX_REBUILD_MIN_ROWS = 10_000
HISTORY_REASON = "import"

IMPORTED = (
    "external_id",
    "kind",
    "name",
    "registration_number",
    "tax_number",
    "email",
    "phone",
    "address",
    "city",
    "postal_code",
    "country",
    "language",
    "group",
    "status",
    "motivation",
    "motivation_note",
    "is_vip",
    "vip_since",
    "vip_reason",
    "vip_terms",
)
DERIVED = ("motivation_determined_by_id", "motivation_determined_at")


def _attname(name: str) -> str:
    return "group_id" if name == "group" else name


def client_columns(names: Sequence[str]) -> dict[str, Column]:
    """The parsers of the mapped client fields: the client form's fields, else the model field's form field."""
    form_fields = ClientForm.base_fields
    groups = {}
    for pk, name in ClientGroup.objects.values_list("pk", "name"):
        groups[name.lower()] = pk
        groups[str(pk)] = pk
    columns = {}
    for name in names:
        form_field = form_fields.get(name) or Client._meta.get_field(name).formfield()
        kind = column_kind(form_field)
        columns[name] = Column(name, form_field, kind=kind, lookup=groups if kind == "related" else None)
    return columns


class ClientImport:
    """One run of the client import over the rows of a file, mapped to client fields."""

    def __init__(self, *, mapping: dict[int, str], actor, dry_run: bool, report: Report, estimated_rows: int):
        self.mapping = mapping  # column index → field name
        self.fields = list(mapping.values())
        self.mapped = set(self.fields)
        self.columns = client_columns(self.fields)
        self.actor = actor
        self.dry_run = dry_run
        self.report = report
        self.estimated_rows = estimated_rows
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.seen_external: set[str] = set()
        self.seen_number: set[str] = set()
        self.by_external: dict[str, int] = {}
        self.by_number: dict[str, int] = {}
        self.table_columns = [f for f in Client._meta.concrete_fields if not f.primary_key]
        self.created = 0
        self.suspend_indexes = False
        self.history = True

    # --- setup -------------------------------------------------------------------------------------------------

    def load_keys(self) -> None:
        """The keys of the clients already stored: external ids and legal entities' registration numbers."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT external_id, id FROM clients_client WHERE external_id IS NOT NULL")
            self.by_external = dict(cursor.fetchall())
            cursor.execute(
                "SELECT registration_number, id FROM clients_client WHERE kind = %s", [ClientKind.LEGAL_ENTITY]
            )
            self.by_number = dict(cursor.fetchall())
            cursor.execute("SELECT COALESCE(MAX(id), 0), COUNT(*) FROM clients_client")
            self.max_id, stored = cursor.fetchone()
        self.suspend_indexes = not self.dry_run and self.estimated_rows >= max(INDEX_REBUILD_MIN_ROWS, stored)

    def _defaults(self) -> list:
        """A new client's column values before the mapped ones are laid over them."""
        ops = connection.ops
        now = ops.adapt_datetimefield_value(self.now)
        values = []
        for f in self.table_columns:
            if f.attname in ("created_at", "updated_at"):
                values.append(now)
            else:
                values.append(f.get_default())
        return values

    # --- the run -----------------------------------------------------------------------------------------------

    def run(self, rows: Iterator[tuple[str, ...]], *, progress: Progress, on_batch: Callable[[int], None]) -> None:
        """Check (and unless a dry run, write) every row."""
        self.load_keys()
        if not self.dry_run:
            sql.lock_for_import(Client)
        tables = [Client._meta.db_table, Client.history.model._meta.db_table]
        with sql.indexes_suspended(tables, suspend=self.suspend_indexes):
            line = 2
            number = 0
            while True:
                batch = list(islice(rows, BATCH))
                if not batch:
                    break
                number += 1
                self._batch(batch, line)
                line += len(batch)
                progress(line - 2, max(self.estimated_rows, line - 2), "check" if self.dry_run else "write")
                on_batch(number)
            if not self.dry_run and self.created and self.history:
                progress(line - 2, line - 2, "history")
                sql.write_history(
                    Client,
                    where="id > %s",
                    params=[self.max_id],
                    history_type="+",
                    actor_id=self.actor.pk,
                    reason=HISTORY_REASON,
                    now=self.now,
                )
            if self.suspend_indexes:
                progress(line - 2, line - 2, "indexes")

    def _raw_columns(self, batch: list[tuple[str, ...]]) -> dict[str, list[str]]:
        # One C-level transpose of the batch; short rows are padded with empty cells.
        columns = list(zip_longest(*batch, fillvalue=""))
        width = len(columns)
        return {name: columns[index] if index < width else ("",) * len(batch) for index, name in self.mapping.items()}

    def _batch(self, batch: list[tuple[str, ...]], first_line: int) -> None:
        errors: dict[int, list[RowError]] = {}
        raw = self._raw_columns(batch)
        parsed = {name: self.columns[name].parse(values, errors) for name, values in raw.items()}
        for name, spell in SPELLING.items():
            if name in parsed:
                parsed[name] = [spell(v) if v else v for v in parsed[name]]
        report = self.report
        n = len(batch)
        external = parsed.get("external_id") or [None] * n
        numbers = parsed.get("registration_number") or [""] * n
        kinds = parsed.get("kind") or [None] * n
        names = parsed.get("name") or [""] * n
        by_external, by_number = self.by_external, self.by_number
        seen_external, seen_number = self.seen_external, self.seen_number
        legal = (None, ClientKind.LEGAL_ENTITY)

        new: list[int] = []
        matched: list[tuple[int, int]] = []
        for i in range(n):
            ext = external[i]
            number = numbers[i] or ""
            # Only a legal entity is known by its registration number.
            number_key = number if number and kinds[i] in legal else ""
            if i in errors:
                report.add(first_line + i, Outcome.REFUSED, key=ext or number, label=names[i] or "", errors=errors[i])
                continue
            if not ext and not number_key:
                report.add(first_line + i, Outcome.REFUSED, label=names[i] or "", errors=[_no_key()])
                continue
            if (ext and ext in seen_external) or (number_key and number_key in seen_number):
                report.add(
                    first_line + i, Outcome.REFUSED, key=ext or number, label=names[i], errors=[_duplicate_in_file()]
                )
                continue
            client_id = by_external.get(ext) if ext else None
            if client_id is None and number_key:
                client_id = by_number.get(number_key)
            if client_id is None:
                new.append(i)
            else:
                matched.append((i, client_id))
            if ext:
                seen_external.add(ext)
            if number_key:
                seen_number.add(number_key)
        if new:
            self._create(new, parsed, first_line)
        if matched:
            self._update(
                [
                    (first_line + i, client_id, {name: parsed[name][i] for name in self.fields})
                    for i, client_id in matched
                ]
            )

    # --- new clients -------------------------------------------------------------------------------------------

    def _create(self, rows: list[int], parsed: dict[str, list], first_line: int) -> None:
        """Write the new clients among the batch's rows ``rows``, a column at a time."""
        report = self.report
        n = len(rows)
        defaults = dict(zip((f.attname for f in self.table_columns), self._defaults(), strict=True))
        if n == len(parsed[self.fields[0]]):  # every row of the batch is new
            cols = {_attname(name): values for name, values in parsed.items()}
        else:
            cols = {_attname(name): [values[i] for i in rows] for name, values in parsed.items()}
        cols.setdefault("kind", [defaults["kind"]] * n)
        lines = [first_line + i for i in rows]

        # The rules over several fields, for the rows they can concern (clients.rules.needs_rule_check).
        refused: set[int] = set()
        rule_fields = [f for f in ("kind", "registration_number", "phone", "is_vip", "vip_reason") if f in cols]
        for j in rows_needing_rule_check(cols, n):
            values = {f: cols[f][j] for f in rule_fields}
            found = client_rule_errors(values)
            if found:
                refused.add(j)
                report.add(
                    lines[j],
                    Outcome.REFUSED,
                    key=self._key(cols, j),
                    label=cols["name"][j],
                    errors=[e for field, errs in found.items() for exc in errs for e in errors_from(field, exc)],
                )
            elif "phone" in cols:
                cols["phone"][j] = values["phone"]
        numbers = cols.get("registration_number")
        if numbers:
            kinds = cols["kind"]
            for j in range(n):
                if j not in refused and kinds[j] == ClientKind.LEGAL_ENTITY and numbers[j] in self.by_number:
                    refused.add(j)
                    report.add(
                        lines[j],
                        Outcome.REFUSED,
                        key=self._key(cols, j),
                        label=cols["name"][j],
                        errors=[_duplicate_number()],
                    )
        keep = [j for j in range(n) if j not in refused] if refused else range(n)
        if refused:
            cols = {name: [values[j] for j in keep] for name, values in cols.items()}
            lines = [lines[j] for j in keep]
            n = len(lines)

        # The values that follow from others (clients.rules.apply_derived_values) for a client that had none.
        now = connection.ops.adapt_datetimefield_value(self.now)
        actor_id = self.actor.pk if self.actor else None
        if {"is_vip", "vip_since", "vip_reason", "vip_terms"} & set(cols):
            for name in ("is_vip", "vip_since", "vip_reason", "vip_terms"):
                cols.setdefault(name, [defaults[name]] * n)
            for j in range(n):
                if cols["is_vip"][j] or cols["vip_since"][j] or cols["vip_reason"][j] or cols["vip_terms"][j]:
                    derived = {name: cols[name][j] for name in DERIVED_FIELDS if name in cols}
                    derived.setdefault("motivation", Motivation.UNKNOWN)
                    apply_derived_values(
                        derived, old_motivation=derived["motivation"], actor_id=actor_id, now=now, today=self.today
                    )
                    for name in ("vip_since", "vip_reason", "vip_terms"):
                        cols[name][j] = derived[name]
            adapt = connection.ops.adapt_datefield_value
            cols["vip_since"] = [adapt(v) if v is not None else None for v in cols["vip_since"]]
        if "motivation" in cols:
            # As apply_derived_values does for a motivation that changes from "unknown": who and when.
            unknown = Motivation.UNKNOWN
            cols["motivation_determined_by_id"] = [None if m == unknown else actor_id for m in cols["motivation"]]
            cols["motivation_determined_at"] = [None if m == unknown else now for m in cols["motivation"]]
        cols["name_key"] = [name_key(name) for name in cols.get("name", [""] * n)]

        numbers = cols.get("registration_number")
        if numbers:
            self.by_number.update(
                (number, 0)
                for number, kind in zip(numbers, cols["kind"], strict=True)
                if number and kind == ClientKind.LEGAL_ENTITY
            )
        keys = [self._key(cols, j) for j in range(n)] if "external_id" not in cols or numbers else cols["external_id"]
        report.add_many(Outcome.CREATED, lines, keys, cols.get("name") or [""] * n)
        self.created += n
        if not self.dry_run:
            columns = [
                cols[f.attname] if f.attname in cols else repeat(defaults[f.attname], n) for f in self.table_columns
            ]
            sql.insert(Client._meta.db_table, [f.column for f in self.table_columns], list(zip(*columns, strict=True)))

    @staticmethod
    def _key(cols: dict[str, list], j: int) -> str:
        external = cols["external_id"][j] if "external_id" in cols else None
        return external or (cols["registration_number"][j] if "registration_number" in cols else "")

    # --- existing clients --------------------------------------------------------------------------------------

    def _update(self, matched: list[tuple[int, int, dict]]) -> None:
        report = self.report
        compared = [f for f in IMPORTED if f in self.mapped] + ["name_key", *DERIVED]
        stored_fields = sorted(
            {
                *compared,
                "kind",
                "registration_number",
                "phone",
                "is_vip",
                "vip_since",
                "vip_reason",
                "vip_terms",
                "motivation",
                "acquired_by",
                "acquired_on",
                "status",
                "name",
            }
        )
        attnames = [_attname(f) if f != "acquired_by" else "acquired_by_id" for f in stored_fields]
        ids = [client_id for _line, client_id, _values in matched]
        stored = {row["id"]: row for row in Client.objects.filter(pk__in=ids).values("id", *attnames)}
        holders = {client_id: (name, qualified) for client_id, name, qualified in _current_managers(ids)}
        writes = []
        written_ids = []
        write_columns = [a for a in attnames if a != "id"] + ["updated_at"]
        for line, client_id, values in matched:
            before = stored[client_id]
            after = dict(before)
            for name, value in values.items():
                after[_attname(name)] = value
            key = values.get("external_id") or values.get("registration_number") or before["registration_number"]
            label = after["name"]
            rule_values = {
                "kind": after["kind"],
                "registration_number": after["registration_number"],
                "phone": after["phone"],
                "is_vip": after["is_vip"],
                "vip_reason": after["vip_reason"],
                "acquired_by_id": after["acquired_by_id"],
                "acquired_on": after["acquired_on"],
            }
            row_errors = []
            if needs_rule_check(rule_values):
                found = client_rule_errors(rule_values)
                row_errors = [e for field, errs in found.items() for exc in errs for e in errors_from(field, exc)]
                after["phone"] = rule_values["phone"]
            number = after["registration_number"]
            owner = self.by_number.get(number) if after["kind"] == ClientKind.LEGAL_ENTITY and number else None
            if not row_errors and owner is not None and owner != client_id:
                row_errors = [_duplicate_number()]
            if not row_errors:
                apply_derived_values(
                    after, old_motivation=before["motivation"], actor_id=self.actor.pk, now=self.now, today=self.today
                )
                if after["motivation"] == before["motivation"]:
                    after["motivation_determined_by_id"] = before["motivation_determined_by_id"]
                    after["motivation_determined_at"] = before["motivation_determined_at"]
                after["name_key"] = name_key(after["name"])
                if client_id in holders and (
                    after["kind"] != before["kind"]
                    or after["status"] != before["status"]
                    or after["is_vip"] != before["is_vip"]
                ):
                    holder_name, qualified = holders[client_id]
                    conflict = assignment_conflict(
                        kind=after["kind"],
                        status=after["status"],
                        is_vip=after["is_vip"],
                        manager_name=holder_name,
                        manager_vip_qualified=qualified,
                    )
                    if conflict is not None:
                        row_errors = errors_from("kind", conflict)
            if row_errors:
                report.add(line, Outcome.REFUSED, key=key, label=label, errors=row_errors)
                continue
            changed = [
                f
                for f in compared
                if f not in DERIVED and f != "name_key" and after[_attname(f)] != before[_attname(f)]
            ]
            if not changed:
                report.add(line, Outcome.UNCHANGED, key=key, label=label)
                continue
            report.add(line, Outcome.UPDATED, key=key, label=label, changed=changed)
            if after["kind"] == ClientKind.LEGAL_ENTITY and number:
                self.by_number[number] = client_id
            writes.append([*(after[c] for c in write_columns[:-1]), self.now, client_id])
            written_ids.append(client_id)
        if writes and not self.dry_run:
            sql.update(Client._meta.db_table, write_columns, [[_adapt(v) for v in row] for row in writes])
            for start in range(0, len(written_ids), 500):
                chunk = written_ids[start : start + 500]
                sql.write_history(
                    Client,
                    where="id IN ({})".format(", ".join(["%s"] * len(chunk))),
                    params=chunk,
                    history_type="~",
                    actor_id=self.actor.pk,
                    reason=HISTORY_REASON,
                    now=self.now,
                )


def _adapt(value):
    """A date or time as the database driver wants it."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _current_managers(client_ids: list[int]) -> list[tuple[int, str, bool]]:
    """(client id, manager name, VIP-qualified) of the clients among ``client_ids`` that have a personal manager."""
    from rapport.assignment.models import Assignment

    current = Assignment.objects.filter(client_id__in=client_ids, end_date__isnull=True).select_related("manager__user")
    return [(a.client_id, a.manager.name, a.manager.vip_qualified) for a in current]


def _no_key() -> RowError:
    return RowError(
        "external_id",
        DataImportError.NO_KEY,
        _("The row needs an external id, or a registration number for a legal entity, to be matched on."),
    )


def _duplicate_in_file() -> RowError:
    return RowError("external_id", DataImportError.DUPLICATE_IN_FILE, _("An earlier row of the file has the same id."))


def _duplicate_number() -> RowError:
    return RowError(
        "registration_number",
        DataImportError.DUPLICATE_REGISTRATION_NUMBER,
        _("A legal entity with this registration number already exists."),
    )
