"""Optimistic concurrency: a stale edit is refused with what changed since the editor read the row.

A row's version is its ``updated_at`` (set by every save and by every set-based write), written as an opaque token:
microseconds since the epoch, as text. A UI form carries the version it was rendered from; an API client sends it
back as ``If-Match`` (the detail's ``ETag``) or as the ``version`` field. A service locks the row
(``select_for_update``) and calls ``check_version`` inside the transaction of the write, so of two concurrent saves
from the same version only the first passes.

"What changed" comes from the django-simple-history records: a history record written by a save is dated with the
row's new ``updated_at`` (``align_history_date``), so the version names the record the editor read, and the records
after it say who changed which field when. Without history the current values are reported.
"""

import datetime
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

CODE = "stale_version"
# How far before its history record a row's updated_at may be and still belong to the same save: a save sets
# updated_at just before it writes the row and its history record; an older updated_at was not set by this save.
_SAME_SAVE = datetime.timedelta(seconds=1)
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def version_of(instance: models.Model) -> str | None:
    """The version token of ``instance``: its ``updated_at`` in microseconds since the epoch (None if unsaved)."""
    moment = getattr(instance, "updated_at", None)
    if moment is None:
        return None
    delta = moment - _EPOCH
    return str((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)


def etag_of(instance: models.Model) -> str | None:
    """The HTTP entity tag of ``instance``: its version in double quotes."""
    version = version_of(instance)
    return f'"{version}"' if version is not None else None


def _moment(version: str) -> datetime.datetime | None:
    """The ``updated_at`` a version token stands for; None for a token that is not one of ours."""
    if not version.isascii() or not version.isdigit() or len(version) > 18:
        return None
    try:
        return _EPOCH + datetime.timedelta(microseconds=int(version))
    except OverflowError:  # beyond the year 9999
        return None


@dataclass(frozen=True)
class Change:
    """One field that differs between the version the editor read and the row now."""

    field: str
    label: str
    current: Any
    display_current: str
    changed_by: Any  # the user, or None when unknown
    changed_at: datetime.datetime | None
    yours: Any = MISSING
    display_yours: str = ""

    @property
    def has_yours(self) -> bool:
        return self.yours is not MISSING

    def as_data(self) -> dict:
        """``{field, yours?, current, changed_by, changed_at}``: values JSON-ready (related records by id), the
        editor's name, the time as a datetime."""
        data = {"field": self.field}
        if self.has_yours:
            data["yours"] = _plain(self.yours)
        data.update(
            current=_plain(self.current),
            changed_by=str(self.changed_by) if self.changed_by is not None else None,
            changed_at=self.changed_at,
        )
        return data


class StaleVersion(Exception):
    """A write was based on an older version of the row; nothing was written. ``changes`` lists what changed,
    ``version`` is the row's current version (sending that one again saves on purpose)."""

    code = CODE

    def __init__(self, *, changes: list[Change], version: str | None):
        self.message = _(
            "Someone else changed this record after you opened it, so nothing was saved. Check what changed, then "
            "save again to keep your version."
        )
        self.changes = changes
        self.version = version
        super().__init__(str(self.message))

    def as_data(self) -> dict:
        """The API's 409 body: ``{code, detail, changes, version}``."""
        return {
            "code": self.code,
            "detail": str(self.message),
            "changes": [change.as_data() for change in self.changes],
            "version": self.version,
        }


def check_version(
    instance: models.Model,
    version: str | Collection[str] | None,
    *,
    fields: Iterable[str],
    submitted: Mapping[str, Any] | None = None,
) -> None:
    """Refuse (``StaleVersion``) a write to ``instance`` based on another version than its current one.

    ``instance`` is the row as locked by the caller's transaction; ``version`` the token (or tokens, any of which
    may match) the editor read, None to skip the check; ``fields`` the fields the edit may change, compared for the
    changes list; ``submitted`` the editor's values, reported as ``yours``."""
    if version is None:
        return
    expected = [version] if isinstance(version, str) else list(version)
    current = version_of(instance)
    if current in expected:
        return
    moments = [moment for moment in map(_moment, expected) if moment is not None]
    read_at = max(moments) if moments else None
    raise StaleVersion(
        changes=changes_since(instance, read_at=read_at, fields=fields, submitted=submitted or {}),
        version=current,
    )


def changes_since(
    instance: models.Model,
    *,
    read_at: datetime.datetime | None,
    fields: Iterable[str],
    submitted: Mapping[str, Any],
) -> list[Change]:
    """The fields of ``instance`` whose value differs from the version updated at ``read_at``, with who changed
    each last and when. Without that version in the history: the fields whose current value differs from the
    submitted one (all ``fields`` when nothing was submitted), with the row's last update time."""
    names = set(fields)
    # In the model's order, so the list reads like the form.
    model_fields = [f for f in type(instance)._meta.get_fields() if f.name in names and not f.auto_created]
    history = getattr(instance, "history", None)
    base = None
    if history is not None and read_at is not None:
        base = history.filter(history_date__lte=read_at).order_by("-history_date", "-history_id").first()
    if base is None:
        return [
            _change(field, _current(instance, field), None, instance.updated_at, submitted)
            for field in model_fields
            if not submitted
            or (field.name in submitted and _normal(field, submitted[field.name]) != _current(instance, field))
        ]
    records = list(
        history.filter(history_date__gt=base.history_date)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    last_change: dict[str, Any] = {}
    previous = {field.name: _recorded(base, field) for field in model_fields}
    for record in records:
        for field in model_fields:
            value = _recorded(record, field)
            if value != previous[field.name]:
                last_change[field.name] = record
            previous[field.name] = value
    changes = []
    for field in model_fields:
        base_value = _recorded(base, field)
        now = _current(instance, field)
        if now == base_value:
            continue
        record = last_change.get(field.name)
        changed_by = record.history_user if record is not None else None
        changed_at = record.history_date if record is not None else instance.updated_at
        changes.append(_change(field, now, changed_by, changed_at, submitted))
    return changes


def _change(field, current, changed_by, changed_at, submitted: Mapping[str, Any]) -> Change:
    yours = _normal(field, submitted[field.name]) if field.name in submitted else MISSING
    return Change(
        field=field.name,
        label=str(capfirst(field.verbose_name)),
        current=current,
        display_current=display_value(field, current),
        changed_by=changed_by,
        changed_at=changed_at,
        yours=yours,
        display_yours=display_value(field, yours) if yours is not MISSING else "",
    )


def _normal(field: models.Field, value: Any) -> Any:
    """A value comparable across the row, its history and an editor's input: related records by id."""
    if field.many_to_many:
        return sorted(getattr(item, "pk", item) for item in (value or ()))
    if field.is_relation:
        return getattr(value, "pk", value)
    return value


def _current(instance: models.Model, field: models.Field) -> Any:
    if field.many_to_many:
        return sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return getattr(instance, field.attname)


def _recorded(record, field: models.Field) -> Any:
    """``field``'s value in a history record (many-to-many fields as the sorted ids, if the history keeps them)."""
    if field.many_to_many:
        if not hasattr(record, field.name):
            return None
        return sorted(getattr(record, field.name).values_list(field.m2m_reverse_field_name(), flat=True))
    return getattr(record, field.attname)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str | dict):
        return value
    return str(value)


def display_value(field: models.Field, value: Any) -> str:
    """``value`` of ``field`` as a reader sees it: choice labels, related records by name, dates localised."""
    if value is None or value == "" or value == []:
        return "—"
    if field.many_to_many:
        related = field.related_model._default_manager.filter(pk__in=value)
        return ", ".join(str(obj) for obj in related) or "—"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.datetime):
        return formats.localize(timezone.localtime(value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(formats.localize(value))


def align_history_date(sender, *, instance, history_instance, **kwargs) -> None:
    """Date a history record written by a save with the row's new ``updated_at`` (a few microseconds earlier than
    the clock at the time of the record), so that a version token names the history record of its save. Records
    of a row whose ``updated_at`` this save did not set (an ``update_fields`` without it) keep their date."""
    updated_at = getattr(instance, "updated_at", None)
    if not isinstance(updated_at, datetime.datetime) or "_history_date" in instance.__dict__:
        return
    if datetime.timedelta(0) <= history_instance.history_date - updated_at <= _SAME_SAVE:
        history_instance.history_date = updated_at
