"""The job description as a document: blocks for HTML and a PDF (fpdf2 with a Unicode font; see
``rapport.core.pdf``). Headings are in the document's own language, whatever the reader's."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapport.core.pdf import Document
from rapport.hiring.choices import Section
from rapport.hiring.models import JobDescriptionVersion
from rapport.managers.choices import ManagerLevel, ManagerType


@dataclass(frozen=True)
class Block:
    """A paragraph, or a list of bullet items (lines that start with "-", "•" or "*")."""

    kind: str
    lines: list[str]


def blocks(text: str) -> list[Block]:
    result: list[Block] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line[0] in "-•*":
            item = line[1:].strip()
            if result and result[-1].kind == "list":
                result[-1].lines.append(item)
            else:
                result.append(Block("list", [item]))
        else:
            result.append(Block("paragraph", [line]))
    return result


@dataclass(frozen=True)
class DocumentSection:
    key: str
    heading: str
    blocks: list[Block]


@dataclass(frozen=True)
class JobDocument:
    """What the document shows, in the document's language."""

    title: str
    subtitle: str
    status: str
    language: str
    sections: list[DocumentSection]


def job_document(version: JobDescriptionVersion) -> JobDocument:
    job = version.job_description
    with translation.override(job.language):
        about = _("%(type)s type, %(level)s level") % {
            "type": str(ManagerType(job.manager_type).label).lower(),
            "level": str(ManagerLevel(job.level).label).lower(),
        }
        if job.manager_id:
            about += " · " + job.manager.name
        elif job.position_id:
            about += " · " + job.position.title
        if version.issued_at:
            status = _("Version %(number)d, issued on %(date)s") % {
                "number": version.number,
                "date": date_format(version.issued_at.date(), "SHORT_DATE_FORMAT"),
            }
        else:
            status = _("Version %(number)d — draft, not in force") % {"number": version.number}
        sections = [
            DocumentSection(section, str(Section(section).label), blocks(getattr(version, section)))
            for section in Section.values
            if (getattr(version, section) or "").strip()
        ]
        return JobDocument(title=job.title, subtitle=about, status=status, language=job.language, sections=sections)


def job_description_pdf(version: JobDescriptionVersion) -> bytes:
    """The version as an A4 PDF."""
    document = job_document(version)
    pdf = Document()
    pdf.set_title(pdf.clean(document.title))
    pdf.set_creator("Rapport")
    pdf.set_lang(document.language)
    pdf.footer_text = f"{document.title} · {document.status}"
    pdf.alias_nb_pages()
    pdf.add_page()
    with translation.override(document.language):
        pdf.text_cell(_("Job description"), size=9)
    pdf.text_cell(document.title, size=17, bold=True, height=8)
    pdf.text_cell(document.subtitle, size=10)
    pdf.text_cell(document.status, size=9)
    for section in document.sections:
        pdf.ln(4)
        pdf.text_cell(section.heading, size=12, bold=True, height=7)
        for block in section.blocks:
            if block.kind == "paragraph":
                pdf.text_cell(block.lines[0], size=10)
                pdf.ln(1)
                continue
            for item in block.lines:
                pdf.bullet(item, size=10)
            pdf.ln(1)
    return bytes(pdf.output())
