"""A candidate's own client base: imported from CSV, checked against the company's clients with the pipeline's
duplicate rules, and — when the candidate is hired — turned into prospects owned by the new manager.

The CSV has a header row; columns (English, Hungarian or Russian names): ``name`` (required), ``kind``
(``legal_entity`` — the default — or ``individual``), ``registration_number``, ``email``, ``phone``, ``city``.
Each row is normalised as a client would be (e-mail lower-cased, phone in E.164). A row matching an existing client
exactly (registration number, e-mail, phone) is a duplicate and never counts: nobody is credited for a client the
company already has. A similar name is counted only when HR confirms it is a different client. A row repeating an
earlier row is skipped. HR sees existing clients by number only: HR has no access to the client registry.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.clients.choices import ClientKind
from rapport.clients.models import Client
from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.core.names import name_key
from rapport.hiring.choices import EntryStatus
from rapport.hiring.errors import HiringError
from rapport.hiring.jobs import require_hr
from rapport.hiring.models import Candidate, ClientBaseEntry
from rapport.pipeline.duplicates import find_duplicates
from rapport.pipeline.services import prospect_create

COLUMNS = {
    "name": ("name", "név", "nev", "название", "наименование", "имя", "client", "ügyfél"),
    "kind": ("kind", "típus", "tipus", "тип"),
    "registration_number": (
        "registration_number",
        "registration number",
        "cégjegyzékszám",
        "cegjegyzekszam",
        "регистрационный номер",
        "огрн",
    ),
    "email": ("email", "e-mail", "e-mail cím", "почта", "эл. почта"),
    "phone": ("phone", "telefon", "телефон"),
    "city": ("city", "város", "varos", "город"),
}
KINDS = {
    "": ClientKind.LEGAL_ENTITY,
    "legal_entity": ClientKind.LEGAL_ENTITY,
    "legal entity": ClientKind.LEGAL_ENTITY,
    "company": ClientKind.LEGAL_ENTITY,
    "cég": ClientKind.LEGAL_ENTITY,
    "jogi személy": ClientKind.LEGAL_ENTITY,
    "юрлицо": ClientKind.LEGAL_ENTITY,
    "юридическое лицо": ClientKind.LEGAL_ENTITY,
    "individual": ClientKind.INDIVIDUAL,
    "person": ClientKind.INDIVIDUAL,
    "magánszemély": ClientKind.INDIVIDUAL,
    "физлицо": ClientKind.INDIVIDUAL,
    "физическое лицо": ClientKind.INDIVIDUAL,
}


@dataclass(frozen=True)
class ImportResult:
    new: int
    similar: int
    duplicate: int
    skipped: int

    @property
    def total(self) -> int:
        return self.new + self.similar + self.duplicate + self.skipped


def _read_rows(content: bytes | str) -> list[dict[str, str]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise refuse(HiringError.CSV_INVALID, _("The file is not UTF-8 text."), field="file") from exc
    sample = content[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content), dialect)
    header = next(reader, None)
    if not header:
        raise refuse(HiringError.CSV_INVALID, _("The file is empty."), field="file")
    aliases = {alias: column for column, names in COLUMNS.items() for alias in names}
    columns = [aliases.get(cell.strip().lower()) for cell in header]
    if "name" not in columns:
        raise refuse(
            HiringError.CSV_INVALID,
            _("The first row must name the columns, among them %(column)s.") % {"column": "name"},
            field="file",
        )
    limit = settings.RAPPORT["CLIENT_BASE_MAX_ROWS"]
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= limit:
            raise refuse(
                HiringError.CSV_INVALID, _("At most %(count)d rows can be imported.") % {"count": limit}, field="file"
            )
        rows.append({column: cells[i].strip() for i, column in enumerate(columns) if column and i < len(cells)})
    return rows


def _normalised(row: dict[str, str]) -> tuple[Client | None, str]:
    """The row as an unsaved client, normalised and validated, or the problem."""
    kind = KINDS.get(row.get("kind", "").strip().lower())
    if kind is None:
        return None, _("Unknown kind %(kind)s.") % {"kind": row.get("kind")}
    client = Client(
        kind=kind,
        name=row.get("name", ""),
        registration_number=row.get("registration_number", ""),
        email=row.get("email", ""),
        phone=row.get("phone", ""),
        city=row.get("city", ""),
    )
    try:
        client.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    return client, ""


def recount(candidate: Candidate) -> int:
    """Set the candidate's client-base size to the imported clients that count (new, or confirmed similar)."""
    entries = list(candidate.client_base.all())
    if entries:
        candidate.client_base_size = sum(1 for entry in entries if entry.counts)
        candidate.last_activity_at = timezone.now()
        candidate.save(update_fields=["client_base_size", "last_activity_at", "updated_at"])
    return candidate.client_base_size


@transaction.atomic
def client_base_import(*, actor, candidate: Candidate, content: bytes | str) -> ImportResult:
    """Replace the candidate's imported client base with the CSV ``content``, each row checked for duplicates."""
    require_hr(actor)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.is_anonymised:
        raise refuse(HiringError.CANDIDATE_ANONYMISED, _("This candidate's data has been anonymised."))
    if candidate.client_base.filter(status=EntryStatus.CONVERTED).exists():
        raise refuse(HiringError.ALREADY_HIRED, _("The client base has already become prospects."), field="file")
    rows = _read_rows(content)
    candidate.client_base.all().delete()
    seen: dict[tuple[str, str], int] = {}
    counts = {EntryStatus.NEW: 0, EntryStatus.SIMILAR: 0, EntryStatus.DUPLICATE: 0, EntryStatus.SKIPPED: 0}
    entries = []
    for number, row in enumerate(rows, start=1):
        client, problem = _normalised(row)
        entry = ClientBaseEntry(candidate=candidate, row=number, name=row.get("name", "")[:200])
        if client is None:
            entry.status, entry.problem = EntryStatus.SKIPPED, problem[:300]
            counts[EntryStatus.SKIPPED] += 1
            entries.append(entry)
            continue
        entry.kind, entry.name = client.kind, client.name
        entry.registration_number, entry.email, entry.phone, entry.city = (
            client.registration_number,
            client.email,
            client.phone,
            client.city,
        )
        keys = [("name", name_key(client.name))]
        if client.kind == ClientKind.LEGAL_ENTITY:
            keys.append(("registration_number", client.registration_number))
        keys += [("email", client.email), ("phone", client.phone)]
        repeated = next((seen[key] for key in keys if key[1] and key in seen), None)
        if repeated is not None:
            entry.status = EntryStatus.SKIPPED
            entry.problem = _("Repeats row %(row)d.") % {"row": repeated}
        else:
            for key in keys:
                if key[1]:
                    seen[key] = number
            check = find_duplicates(
                name=client.name,
                kind=client.kind,
                registration_number=client.registration_number,
                email=client.email,
                phone=client.phone,
            )
            if check.exact:
                match = check.exact[0]
                entry.status, entry.match_client_id, entry.match_on = EntryStatus.DUPLICATE, match.client_id, match.on
            elif check.similar:
                match = check.similar[0]
                entry.status, entry.match_client_id, entry.match_on = EntryStatus.SIMILAR, match.client_id, match.on
            else:
                entry.status = EntryStatus.NEW
        counts[entry.status] += 1
        entries.append(entry)
    ClientBaseEntry.objects.bulk_create(entries)
    candidate.client_base_size = counts[EntryStatus.NEW]
    candidate.last_activity_at = timezone.now()
    save_with_history(candidate, actor=actor, reason="client base imported")
    return ImportResult(
        new=counts[EntryStatus.NEW],
        similar=counts[EntryStatus.SIMILAR],
        duplicate=counts[EntryStatus.DUPLICATE],
        skipped=counts[EntryStatus.SKIPPED],
    )


@transaction.atomic
def client_base_confirm(*, actor, entry: ClientBaseEntry, confirmed: bool) -> ClientBaseEntry:
    """HR confirms (or takes back) that a row with a similar name is a client the company does not have."""
    require_hr(actor)
    entry = ClientBaseEntry.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=entry.pk)
    if entry.status != EntryStatus.SIMILAR:
        raise refuse(HiringError.NOTHING_CHANGED, _("Only a row with a similar name needs a confirmation."))
    entry.confirmed = confirmed
    entry.save(update_fields=["confirmed"])
    recount(entry.candidate)
    return entry


@dataclass(frozen=True)
class Conversion:
    created: int
    refused: int


def client_base_convert(*, candidate: Candidate, owner_user) -> Conversion:
    """Turn the counting rows into prospects with a first opportunity owned by the new manager (``owner_user``,
    who creates them: the pipeline lets a manager create only their own prospects). A row that has meanwhile
    become a duplicate is refused by the pipeline and marked so; the others go on. Run inside the hiring."""
    created = refused = 0
    entries = candidate.client_base.filter(status__in=[EntryStatus.NEW, EntryStatus.SIMILAR]).order_by("row")
    note = _("From the own client base %(name)s brought when hired.") % {"name": candidate.name}
    for entry in entries:
        if not entry.counts:
            continue
        data = {
            "kind": entry.kind,
            "name": entry.name,
            "registration_number": entry.registration_number,
            "email": entry.email,
            "phone": entry.phone,
            "city": entry.city,
        }
        try:
            opportunity = prospect_create(
                actor=owner_user, data=data, note=note, confirm_similar=entry.status == EntryStatus.SIMILAR
            )
        except ValidationError as exc:
            entry.status = EntryStatus.DUPLICATE if "duplicate_client" in _codes(exc) else EntryStatus.SKIPPED
            entry.problem = " ".join(exc.messages)[:300]
            entry.save(update_fields=["status", "problem"])
            refused += 1
            continue
        entry.status = EntryStatus.CONVERTED
        entry.prospect = opportunity.client
        entry.save(update_fields=["status", "prospect"])
        created += 1
    return Conversion(created=created, refused=refused)


def _codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {error.code for errors in exc.error_dict.values() for error in errors}
    return {error.code for error in exc.error_list}
