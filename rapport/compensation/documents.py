"""Documents of compensation: a statement as PDF (fpdf2, pure Python), a period's lines as CSV (streamed) and XLSX
(openpyxl, write-only) for accounting.

The PDF is a ``rapport.core.pdf.Document``: a Unicode font when the machine has one, else the built-in Helvetica.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from rapport.compensation.choices import LineKind
from rapport.compensation.explain import amount_text, quantity_text
from rapport.compensation.selectors import LineView
from rapport.core.pdf import Document


def plain(value: Decimal | None) -> Decimal | None:
    """A stored decimal without trailing zeros (``450000.00`` → ``450000``; ``0.354839`` stays)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _month(value: datetime.date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


# ---------------------------------------------------------------------------------------------------------------
# CSV and XLSX
# ---------------------------------------------------------------------------------------------------------------


def header() -> list[str]:
    return [
        _("Month"),
        _("Manager id"),
        _("Manager"),
        _("Line"),
        _("For month"),
        _("Quantity"),
        _("Rate"),
        _("Amount"),
        _("Currency"),
    ]


# A text cell starting with one of these is a formula to a spreadsheet (and to openpyxl): names are quoted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def cells(row) -> list:
    """An export row as cells: months as ``YYYY-MM``, decimals without trailing zeros, the line's code; a name
    that a spreadsheet would run as a formula is quoted."""
    month, manager_id, name, kind, reference, quantity, rate, amount, currency = row
    return [
        _month(month),
        manager_id,
        _text(name),
        kind,
        _month(reference),
        plain(quantity),
        plain(rate),
        plain(amount),
        currency,
    ]


class _Echo:
    """A file-like object that hands back what is written: csv.writer formats, the response streams."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(rows):
    """The CSV text of ``rows`` line by line, header first."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header())
    for row in rows:
        yield writer.writerow(cells(row))


def xlsx_bytes(rows, *, title: str) -> bytes:
    """The rows as an XLSX workbook (write-only mode: rows go to the file as they come)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header())
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------------------


def statement_pdf(*, statement, lines: list[LineView], status: str, queries=()) -> bytes:
    """The statement as a PDF document in the active language: who, which month, every line with quantity, rate,
    amount and the sentence that explains it, overrides with their reason, and the total."""
    pdf = Document()
    pdf.set_title(pdf.clean(f"{statement.manager.name} {statement.period.month:%Y-%m}"))
    pdf.set_creator("Rapport")
    pdf.set_creation_date(statement.calculated_at)
    pdf.add_page()
    pdf.text_cell(_("Pay statement"), size=16, bold=True, height=9)
    pdf.text_cell(
        _("%(manager)s · %(month)s · %(status)s")
        % {"manager": statement.manager.name, "month": f"{statement.period.month:%Y-%m}", "status": status},
        size=11,
    )
    version = statement.plan_version
    pdf.text_cell(
        _("Plan %(plan)s, version from %(from)s · calculated %(at)s")
        % {
            "plan": version.plan.name,
            "from": f"{version.effective_from:%Y-%m}",
            "at": f"{statement.calculated_at:%Y-%m-%d %H:%M}",
        },
        size=9,
    )
    pdf.ln(4)
    labels = dict(LineKind.choices)
    currency = statement.currency
    pdf.set_font(pdf.body_family, "", 9)
    with pdf.table(
        col_widths=(36, 76, 22, 22, 24),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=5,
        first_row_as_headings=True,
    ) as table:
        head = table.row()
        for title in (_("Line"), _("Explanation"), _("Quantity"), _("Rate"), _("Amount")):
            head.cell(pdf.clean(title))
        for view in lines:
            line = view.line
            label = str(labels.get(line.kind, line.kind))
            if line.reference_month:
                label = f"{label} ({line.reference_month:%Y-%m})"
            explanation = view.sentence
            if view.override:
                explanation += " " + _("Set by %(who)s; computed %(amount)s.") % {
                    "who": view.override["by_name"],
                    "amount": amount_text(line.computed_amount, currency) if line.computed_amount is not None else "—",
                }
            row = table.row()
            row.cell(pdf.clean(label))
            row.cell(pdf.clean(explanation))
            row.cell(quantity_text(line.quantity))
            row.cell(amount_text(line.rate, currency))
            row.cell(amount_text(line.amount, currency))
    pdf.ln(3)
    pdf.text_cell(
        _("Total: %(total)s %(currency)s") % {"total": amount_text(statement.total, currency), "currency": currency},
        size=12,
        bold=True,
    )
    if queries:
        pdf.ln(3)
        pdf.text_cell(_("Queries"), size=11, bold=True)
        for query in queries:
            text = f"{labels.get(query.kind, query.kind)}: {query.comment}"
            if query.answer:
                text += " — " + query.answer
            pdf.text_cell(f"{text} ({query.get_status_display()})", size=9, height=5)
    return bytes(pdf.output())
