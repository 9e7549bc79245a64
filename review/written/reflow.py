"""An e-mail's hard-wrapped lines joined back into paragraphs for display (mail programs break lines at 72–78
characters, some wider; a bubble narrower or wider than that showed ragged short lines).

A line break is kept where the writer made it: a blank line, a line short enough that the next word would
have fitted on it (a greeting, a signature, an address), a list item's start, a change of quotation depth.
A text with no line as long as a mail program wraps at is left as it is (a chat-like mail of short lines)."""

from __future__ import annotations

import re

# The widths mail programs wrap at (72–78, some wider): a text with no line this long was not wrapped, and a
# longer line is a paragraph typed without breaks.
WRAP_WIDTHS = range(50, 101)
_QUOTE = re.compile(r"^\s*((?:>\s?)+)")
_LIST_ITEM = re.compile(r"^\s*([-*•–—]\s|\d{1,3}[.)]\s|[a-zа-я][)]\s)", re.IGNORECASE)


def reflow(text: str) -> str:
    """`text` with the line breaks a mail program added removed; every word kept, in order."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    for depth, group in _quote_groups(lines):
        prefix = "> " * depth
        out.extend(prefix + line if line or depth == 0 else prefix.rstrip() for line in _reflow_lines(group))
    return "\n".join(out)


def _quote_groups(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of lines of one quotation depth, the "> " marks taken off."""
    groups: list[tuple[int, list[str]]] = []
    for line in lines:
        match = _QUOTE.match(line)
        depth = match.group(1).count(">") if match else 0
        content = line[match.end():] if match else line
        if groups and groups[-1][0] == depth:
            groups[-1][1].append(content)
        else:
            groups.append((depth, [content]))
    return groups


def _reflow_lines(lines: list[str]) -> list[str]:
    width = max((n for line in lines if (n := len(line.rstrip())) in WRAP_WIDTHS), default=None)
    out: list[str] = []
    previous: str | None = None  # the line before, while the next one may continue it
    for line in lines:
        stripped = line.strip()
        starts_anew = _LIST_ITEM.match(line) or stripped == "--"  # a list item; a signature's "-- " line
        if previous is not None and stripped and not starts_anew and \
                len(previous.rstrip()) + 1 + len(stripped.split()[0]) > width:
            out[-1] += " " + stripped  # the word did not fit there: the mail program broke the line
        else:
            out.append(line.rstrip())
        previous = line if stripped and stripped != "--" and width is not None else None
    return out
