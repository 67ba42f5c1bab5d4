"""What an import did, or would do, to every row: the outcome counts and a per-row table."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from rapport.dataio.validation import RowError


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REFUSED = "refused"
    VALUES = (CREATED, UPDATED, UNCHANGED, REFUSED)
    CHOICES = [
        (CREATED, _("Created")),
        (UPDATED, _("Updated")),
        (UNCHANGED, _("Unchanged")),
        (REFUSED, _("Refused")),
    ]


# How many rows of each kind the report lists (the counts are always complete): every refused row up to the
# first limit, the others up to the second.
REFUSED_LISTED = 10_000
OTHERS_LISTED = 2_000

# progress(rows done, rows expected, stage)
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, stage: str) -> None:
    """The progress callback of callers that show none."""


@dataclass
class RowReport:
    """One row: its line in the file (the header is line 1), outcome, key, a label, changed fields, errors."""

    line: int
    outcome: str
    key: str = ""
    label: str = ""
    changed: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "outcome": self.outcome,
            "key": self.key,
            "label": self.label,
            "changed": self.changed,
            "errors": [{"field": e.field, "code": e.code, "message": e.message} for e in self.errors],
        }


@dataclass
class Report:
    """The outcome of an import or dry run."""

    kind: str
    dry_run: bool
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Outcome.VALUES, 0))
    rows: list[RowReport] = field(default_factory=list)
    listed_others: int = 0
    listed_refused: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def complete(self) -> bool:
        """Whether every row is listed in ``rows``."""
        return len(self.rows) == self.total

    def add(self, line: int, outcome: str, *, key="", label="", changed=(), errors=()) -> None:
        """Count a row and list it while the limits allow."""
        self.counts[outcome] += 1
        if outcome == Outcome.REFUSED:
            if self.listed_refused >= REFUSED_LISTED:
                return
            self.listed_refused += 1
        else:
            if self.listed_others >= OTHERS_LISTED:
                return
            self.listed_others += 1
        self.rows.append(RowReport(line, outcome, str(key), str(label), list(changed), list(errors)))

    def add_many(self, outcome: str, lines: list[int], keys: list, labels: list) -> None:
        """Count rows of one outcome (not refused) and list them while the limit allows."""
        room = max(OTHERS_LISTED - self.listed_others, 0)
        for line, key, label in zip(lines[:room], keys[:room], labels[:room], strict=True):
            self.rows.append(RowReport(line, outcome, str(key or ""), str(label or "")))
        listed = min(room, len(lines))
        self.listed_others += listed
        self.counts[outcome] += len(lines)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "counts": dict(self.counts),
            "total": self.total,
            "complete": self.complete,
            "rows": [row.as_dict() for row in sorted(self.rows, key=lambda r: r.line)],
        }
