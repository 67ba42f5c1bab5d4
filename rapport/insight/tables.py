"""What a dashboard panel shows and exports: a titled table of cells. A cell keeps its raw value (what the file
export writes), how to show it (``kind``) and the list behind it (``link``), so the page, the CSV/XLSX export and
the PDF report all show the same figures."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

from rapport.core.money import quantize


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str = "text"  # text | int | pct | money | rating | month | date
    link: str = ""
    currency: str = ""
    flag: str = ""  # a visual mark: "warn", "bad" or "good"

    @property
    def numeric(self) -> bool:
        return self.kind in {"int", "pct", "money", "rating"}

    @property
    def text(self) -> str:
        """The value for people, formatted for the active language."""
        return shown(self.value, self.kind, self.currency)

    @property
    def export(self):
        """The value for a file: numbers stay numbers (a share in percent, one decimal), months as ``YYYY-MM``."""
        value = self.value
        if value is None:
            return None
        if self.kind == "pct":
            return percent(value)
        if self.kind == "money":
            return quantize(Decimal(value), self.currency) if self.currency else Decimal(value)
        if self.kind == "rating":
            return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if self.kind == "month":
            return f"{value:%Y-%m}"
        return value


def percent(share) -> Decimal:
    """A share (0–1) as a percentage with one decimal, half up."""
    return (Decimal(str(share)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def shown(value, kind: str, currency: str = "") -> str:
    if value is None:
        return "—"
    if kind == "int":
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    if kind == "pct":
        return number_format(percent(value), decimal_pos=1, use_l10n=True) + "\u00a0%"
    if kind == "money":
        from rapport.compensation.explain import amount_text

        return amount_text(value, currency) if currency else number_format(value, use_l10n=True)
    if kind == "rating":
        return number_format(Cell(value, "rating").export, decimal_pos=2, use_l10n=True)
    if kind == "month":
        return f"{value:%Y-%m}"
    if kind == "date" and isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass
class Table:
    """One exportable table of a panel. ``rows`` may be cut to the first ``limit`` on the page (``total`` says how
    many there are; the export has them all)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    empty: str = ""
    total: int | None = None

    @property
    def header(self) -> list[str]:
        return [str(column) for column in self.columns]

    def export_rows(self):
        for row in self.rows:
            yield [cell.export for cell in row]

    @property
    def numeric_columns(self) -> set[int]:
        return {index for row in self.rows for index, cell in enumerate(row) if cell.numeric}
