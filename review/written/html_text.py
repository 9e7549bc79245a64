"""HTML mail rendered to plain text with the standard library's parser: paragraphs, line breaks, lists, links'
text; scripts and styles dropped; a <blockquote> becomes "> " lines so the reply splitter finds the quotation."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "table", "tr", "ul", "ol", "h1", "h2",
                     "h3", "h4", "h5", "h6", "pre", "hr", "address", "center", "form"})
_HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.quote_depth = 0
        self.pre = 0

    def _break(self) -> None:
        text = "".join(self.current)
        text = text if self.pre else re.sub(r"[ \t\r\n\f\u00a0]+", " ", text).strip()
        prefix = "> " * self.quote_depth
        for part in text.split("\n") if self.pre else [text]:
            self.lines.append(prefix + part if part or self.quote_depth else part)
        self.current = []

    def _paragraph(self) -> None:
        if "".join(self.current).strip():
            self._break()
        if self.lines and self.lines[-1].strip("> "):
            self.lines.append("> " * self.quote_depth if self.quote_depth else "")

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._break()
        elif tag == "blockquote":
            self._paragraph()
            self.quote_depth += 1
        elif tag in _BLOCKS:
            self._paragraph()
            self.pre += tag == "pre"
        elif tag == "li":
            if "".join(self.current).strip():
                self._break()
            self.current.append("• ")
        elif tag in ("td", "th") and "".join(self.current).strip():
            self.current.append("\t")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.current.append(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "blockquote":
            if "".join(self.current).strip():
                self._break()
            while self.lines and not self.lines[-1].strip("> "):
                self.lines.pop()
            self.quote_depth = max(0, self.quote_depth - 1)
            self.lines.append("")
        elif tag in _BLOCKS or tag == "li":
            if tag == "pre":
                self._break()
                self.pre = max(0, self.pre - 1)
            elif tag == "li" or tag == "tr":
                if "".join(self.current).strip():
                    self._break()
            else:
                self._paragraph()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML mail body: one line per paragraph or <br>, blank lines between blocks."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    parser._break()
    text = "\n".join(line.rstrip() for line in parser.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
