"""PDF documents with fpdf2 (pure Python): a Unicode TrueType font when the machine has one, so Hungarian and
Russian print as written, else the PDF's built-in Helvetica (Latin-1 only; other letters lose their accents,
ő → o) — a readable document on any machine, never an error.

The font is ``RAPPORT["PDF_FONT"]`` (and ``PDF_FONT_BOLD``) when set, else DejaVu, Liberation or Noto Sans where
Linux distributions put them.
"""

import unicodedata
from pathlib import Path

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
]


def font_files() -> tuple[str, str] | None:
    """The regular and bold font files to embed, or ``None`` when the machine has none of them."""
    configured = settings.RAPPORT.get("PDF_FONT")
    candidates = [(configured, settings.RAPPORT.get("PDF_FONT_BOLD") or configured)] if configured else []
    for regular, bold in [*candidates, *FONT_CANDIDATES]:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else regular
    return None


def latin1(text: str) -> str:
    """Text the built-in Helvetica can print: accents outside Latin-1 dropped, anything else as "?"."""
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char)[0]
            out.append(base if base.isascii() else "?")
    return "".join(out)


class Document(FPDF):
    """An A4 portrait document with the body font chosen above; ``clean`` makes text printable in it."""

    def __init__(self):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        fonts = font_files()
        if fonts:
            self.add_font("Body", "", fonts[0])
            self.add_font("Body", "B", fonts[1])
            self.body_family, self.clean = "Body", str
        else:
            self.body_family, self.clean = "helvetica", latin1
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.footer_text = ""

    @property
    def unicode(self) -> bool:
        return self.body_family == "Body"

    def text_cell(self, text: str, *, size: float = 10, bold: bool = False, height: float = 5.5, indent: float = 0):
        self.set_font(self.body_family, "B" if bold else "", size)
        if indent:
            self.set_x(self.l_margin + indent)
        self.multi_cell(0, height, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullet(self, text: str, *, size: float = 10, height: float = 5.5, indent: float = 3):
        """A list item: the bullet, then the text wrapped under itself (a hanging indent)."""
        self.set_font(self.body_family, "", size)
        self.set_x(self.l_margin + indent)
        self.cell(4, height, "•" if self.unicode else "-")
        self.multi_cell(0, height, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.body_family, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, self.clean(f"{self.footer_text}   {self.page_no()}/{{nb}}"), align="R")
        self.set_text_color(0)
