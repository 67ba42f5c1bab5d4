"""Tables to files: CSV streamed row by row, XLSX written in openpyxl's write-only mode.

Cells are plain values (numbers, text, dates); text that a spreadsheet would run as a formula is quoted, so an
exported client name such as ``=HYPERLINK(...)`` stays text.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

# A text cell starting with one of these is a formula to a spreadsheet (and to openpyxl).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: str) -> str:
    """Text that a spreadsheet shows as written: a leading formula character is quoted with ``'``."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def plain(value):
    """A cell value for a file: text quoted against formulas, whole decimals without trailing zeros, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    if isinstance(value, datetime.date | int | float):
        return value
    return safe_text(str(value))


class _Echo:
    """A file-like object that hands back what is written: csv.writer formats, the response streams."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text of ``rows`` line by line, header first (a byte-order mark first, for spreadsheet programs)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_text(str(name)) for name in header])
    for row in rows:
        yield writer.writerow([plain(value) for value in row])


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    """The rows as an XLSX workbook with one sheet named ``title`` (at most 31 characters, as Excel allows)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([safe_text(str(name)) for name in header])
    for row in rows:
        sheet.append([plain(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return (cleaned or "Sheet")[:31]


def table_response(*, fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str):
    """A download of the table: ``fmt`` is ``csv`` (streamed) or ``xlsx``; ``filename`` has no extension."""
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(header, rows, title=title), content_type=XLSX_TYPE)
    else:
        raise ValueError(f"Unknown export format {fmt!r}.")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


EXPORT_FORMATS = ("csv", "xlsx")


def list_export(*, fmt: str, filename: str, title: str, columns, items):
    """A list page's rows as a download: ``columns`` is ``[(header, value_of_item)]``; ``items`` is read lazily
    (pass ``queryset.iterator()``), so a CSV of any size streams without holding the list in memory."""
    header = [str(name) for name, _value in columns]
    rows = ([value(item) for _name, value in columns] for item in items)
    return table_response(fmt=fmt, filename=filename, header=header, rows=rows, title=title)
