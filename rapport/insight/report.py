"""The monthly management report as PDF: the dashboard's tables for one month (portfolio now, winning and
serving, ratings and pay totals of that month), in the active language, with what the viewer may see."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.pdf import Document
from rapport.insight import panels
from rapport.insight.filters import Filters
from rapport.insight.tables import Table

# How many rows of each long table the report prints (the dashboard's exports have them all).
REPORT_LIMIT = 15


def report_tables(*, user, month: datetime.date) -> list[tuple[str, list[Table]]]:
    """The report's sections for the viewer: (heading, tables)."""
    f = Filters(first=month, last=month)
    sections = []
    if panels.sees_clients_panels(user):
        loads = panels.loads(user, f)
        sections.append(
            (
                _("Portfolio"),
                [
                    panels.portfolio_table(user, f),
                    panels.load_bands_table(user, f, rows=loads),
                    panels.load_table(user, f, limit=REPORT_LIMIT, rows=loads),
                    panels.risk_table(user, f, limit=REPORT_LIMIT),
                ],
            )
        )
        sections.append(
            (
                _("Winning and serving"),
                [
                    panels.acquisitions_table(user, f),
                    panels.acquirers_table(user, f, limit=REPORT_LIMIT),
                    panels.funnel_table(user, f, limit=REPORT_LIMIT),
                    panels.served_table(user, f, limit=REPORT_LIMIT),
                    panels.cases_table(user, f, limit=REPORT_LIMIT),
                ],
            )
        )
    if panels.sees_ratings_panels(user):
        sections.append((_("Ratings"), [panels.ratings_table(user, f, limit=REPORT_LIMIT)]))
    if panels.sees_pay_panels(user):
        sections.append((_("Pay"), [panels.pay_table(user, f)]))
    return sections


def _font_size(columns: int) -> float:
    if columns <= 4:
        return 9
    if columns <= 8:
        return 7.5
    return 6


def _table(pdf: Document, table: Table) -> None:
    pdf.text_cell(table.title, size=11, bold=True, height=7)
    if not table.rows:
        pdf.text_cell(table.empty or _("Nothing to show for these filters."), size=9)
        pdf.ln(2)
        return
    numeric = table.numeric_columns
    size = _font_size(len(table.columns))
    pdf.set_font(pdf.body_family, "", size)
    align = tuple("RIGHT" if index in numeric else "LEFT" for index in range(len(table.columns)))
    with pdf.table(text_align=align, line_height=size * 0.55, first_row_as_headings=True) as out:
        head = out.row()
        for column in table.header:
            head.cell(pdf.clean(column))
        for row in table.rows:
            line = out.row()
            for cell in row:
                line.cell(pdf.clean(cell.text))
    if table.total and table.total > len(table.rows):
        pdf.text_cell(
            _("Showing %(shown)d of %(total)d; the dashboard's export has them all.")
            % {"shown": len(table.rows), "total": table.total},
            size=8,
        )
    if table.note:
        pdf.text_cell(table.note, size=8)
    pdf.ln(3)


def render(*, user, month: datetime.date, now: datetime.datetime | None = None) -> bytes:
    """The report for ``month`` as PDF bytes."""
    now = now or timezone.now()
    pdf = Document()
    title = _("Management report %(month)s") % {"month": f"{month:%Y-%m}"}
    pdf.set_title(pdf.clean(title))
    pdf.set_creator("Rapport")
    pdf.set_creation_date(now)
    pdf.footer_text = title
    pdf.add_page()
    pdf.text_cell(title, size=16, bold=True, height=9)
    local = timezone.localtime(now)
    pdf.text_cell(
        _("Generated %(at)s. Portfolio figures are as of that moment; the others are for the month.")
        % {"at": f"{local:%Y-%m-%d %H:%M}"},
        size=9,
    )
    pdf.ln(3)
    for heading, tables in report_tables(user=user, month=month):
        pdf.text_cell(heading, size=14, bold=True, height=8)
        for table in tables:
            _table(pdf, table)
    return bytes(pdf.output())
