"""A weekly line chart (0-100 %) for a PDF report, drawn with reportlab's graphics: one line per operator, team
or measure, a legend beside it; the same picture the reports screen draws with Qt (app/trend_chart.py)."""

from __future__ import annotations

from datetime import date

from review.reporting.tables import WeeklyChart

# The screen's palette (app/trend_chart.py): distinct on white and for the common kinds of colour blindness.
PALETTE = ("#0F8B8D", "#E69F00", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#7B8794", "#3D4852",
           "#B8860B")
MAX_LINES = len(PALETTE)


def _day_month(day: date, lang: str) -> str:
    return f"{day:%m-%d}" if lang == "en" else f"{day:%d.%m}"


def chart_drawing(chart: WeeklyChart, width: float, regular: str, lang: str, height: float = 190.0):
    """A reportlab Drawing of the chart's first MAX_LINES lines, `width` points wide; None without points."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = [(name, sorted(points)) for name, points in chart.lines[:MAX_LINES] if points]
    if not lines:
        return None
    weeks = sorted({week for _name, points in lines for week, _value in points})
    size = 7.5
    legend = min(160.0, max(stringWidth(name, regular, size) for name, _points in lines) + 26)
    left, right, bottom, top = stringWidth("100 %", regular, size) + 8, width - legend - 10, 16.0, height - 18
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 9, chart.title, fontName=regular, fontSize=9, fillColor=colors.HexColor("#1F2933")))
    muted = colors.HexColor("#7B8794")

    def y(value: float) -> float:
        return bottom + max(0.0, min(100.0, value)) / 100 * (top - bottom)

    def x(week: date) -> float:
        if len(weeks) == 1:
            return (left + right) / 2
        inset = 10.0
        return left + inset + (week - weeks[0]).days / (weeks[-1] - weeks[0]).days * (right - left - 2 * inset)

    for level in (0, 25, 50, 75, 100):
        drawing.add(Line(left, y(level), right, y(level), strokeWidth=0.5,
                         strokeColor=colors.HexColor("#CBD2D9" if level == 0 else "#EEF1F4")))
        drawing.add(String(left - 4, y(level) - 2.5, f"{level} %", fontName=regular, fontSize=size, fillColor=muted,
                           textAnchor="end"))
    step = max(1, int(len(weeks) * (stringWidth("00.00", regular, size) + 6) / max(right - left, 1)) + 1)
    for week in weeks[::step]:
        drawing.add(String(x(week), 4, _day_month(week, lang), fontName=regular, fontSize=size, fillColor=muted,
                           textAnchor="middle"))
    for index, (name, points) in enumerate(lines):
        color = colors.HexColor(PALETTE[index])
        coordinates = [c for week, value in points for c in (x(week), y(value))]
        if len(points) > 1:
            drawing.add(PolyLine(coordinates, strokeColor=color, strokeWidth=1.6))
        for week, value in points:
            drawing.add(Circle(x(week), y(value), 2.2, fillColor=color, strokeColor=color))
        row = top - index * 12
        drawing.add(Line(right + 10, row, right + 22, row, strokeColor=color, strokeWidth=2.5))
        drawing.add(String(right + 26, row - 2.5, name, fontName=regular, fontSize=size,
                           fillColor=colors.HexColor("#1F2933")))
    return drawing
