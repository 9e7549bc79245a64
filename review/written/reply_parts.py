"""An e-mail's text in three parts: what was written anew, the signature, and the quotation of earlier mail.

The parts are split for display only; the message keeps all three. Recognised: "> " quotations with the line
that introduces them ("On … wrote:", "… написал(а):", Gmail's "пн, 3 мар. 2025 г. в 10:00, … <…>:"),
Outlook's "-----Original Message-----" / "-----Исходное сообщение-----" / "From: … Sent: …" blocks, the
"-- " signature separator, and a closing ("С уважением", "Best regards"…) a few short lines from the end.
"""

from __future__ import annotations

import re

_ATTRIBUTION = re.compile(r"(wrote|написал\(а\)|написала?|пишет|писал\(а\)|schrieb)\s*:\s*$|<[^>@\s]+@[^>\s]+>\s*:\s*$",
                          re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*(-{2,}\s*(original message|исходное сообщение|пересылаемое сообщение|forwarded message)"
                        r"\s*-{2,}|_{20,})\s*$", re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"^\s*(from|от|отправитель)\s*:\s*\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*(sent|date|отправлено|дата|to|кому)\s*:", re.IGNORECASE)
_CLOSINGS = re.compile(r"^\s*(с уважением|с наилучшими пожеланиями|всего доброго|всего хорошего|best regards|"
                       r"kind regards|regards|best wishes|sincerely|отправлено с|sent from my)\b", re.IGNORECASE)
SIGNATURE_LINES = 6  # a closing further from the end than this is part of the letter


def _quote_start(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if _SEPARATOR.match(line):
            return index
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(n) for n in lines[index + 1:index + 4]):
            return index
        if line.lstrip().startswith(">"):
            rest = [n for n in lines[index:] if n.strip()]
            if all(n.lstrip().startswith(">") for n in rest):
                return _with_attribution(lines, index)
    return None


def _with_attribution(lines: list[str], index: int) -> int:
    """Take the line that introduces the quotation (it may wrap over two lines) along with it."""
    back = index - 1
    while back >= 0 and not lines[back].strip():
        back -= 1
    if back >= 0 and _ATTRIBUTION.search(lines[back]):
        if back >= 1 and lines[back - 1].strip() and not _ATTRIBUTION.search(lines[back - 1]) and \
                len(lines[back - 1]) + len(lines[back]) < 160 and re.search(r"\d", lines[back - 1]):
            return back - 1
        return back
    return index


def _signature_start(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if line in ("-- ", "--"):
            return index
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for index in filled[-SIGNATURE_LINES:]:
        if _CLOSINGS.match(lines[index]) and index != filled[0]:
            return index
    return None


def split_reply(text: str) -> tuple[str, str, str]:
    """(new text, signature, quotation); the three joined again hold every line of `text`."""
    lines = text.replace("\r\n", "\n").split("\n")
    quote_at = _quote_start(lines)
    body, quoted = (lines, []) if quote_at is None else (lines[:quote_at], lines[quote_at:])
    signature_at = _signature_start(body)
    new, signature = (body, []) if signature_at is None else (body[:signature_at], body[signature_at:])
    return ("\n".join(new).strip("\n"), "\n".join(signature).strip("\n"), "\n".join(quoted).strip("\n"))
