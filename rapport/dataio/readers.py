"""Reading import files: CSV (UTF-8, with or without BOM; comma, semicolon or tab) and XLSX (the first sheet).

A reader gives the header row and then every data row as a tuple of strings, so the validation sees the same
input whichever format the file had: XLSX numbers that are whole become "12", dates "2024-01-31".
"""

import csv
import datetime
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rapport.core.errors import refuse
from rapport.dataio.errors import DataImportError

XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """An opened file: its headers, an estimate of its data rows (for progress) and the rows themselves."""

    headers: list[str]
    rows: Iterator[Sequence[str]]
    estimated_rows: int
    file_format: str


def detect_format(data: bytes, filename: str = "") -> str:
    """ "xlsx" for an Office Open XML workbook (a zip file), else "csv"."""
    if data[:4] == XLSX_MAGIC or filename.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def open_table(data: bytes, filename: str = "") -> Table:
    """Open ``data`` (the bytes of a CSV or XLSX file) as a Table; refuse a file that cannot be read."""
    try:
        if detect_format(data, filename) == "xlsx":
            return _open_xlsx(data)
        return _open_csv(data)
    except ValidationError:
        raise
    except Exception as exc:  # a damaged upload raises whatever its parser raises (zip, XML, decoding errors)
        raise refuse(
            DataImportError.UNREADABLE_FILE,
            _("The file cannot be read as CSV (UTF-8) or XLSX: %(error)s") % {"error": exc},
        ) from exc


def _open_csv(data: bytes) -> Table:
    text = data.decode("utf-8-sig")
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = next(reader, None)
    if headers is None:
        raise refuse(DataImportError.NO_ROWS, _("The file is empty."))
    estimated = max(text.count("\n") - 1, 0)
    return Table([h.strip() for h in headers], filter(any, reader), estimated, "csv")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _open_xlsx(data: bytes) -> Table:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = next(rows, None)
    if headers is None:
        raise refuse(DataImportError.NO_ROWS, _("The file is empty."))
    width = len(headers)

    def data_rows():
        try:
            for row in rows:
                cells = tuple(_cell(v) for v in row[:width])
                if any(cells):
                    yield cells + ("",) * (width - len(cells))
        finally:
            workbook.close()

    estimated = max((sheet.max_row or 1) - 1, 0)
    return Table([_cell(h).strip() for h in headers], data_rows(), estimated, "xlsx")
