"""Validation of import columns with the forms' own rules, a column at a time, without model instances.

Each importable field is checked by the form field the UI uses for it (``ClientForm``, ``ManagerForm``, or the
model field's default form field where no form shows it): the same required-ness, lengths, choices, e-mail and
date formats, error codes and translated messages. A column is checked in one pass with a cheap test that
accepts only values the form field accepts too (a length, a set membership, an ISO date); every value the cheap
test does not accept goes through ``form_field.clean()`` itself, which either accepts it or raises the form's
error. So a value is never judged differently from the form, and the form's code runs only for the odd value.

This module does no database query: look-ups (client groups by name) are passed in.
"""

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rapport.dataio.errors import DataImportError

# A strict subset of what Django's EmailValidator accepts (dot-atom local part, LDH labels, alphabetic TLD).
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}",
    re.IGNORECASE,
)
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "x", "igen", "i", "да", "д"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "nem", "нет"})
BOOLEAN_WORDS = dict.fromkeys(TRUE_WORDS, True) | dict.fromkeys(FALSE_WORDS, False)


@dataclass(frozen=True)
class RowError:
    """Why a row is refused: the field, the error code and the message in the active language."""

    field: str
    code: str
    message: str


def errors_from(field: str, exc: ValidationError) -> list[RowError]:
    """The RowErrors of a ValidationError (one per message), under ``field`` unless it names its own fields."""
    if hasattr(exc, "error_dict"):
        return [
            RowError(name if name != "__all__" else field, e.code or "invalid", str(message))
            for name, errors in exc.error_dict.items()
            for e in errors
            for message in e.messages
        ]
    return [RowError(field, e.code or "invalid", str(message)) for e in exc.error_list for message in e.messages]


Errors = dict[int, list[RowError]]


class Column:
    """One importable field: how to read a column of raw strings into typed values, by the form field's rules."""

    def __init__(self, name: str, form_field: forms.Field, *, kind: str, lookup: dict[str, Any] | None = None):
        self.name = name
        self.form_field = form_field
        self.kind = kind
        self.lookup = lookup or {}
        if kind == "choice":
            for value, label in form_field.choices:
                if value != "":
                    self.lookup[str(value).lower()] = value
                    self.lookup.setdefault(str(label).lower(), value)

    def _by_form(self, raw: str, row: int, errors: Errors):
        """The form field's verdict on one value: its cleaned value, or its error recorded for ``row``."""
        try:
            return self.form_field.clean(raw)
        except ValidationError as exc:
            errors.setdefault(row, []).extend(errors_from(self.name, exc))
            return None

    def parse(self, raw: Sequence[str], errors: Errors, first_row: int = 0) -> list:
        """Typed values of ``raw``; refused values become None and their errors go to ``errors`` by row index."""
        return getattr(self, f"_parse_{self.kind}")(raw, errors, first_row)

    # Each parser first tests the whole column at C speed (max, set membership, all over a map) and walks it value
    # by value only when that test finds something to look at.

    def _parse_text(self, raw, errors, first):
        field = self.form_field
        values = [s.strip() for s in raw] if getattr(field, "strip", True) else list(raw)
        if not values:
            return values
        limit = getattr(field, "max_length", None) or 10**9
        required = field.required
        empty = field.empty_value if hasattr(field, "empty_value") else ""
        has_empty = "" in values
        if max(map(len, values)) <= limit and not (has_empty and (required or empty != "")):
            return values
        for i, value in enumerate(values):
            if len(value) > limit or (not value and required):
                values[i] = self._by_form(raw[i], first + i, errors)
            elif not value:
                values[i] = empty
        return values

    def _parse_email(self, raw, errors, first):
        values = [s.strip() for s in raw]
        match = _PLAIN_EMAIL.fullmatch
        limit = self.form_field.max_length or 320
        required = self.form_field.required
        present = list(filter(None, values))
        if (
            not (required and len(present) < len(values))
            and all(map(match, present))
            and max(map(len, present), default=0) <= limit
        ):
            return values
        for i, value in enumerate(values):
            suspect = (len(value) > limit or not match(value)) if value else required
            if suspect:
                values[i] = self._by_form(raw[i], first + i, errors)
        return values

    def _parse_choice(self, raw, errors, first):
        get = self.lookup.get
        values = [get(s.strip().lower()) for s in raw]
        if None not in values:
            return values
        for i, value in enumerate(values):
            if value is None:
                if not raw[i].strip() and not self.form_field.required:
                    values[i] = ""
                else:
                    values[i] = self._by_form(raw[i].strip(), first + i, errors)
        return values

    def _parse_related(self, raw, errors, first):
        """A foreign key given by name (or id): the ModelChoiceField's rules, looked up in ``lookup``."""
        keys = [s.strip().lower() for s in raw]
        get = self.lookup.get
        values = [get(key) if key else None for key in keys]
        if None not in values:
            return values
        for i, key in enumerate(keys):
            if values[i] is not None:
                continue
            if not key:
                if self.form_field.required:
                    self._by_form("", first + i, errors)
            else:
                errors.setdefault(first + i, []).append(
                    RowError(self.name, "invalid_choice", str(self.form_field.error_messages["invalid_choice"]))
                )
        return values

    def _parse_boolean(self, raw, errors, first):
        get = BOOLEAN_WORDS.get
        values = [get(s.strip().lower()) for s in raw]
        if None not in values:
            return values
        for i, value in enumerate(values):
            if value is None:
                errors.setdefault(first + i, []).append(
                    RowError(self.name, DataImportError.INVALID_BOOLEAN, _("Enter yes or no (1 or 0)."))
                )
        return values

    def _parse_date(self, raw, errors, first):
        values = []
        parse = datetime.date.fromisoformat
        for i, s in enumerate(raw):
            s = s.strip()
            if not s:
                values.append(self._by_form("", first + i, errors) if self.form_field.required else None)
                continue
            try:
                values.append(parse(s) if len(s) == 10 and s[4] == s[7] == "-" else self._by_form(s, first + i, errors))
            except ValueError:
                values.append(self._by_form(s, first + i, errors))
        return values

    def _parse_integer(self, raw, errors, first):
        values = []
        for i, s in enumerate(raw):
            s = s.strip()
            if not s and not self.form_field.required:
                values.append(None)
            else:
                values.append(self._by_form(s, first + i, errors))
        return values


def column_kind(form_field: forms.Field) -> str:
    """Which parser reads values for ``form_field``."""
    if isinstance(form_field, forms.ModelChoiceField):
        return "related"
    if isinstance(form_field, forms.ChoiceField):
        return "choice"
    if isinstance(form_field, forms.BooleanField):
        return "boolean"
    if isinstance(form_field, forms.DateField):
        return "date"
    if isinstance(form_field, forms.IntegerField):
        return "integer"
    if isinstance(form_field, forms.EmailField):
        return "email"
    return "text"


def parse_columns(
    columns: dict[str, Column], raw: dict[str, Sequence[str]], errors: Errors, first_row: int = 0
) -> dict[str, list]:
    """Typed values of every mapped column (field name → raw strings of a batch of rows)."""
    return {name: columns[name].parse(values, errors, first_row) for name, values in raw.items()}


ColumnFactory = Callable[[], dict[str, Column]]
