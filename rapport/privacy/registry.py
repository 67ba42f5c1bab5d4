"""The personal-data registry: which models hold a client's personal data, how to find a client's rows, and
which retention holds stop an erasure.

Each app declares its own models in ``AppConfig.ready`` (a ``privacy.py`` module beside its models):

* ``register_personal_data(model, rows=..., fields=...)``: the model holds a client's personal data; ``rows`` finds
  the client's rows, ``fields`` are blanked (or replaced) on erasure. ``history=True`` registers the model's
  django-simple-history table with the same lookup and fields.
* ``register_no_personal_data(model, reason)``: the model holds no personal data of clients, and why.
* ``register_retention_hold(name, check)``: a rule under which a client's data may not be erased now.

The coverage test walks every model and fails for one that looks like it holds personal data but is declared
neither way, so a new model cannot silently escape subject access and erasure.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

# Rows of a model that belong to a client: ``lambda model, client: model._base_manager.filter(client_id=client.pk)``.
RowsOf = Callable[[type[models.Model], Any], models.QuerySet]
# A custom erasure of the rows found (for values inside JSON or binary fields); runs after ``fields`` are blanked.
EraseRows = Callable[[models.QuerySet, Any], None]
# A custom export of one row (e.g. only the lines of an uploaded file that mention the client).
ExportRow = Callable[[models.Model, Any], dict[str, Any]]
# A hold answers, for a client, why it may not be erased now (a sentence), or None.
HoldCheck = Callable[[Any], str | None]

# Text put in place of erased free text and of required short values.
ERASED_TEXT = "[anonymised]"


@dataclass(frozen=True)
class PersonalData:
    """A model that holds a client's personal data."""

    label: str
    rows: RowsOf
    fields: tuple[str, ...]
    kept: Mapping[str, str] = field(default_factory=dict)
    erase: EraseRows | None = None
    export: ExportRow | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


@dataclass(frozen=True)
class RetentionHold:
    """A rule that keeps a client's data from being erased while it applies."""

    name: str
    check: HoldCheck


_personal: dict[str, PersonalData] = {}
_none: dict[str, str] = {}
_holds: dict[str, RetentionHold] = {}


def by_lookup(lookup: str) -> RowsOf:
    """Rows whose ``lookup`` (e.g. ``client_id`` or ``case__client_id``) is the client's id."""

    def rows(model, client):
        return model._base_manager.filter(**{lookup: client.pk})

    return rows


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label


def register_personal_data(
    model,
    *,
    rows: RowsOf | str,
    fields: tuple[str, ...] = (),
    kept: Mapping[str, str] | None = None,
    history: bool = False,
    erase: EraseRows | None = None,
    export: ExportRow | None = None,
) -> None:
    """Declare that ``model`` holds a client's personal data. ``rows`` is a lookup to the client's id or a function
    finding the client's rows; ``fields`` are erased; ``kept`` names fields that look personal but are not
    blanked by the generic rule, with why (kept as they are, or replaced by ``erase``). With ``history`` the model's
    historical table is registered too (the same lookup must work there)."""
    finder = by_lookup(rows) if isinstance(rows, str) else rows
    entry = PersonalData(_label(model), finder, tuple(fields), dict(kept or {}), erase, export)
    _personal[entry.label] = entry
    if history:
        historical = model.history.model
        _personal[historical._meta.label] = PersonalData(
            historical._meta.label, finder, tuple(fields), dict(kept or {}), erase, export
        )


def register_no_personal_data(model, reason: str) -> None:
    """Declare that ``model`` holds no personal data of clients, saying why (read by reviewers and the docs)."""
    _none[_label(model)] = reason


def register_retention_hold(name: str, check: HoldCheck) -> None:
    """Declare a retention hold: ``check(client)`` returns why the client may not be erased now, or None."""
    _holds[name] = RetentionHold(name, check)


def personal_data() -> list[PersonalData]:
    """The registered models holding personal data, in label order."""
    return [_personal[label] for label in sorted(_personal)]


def no_personal_data() -> dict[str, str]:
    """The models declared free of client personal data, with the reason."""
    return dict(_none)


def retention_holds() -> list[RetentionHold]:
    return [_holds[name] for name in sorted(_holds)]
