"""PDF documents: real embedded fonts whose text can be read back, French included, with a
footer and page numbers on every page."""

from __future__ import annotations

import io
from typing import Any, cast

from pypdf import PdfReader

from renfort.lib import pdf


def _read(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(content))


def test_text_is_embedded_and_extractable_with_french_accents():
    content = pdf.document(
        [
            pdf.Title("Termes de référence", "Mission M-2027-001 · Gestion des risques"),
            pdf.Heading("Objectifs"),
            pdf.Para("Former les agents à l'évaluation « ciblée » des risques ; œuvre commune."),
            pdf.KeyValues([("Dates", "4 mars 2027 – 8 mars 2027"), ("Lieu", "Dakar")]),
            pdf.Table(["Expert", "Administration d'origine"], [["Ana Lima", "Douanes françaises"]]),
        ],
        title="Termes de référence",
        language="fr",
        footer="Renfort · M-2027-001",
        page_label="Page %(page)s sur %(pages)s",
    )
    reader = _read(content)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in ("Termes de référence", "évaluation « ciblée »", "œuvre", "4 mars 2027"):
        assert words in text
    assert "Ana Lima" in text and "Douanes françaises" in text
    assert "Page 1 sur 1" in text and "Renfort · M-2027-001" in text
    assert reader.metadata is not None and reader.metadata.title == "Termes de référence"
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    page_fonts: list[Any] = [
        font for page in reader.pages for font in cast(Any, page["/Resources"])["/Font"].values()
    ]
    fonts = {str(font["/BaseFont"]) for font in page_fonts}
    # Embedded TrueType subsets of Vera, never one of the fourteen standard fonts.
    assert fonts and all("Helvetica" not in f and "Times" not in f for f in fonts)
    assert all(
        "/FontFile2" in font.get_object()["/FontDescriptor"]
        for font in page_fonts
        if "/FontDescriptor" in font.get_object()
    )


def test_every_page_is_numbered_out_of_the_total():
    rows = [[f"Row {n}", "text " * 8] for n in range(120)]
    reader = _read(pdf.document([pdf.Table(["A", "B"], rows)], title="Long"))
    assert len(reader.pages) >= 3
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, start=1):
        assert f"Page {n} of {total}" in page.extract_text()


def test_a_character_the_font_lacks_is_replaced_not_dropped():
    assert pdf.printable("a\u202fb → c") == "a\u00a0b -> c"
    assert pdf.printable("✓ done") == "? done"
    text = _read(pdf.document([pdf.Para("Ready ✓ <b>not markup</b> & more")], title="x"))
    extracted = text.pages[0].extract_text()
    assert "Ready ? <b>not markup</b> & more" in extracted
