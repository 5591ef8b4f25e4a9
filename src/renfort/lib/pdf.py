"""PDF documents with real text: the building blocks every Renfort PDF is made of.

A document is a list of blocks (``Title``, ``Heading``, ``Para``, ``KeyValues``, ``Table``,
``Gap``) turned into bytes by ``document``. The text is set in the Bitstream Vera TrueType
fonts that ship with reportlab, embedded in the file: it renders the same everywhere, can be
searched, copied and read aloud, and covers French (é, à, ç, « », œ). A character the font
lacks is replaced rather than drawn as an empty box. Every page carries a footer and its
number ("Page 2 of 3", worded by the caller in the reader's language).

Nothing here knows Renfort's data: callers pass text already in the reader's language.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import Flowable

FONT = "RenfortSans"
BOLD = "RenfortSans-Bold"
ITALIC = "RenfortSans-Italic"
BOLD_ITALIC = "RenfortSans-BoldItalic"
_FILES = {FONT: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf", BOLD_ITALIC: "VeraBI.ttf"}
# What stands in for a character the fonts lack: the nearest they have, else a question mark.
_STAND_INS = {"\u202f": "\u00a0", "\u2009": " ", "\u2192": "->", "\u2264": "<="}
MARGIN = 20 * mm
INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#5c5c5c")
RULE = colors.HexColor("#a9aeb1")


@functools.cache
def register_fonts() -> frozenset[int]:
    """Register the bundled Vera fonts once; returns the characters they can draw."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    fonts = {name: TTFont(name, os.path.join(folder, file)) for name, file in _FILES.items()}
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
    return frozenset(fonts[FONT].face.charToGlyph)


def printable(text: str) -> str:
    """``text`` with every character the fonts cannot draw replaced by a stand-in."""
    known = register_fonts()
    out = []
    for char in text:
        if ord(char) in known or char in "\n\t":
            out.append(char)
        else:
            out.append(_STAND_INS.get(char, "?"))
    return "".join(out)


def _markup(text: str) -> str:
    """Plain text as paragraph markup: escaped, line breaks kept."""
    return escape(printable(text)).replace("\n", "<br/>")


# --- blocks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    text: str
    subtitle: str = ""


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text (line breaks kept)."""

    text: str
    muted: bool = False


@dataclass(frozen=True)
class KeyValues:
    """Label and value pairs, one per row (a definition list)."""

    rows: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] | None = None  # fractions of the text width


@dataclass(frozen=True)
class Gap:
    height_mm: float = 6


Block = Title | Heading | Para | KeyValues | Table | Gap


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=10, leading=14, textColor=INK, alignment=TA_LEFT
    )
    return {
        "body": body,
        "muted": ParagraphStyle("muted", parent=body, textColor=MUTED, fontSize=9, leading=12),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=17, leading=22),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=11, leading=15, textColor=MUTED, spaceAfter=8
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12),
        "label": ParagraphStyle("label", parent=body, fontName=BOLD, fontSize=9, leading=12),
    }


def _table(data: list[list[Any]], widths: Sequence[float], header: bool) -> RLTable:
    table = RLTable(data, colWidths=list(widths), repeatRows=1 if header else 0)
    style: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cell default, else Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, INK))
    table.setStyle(TableStyle(style))
    return table


def _flowables(block: Block, width: float) -> list[Flowable]:
    s = _styles()
    if isinstance(block, Title):
        out: list[Flowable] = [Paragraph(_markup(block.text), s["title"])]
        if block.subtitle:
            out.append(Paragraph(_markup(block.subtitle), s["subtitle"]))
        return out
    if isinstance(block, Heading):
        return [Paragraph(_markup(block.text), s["heading"])]
    if isinstance(block, Para):
        return [Paragraph(_markup(block.text), s["muted" if block.muted else "body"]), Spacer(1, 4)]
    if isinstance(block, KeyValues):
        rows = [
            [Paragraph(_markup(k), s["label"]), Paragraph(_markup(v), s["cell"])]
            for k, v in block.rows
        ]
        return [_table(rows, [width * 0.3, width * 0.7], header=False)] if rows else []
    if isinstance(block, Table):
        count = max(len(block.header), 1)
        fractions = block.widths or [1 / count] * count
        data = [[Paragraph(_markup(h), s["label"]) for h in block.header]]
        data += [[Paragraph(_markup(c), s["cell"]) for c in row] for row in block.rows]
        return [_table(data, [width * f for f in fractions], header=bool(block.header))]
    return [Spacer(1, block.height_mm * mm)]


# --- the document ---------------------------------------------------------------------------


def _numbered_canvas(footer: str, page_label: str) -> type[Canvas]:
    """A canvas that draws the footer and "page n of N" once it knows N (pages are kept
    until the document is saved)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's reset

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width = A4[0]
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
            if footer:
                self.drawString(MARGIN, 10 * mm, printable(footer))
            label = page_label % {"page": self.getPageNumber(), "pages": total}
            self.drawRightString(width - MARGIN, 10 * mm, printable(label))

    return NumberedCanvas


def document(
    blocks: Sequence[Block],
    *,
    title: str,
    language: str = "en",
    author: str = "",
    subject: str = "",
    footer: str = "",
    page_label: str = "Page %(page)s of %(pages)s",
) -> bytes:
    """The PDF of ``blocks`` on A4 pages, as bytes.

    ``title``, ``author``, ``subject`` and ``language`` (an ISO 639-1 code) go in the file's
    properties; ``footer`` and ``page_label`` (with ``%(page)s`` and ``%(pages)s``) on every
    page, in the words the caller chose for the reader.
    """
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=22 * mm,
        title=printable(title),
        author=printable(author),
        subject=printable(subject),
        creator="Renfort",
        lang=language,
        # Vera from the first mark on: no standard (unembedded) font in the file.
        initialFontName=FONT,
    )
    story: list[Flowable] = []
    for block in blocks:
        story.extend(_flowables(block, doc.width))
    doc.build(story, canvasmaker=_numbered_canvas(footer, page_label))
    return buffer.getvalue()
