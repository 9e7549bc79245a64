"""Report tables as a clean A4 PDF: title, period, generation time, a chart where the report has one, the table
with a repeating header; several reports as sections of one document.

The PDF needs a TrueType font with Cyrillic letters (reportlab's own fonts have none). The first that exists
of: KALIBRA_PDF_FONT, resources/fonts/, then the usual system places for DejaVu Sans, Liberation Sans, Noto Sans
and Arial on Linux, Windows and macOS.
"""

from __future__ import annotations

import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from review import clock
from review.reporting.pdf_chart import chart_drawing
from review.reporting.tables import ExportError, ReportTable, format_cell

_REPO_FONTS = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"
_WINDOWS_FONTS = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
# (regular, bold) pairs, most preferred first.
FONT_CANDIDATES: tuple[tuple[Path, Path], ...] = (
    (_REPO_FONTS / "DejaVuSans.ttf", _REPO_FONTS / "DejaVuSans-Bold.ttf"),
    (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
    (Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"), Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf")),
    (Path("/usr/share/fonts/TTF/DejaVuSans.ttf"), Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf")),
    (Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
     Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")),
    (Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"), Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")),
    (_WINDOWS_FONTS / "arial.ttf", _WINDOWS_FONTS / "arialbd.ttf"),
    (Path("/System/Library/Fonts/Supplemental/Arial.ttf"), Path("/System/Library/Fonts/Supplemental/Arial Bold.ttf")),
    (Path("/Library/Fonts/Arial.ttf"), Path("/Library/Fonts/Arial Bold.ttf")),
)
_ACCENT, _MUTED, _ZEBRA, _RULE = "#0F8B8D", "#52606D", "#F4F7F9", "#DDE3EA"


def _has_cyrillic(path: Path) -> bool:
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        font = TTFont(f"probe-{path.name}", str(path))
    except (TTFError, OSError):
        return False
    return all(ord(letter) in font.face.charToGlyph for letter in "АЯажщЁё")


def pdf_font_paths() -> tuple[Path, Path]:
    """(regular, bold) TrueType files with Cyrillic letters; ExportError naming what to install when none is."""
    override = os.environ.get("KALIBRA_PDF_FONT")
    if override:
        path = Path(override)
        if not path.is_file() or not _has_cyrillic(path):
            raise ExportError("KALIBRA_PDF_FONT is {path}, which is not a TrueType font with Cyrillic letters.",
                              path=str(override))
        return path, path
    for regular, bold in FONT_CANDIDATES:
        if regular.is_file() and _has_cyrillic(regular):
            return regular, bold if bold.is_file() else regular
    raise ExportError("No font with Cyrillic letters was found for the PDF. Install DejaVu Sans (Debian/Ubuntu: "
                      "apt-get install fonts-dejavu-core), put DejaVuSans.ttf into {folder}, or set "
                      "KALIBRA_PDF_FONT to a .ttf file with Cyrillic letters.", folder=str(_REPO_FONTS))


@lru_cache(maxsize=4)
def _register(regular: Path, bold: Path) -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("KalibraSans", str(regular)))
    pdfmetrics.registerFont(TTFont("KalibraSans-Bold", str(bold)))
    return "KalibraSans", "KalibraSans-Bold"


def _column_widths(table: ReportTable, available: float, regular: str, bold: str, size: float) -> list[float]:
    """Each column as wide as its longest header word and (up to a cap for text) its longest value; spare width
    goes to the text columns, and when the page is too narrow the text columns wrap first."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    padding = 14.0  # the cell padding (6 + 6) and a little air
    needs, floors = [], []
    for index, column in enumerate(table.columns):
        floor = max(stringWidth(word, bold, size) for word in column.title.split()) + padding
        values = [stringWidth(format_cell(row[index], column.kind, table.lang), regular, size)
                  for row in table.rows[:500]]
        longest = max(values, default=0.0) + padding
        if column.kind == "text":
            longest = min(longest, available * 0.45)
        floors.append(floor)
        needs.append(max(floor, longest))
    text = [i for i, column in enumerate(table.columns) if column.kind == "text"] or list(range(len(needs)))
    spare = available - sum(needs)
    if spare >= 0:
        share = sum(needs[i] for i in text)
        return [need + (spare * need / share if i in text else 0.0) for i, need in enumerate(needs)]
    slack = sum(needs[i] - floors[i] for i in text)
    ratio = min(1.0, -spare / slack) if slack > 0 else 0.0
    return [need - (need - floors[i]) * ratio if i in text else need for i, need in enumerate(needs)]


def write_pdf(table: ReportTable, path: Path, *, generated_at: datetime | None = None) -> None:
    """One report as a PDF: its title, period and generation time, its chart when it has one, the table."""
    write_pdf_sections([table], path, title=table.title, generated_at=generated_at)


def write_pdf_sections(tables: list[ReportTable], path: Path, *, title: str,
                       generated_at: datetime | None = None) -> None:
    """Several reports in one PDF, each from a new page (landscape when any table is wide)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    regular, bold = _register(*pdf_font_paths())
    generated_at = generated_at or clock.local_now()
    lang = tables[0].lang
    page = landscape(A4) if any(len(table.columns) > 6 for table in tables) else A4
    margin = 14 * mm
    story = []
    for index, table in enumerate(tables):
        if index:
            story.append(PageBreak())
        story += _section(table, page[0] - 2 * margin, regular, bold, generated_at)

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.HexColor(_MUTED))
        label = f"Kalibra · {title} · {'page' if lang == 'en' else 'стр.'} {document.page}"
        canvas.drawRightString(page[0] - margin, 8 * mm, label)
        canvas.restoreState()

    document = SimpleDocTemplate(str(path), pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
                                 bottomMargin=margin + 4 * mm, title=title, author="Kalibra",
                                 subject=tables[0].caption)
    document.build(story, onFirstPage=footer, onLaterPages=footer)


def _section(table: ReportTable, available: float, regular: str, bold: str, generated_at: datetime) -> list:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, Spacer, TableStyle

    lang = table.lang
    body = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=10.5)
    number = ParagraphStyle("number", parent=body, alignment=TA_RIGHT)
    head = ParagraphStyle("head", parent=body, fontName=bold, textColor=colors.white)
    head_number = ParagraphStyle("head_number", parent=head, alignment=TA_RIGHT)
    title = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=4)
    muted = ParagraphStyle("muted", fontName=regular, fontSize=9.5, leading=13, textColor=colors.HexColor(_MUTED))
    generated = "Generated" if lang == "en" else "Сформирован"
    story = [Paragraph(escape(table.title), title), Paragraph(escape(table.caption), muted),
             Paragraph(f"{generated}: {generated_at:%d.%m.%Y %H:%M}", muted), Spacer(1, 5 * mm)]
    drawing = chart_drawing(table.chart, available, regular, lang) if table.chart is not None else None
    if drawing is not None:
        story += [drawing, Spacer(1, 4 * mm)]
    if not table.rows:
        story.append(Paragraph("No data for this period." if lang == "en" else "За этот период данных нет.", body))
        return story
    data = [[Paragraph(escape(c.title), head if c.kind == "text" else head_number) for c in table.columns]]
    for row in table.rows:
        data.append([Paragraph(escape(format_cell(value, c.kind, lang)), body if c.kind == "text" else number)
                     for value, c in zip(row, table.columns, strict=True)])
    widths = _column_widths(table, available, regular, bold, body.fontSize)
    grid = LongTable(data, colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_ACCENT)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(_ZEBRA)]),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(_RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    story.append(grid)
    return story
