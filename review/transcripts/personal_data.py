"""Personal data in transcripts: phone, e-mail, card, passport and SNILS numbers, dates of birth.

Pure text in, character spans out, in Russian and English, whether the transcript spells numbers with
digits or as words ("восемь девятьсот шестнадцать…", "eight nine one six…"). Spans map to word indices
and times when the segment's words are given, so exports can mask the text and mute the audio.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from review import clock
from review.transcripts.spoken_numbers import (
    EN_HUNDRED,
    ORDINAL_SUFFIXES,
    THOUSAND,
    Group,
    groups_of,
    number_word,
)
from transcription.transcript import Word

KINDS = ("phone", "email", "card", "passport", "snils", "birth_date")
DEFAULT_LABELS = {"phone": "[phone]", "email": "[e-mail]", "card": "[card]", "passport": "[passport]",
                  "snils": "[SNILS]", "birth_date": "[date of birth]"}


@dataclass(frozen=True)
class Span:
    kind: str
    start: int  # character offsets into the text, end exclusive
    end: int
    text: str


@dataclass(frozen=True)
class TimedSpan:
    kind: str
    start: int
    end: int
    first_word: int  # indices into the segment's words, inclusive
    last_word: int
    start_s: float
    end_s: float


@dataclass(frozen=True)
class _Token:
    text: str  # lower case, ё as е
    start: int
    end: int
    kind: str  # "num" | "word" | "sym"


_TOKEN = re.compile(r"(?P<num>\d+)|(?P<word>[^\W\d_]+)|(?P<sym>\S)")


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group().lower().replace("ё", "е"), m.start(), m.end(), m.lastgroup) for m in _TOKEN.finditer(text)]


# -- context words (stems, matched as prefixes) --------------------------------------------------------------
_PHONE_CONTEXT = ("телефон", "номер", "звон", "позвон", "перезвон", "мобильн", "сотов", "набер", "phone", "number",
                  "call", "mobile", "cell", "reach", "dial")
_CARD_CONTEXT = ("карт", "card", "visa", "виза", "mastercard", "мастеркард")
_PASSPORT_CONTEXT = ("паспорт", "passport")
_SNILS_CONTEXT = ("снилс", "страхов", "snils", "пенсионн")
_BIRTH_CONTEXT = ("рожд", "родил", "birth", "born", "dob", "birthday")
_JOINERS = frozenset({"-", "–", "—", "(", ")", ",", "+", "/", "."})


def _has_context(tokens: list[_Token], start: int, stems: tuple[str, ...], before: int = 8, after: int = 0) -> bool:
    window = tokens[max(0, start - before):start] + tokens[start + 1:start + 1 + after] if after else \
        tokens[max(0, start - before):start]
    return any(t.kind == "word" and t.text.startswith(stems) for t in window)


# -- runs of number tokens ------------------------------------------------------------------------------------
@dataclass
class _Run:
    first: int  # token indices, inclusive
    last: int
    groups: list[Group]
    plus: bool

    @property
    def digits(self) -> str:
        return "".join(g.digits for g in self.groups)


def _is_number(tokens: list[_Token], i: int, after_number: bool = False) -> bool:
    token = tokens[i]
    if token.kind == "num":
        return True
    if token.kind != "word":
        return False
    if token.text in ("oh", "o"):  # a zero only beside other digits ("oh seven seven", "two oh")
        return after_number or (i + 1 < len(tokens) and tokens[i + 1].text not in ("oh", "o")
                                and _is_number(tokens, i + 1))
    return number_word(token.text) is not None


def _past_suffix(tokens: list[_Token], last: int) -> int:
    """The last token of a number written with an ordinal ending: "15th", "14-го"."""
    if last + 1 < len(tokens) and tokens[last + 1].text in ORDINAL_SUFFIXES \
            and tokens[last + 1].start == tokens[last].end:
        return last + 1
    if last + 2 < len(tokens) and tokens[last + 1].text == "-" and tokens[last + 1].start == tokens[last].end \
            and tokens[last + 2].text in ORDINAL_SUFFIXES and tokens[last + 2].start == tokens[last + 1].end:
        return last + 2
    return last


def _runs(text: str, tokens: list[_Token]) -> list[_Run]:
    runs: list[_Run] = []
    i = 0
    while i < len(tokens):
        if not _is_number(tokens, i):
            i += 1
            continue
        members = [i]
        j = i
        while True:
            k = (_past_suffix(tokens, j) if tokens[j].kind == "num" else j) + 1
            joiners = 0
            while k < len(tokens) and tokens[k].kind == "sym" and tokens[k].text in _JOINERS and joiners < 2:
                # A full stop only joins digits written together ("15.03.1985"), never two sentences.
                if tokens[k].text in "./" and not (tokens[k].start == tokens[k - 1].end
                                                    and k + 1 < len(tokens) and tokens[k + 1].start == tokens[k].end):
                    break
                k += 1
                joiners += 1
            if k < len(tokens) and _is_number(tokens, k, after_number=True):
                if any(tokens[p].text == "," for p in range(j + 1, k)):
                    members.append(-1)  # a pause ends a dictated group: "сто, двадцать" is 100 | 20
                members.append(k)
                j = k
            elif k + 1 < len(tokens) and tokens[k].text in ("and", "и") and number_word(tokens[j].text) \
                    and number_word(tokens[j].text).kind in (THOUSAND, EN_HUNDRED) and _is_number(tokens, k + 1):
                members.append(k + 1)  # "two thousand and five"
                j = k + 1
            else:
                break
        groups = groups_of([(m, "," if m < 0 else "0" if tokens[m].text in ("oh", "o") else tokens[m].text)
                            for m in members])
        members = [m for m in members if m >= 0]
        plus = (i > 0 and tokens[i - 1].text == "+") or (i > 0 and tokens[i - 1].text in ("плюс", "plus"))
        first = i - 1 if plus else i
        last = j
        if tokens[last].kind == "num":
            last = _past_suffix(tokens, last)
        if first > 0 and tokens[first - 1].text == "(" and tokens[first - 1].end == tokens[first].start:
            first -= 1  # "(415) 555-2671"
        runs.append(_Run(first, last, groups, plus))
        i = last + 1
    return runs


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _snils_valid(digits: str) -> bool:
    if len(digits) != 11:
        return False
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits[:9]))
    check = total % 101 % 100 if total > 101 else (0 if total in (100, 101) else total)
    return check == int(digits[9:])


_SNILS_LAYOUT = re.compile(r"^\d{3}[- ]\d{3}[- ]\d{3}[- ]+\d{2}$")


def _classify(text: str, tokens: list[_Token], run: _Run) -> str | None:
    digits, start = run.digits, run.first
    raw = text[tokens[run.first].start:tokens[run.last].end]
    n = len(digits)
    if _has_context(tokens, start, _SNILS_CONTEXT) and n == 11:
        return "snils"
    if _has_context(tokens, start, _PASSPORT_CONTEXT, before=10) and 9 <= n <= 10:
        return "passport"
    if 13 <= n <= 19 and not run.plus and (_luhn(digits) or _has_context(tokens, start, _CARD_CONTEXT)):
        return "card"
    if run.plus and 10 <= n <= 15:
        return "phone"
    if n == 11:
        if _SNILS_LAYOUT.match(raw.strip()):
            return "snils"
        if digits[0] in "78" or digits[0] in "01":
            return "phone"
        return "snils" if _snils_valid(digits) else "phone"
    if n == 10:
        return "phone"
    if n == 7 and _has_context(tokens, start, _PHONE_CONTEXT):
        return "phone"
    if n == 12 and _has_context(tokens, start, _PHONE_CONTEXT):
        return "phone"
    return None


def _passports_in_parts(tokens: list[_Token], runs: list[_Run]) -> list[tuple[int, int]]:
    """Series and number said apart: "серия 45 06 номер 123456" (4 + 6 digits around a word or two)."""
    found = []
    for left, right in zip(runs, runs[1:], strict=False):
        if len(left.digits) == 4 and len(right.digits) == 6 and right.first - left.last <= 4 \
                and _has_context(tokens, left.first, _PASSPORT_CONTEXT + ("серия", "series"), before=10):
            found.append((left.first, right.last))
    return found


# -- dates of birth -------------------------------------------------------------------------------------------
_MONTHS = {}
for _number, _forms in enumerate((
        "январь января янв january jan", "февраль февраля фев february feb", "март марта мар march mar",
        "апрель апреля апр april apr", "май мая may", "июнь июня июн june jun", "июль июля июл july jul",
        "август августа авг august aug", "сентябрь сентября сен сент september sep sept",
        "октябрь октября окт october oct", "ноябрь ноября ноя november nov", "декабрь декабря дек december dec"),
        start=1):
    _MONTHS.update({form: _number for form in _forms.split()})
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d])|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_YEAR_WORDS = ("года", "год", "г", "year")


def _year_from(groups: list[Group], today: date) -> tuple[int, int] | None:
    """(year, groups used) from the groups after a month: 1985 | 19 85 | восемьдесят пятого (85)."""
    if not groups:
        return None
    first = groups[0].value
    if 1900 <= first <= 2099 and len(groups[0].digits) == 4:
        return first, 1
    if len(groups) > 1 and first in (19, 20) and len(groups[1].digits) == 2:
        return first * 100 + groups[1].value, 2
    if first < 100 and len(groups[0].digits) <= 2 and (groups[0].ordinal or len(groups) == 1):
        return (1900 + first if first > today.year % 100 else 2000 + first), 1
    return None


def _birth_dates(text: str, tokens: list[_Token], runs: list[_Run], today: date) -> list[tuple[int, int]]:
    run_ending = {run.last: run for run in runs}
    run_starting = {run.first: run for run in runs}
    found: list[tuple[int, int, int | None]] = []  # first token, last token, year
    for m, token in enumerate(tokens):
        month = _MONTHS.get(token.text) if token.kind == "word" else None
        if month is None:
            continue
        nxt = m + 1
        if nxt < len(tokens) and tokens[nxt].text == ".":  # "Mar."
            nxt += 1
        day_run = run_ending.get(m - 1) or (run_ending.get(m - 2) if m >= 2 and tokens[m - 1].text in ("of",) else None)
        after = run_starting.get(nxt) or (run_starting.get(nxt + 1) if nxt < len(tokens) and tokens[nxt].text == ","
                                          else None)
        first = last = None
        year = None
        if day_run is not None and 1 <= day_run.groups[-1].value <= 31:
            first, last = day_run.groups[-1].first, m
            if after is not None and (parsed := _year_from(after.groups, today)):
                year, used = parsed
                last = after.groups[used - 1].last
        elif after is not None and 1 <= after.groups[0].value <= 31:  # "March 15, 1985"
            first, last = m, after.groups[0].last
            if (parsed := _year_from(after.groups[1:], today)):
                year, used = parsed
                last = after.groups[used].last
        if first is None:
            continue
        while last + 1 < len(tokens) and tokens[last + 1].text in ORDINAL_SUFFIXES \
                and tokens[last + 1].start == tokens[last].end:
            last += 1
        if year is not None and last + 1 < len(tokens) and tokens[last + 1].text in _YEAR_WORDS:
            last += 1
        if first > 0 and tokens[first - 1].text == "the":
            first -= 1
        found.append((first, last, year))
    for match in _NUMERIC_DATE.finditer(text):
        day, month_, year_ = (match.group(1), match.group(2), match.group(3)) if match.group(1) else \
            (match.group(6), match.group(5), match.group(4))
        if 1 <= int(day) <= 31 and 1 <= int(month_) <= 12:
            first = next(i for i, t in enumerate(tokens) if t.start >= match.start())
            last = max(i for i, t in enumerate(tokens) if t.end <= match.end())
            year = int(year_) if len(year_) == 4 else (1900 + int(year_) if int(year_) > today.year % 100
                                                       else 2000 + int(year_))
            found.append((first, last, year))
    births = []
    for first, last, year in found:
        context = _has_context(tokens, first, _BIRTH_CONTEXT, before=10, after=0) or any(
            t.kind == "word" and t.text.startswith(_BIRTH_CONTEXT) for t in tokens[last + 1:last + 4]) or (
            last + 2 < len(tokens) and tokens[last + 1].text == "г" and tokens[last + 3].text == "р")
        # A full date decades back is a birth date in a clinic's call even without the word "born".
        old_full_date = year is not None and year <= today.year - 14
        if context or old_full_date:
            births.append((first, last))
    return births


# -- e-mail addresses -----------------------------------------------------------------------------------------
_SPOKEN_SYMBOLS = {"собака": "@", "собачка": "@", "at": "@", "эт": "@", "точка": ".", "dot": ".",
                   "подчеркивание": "_", "underscore": "_", "дефис": "-", "тире": "-", "dash": "-", "hyphen": "-"}
_TLDS = {"ru": "ru", "ру": "ru", "рф": "рф", "com": "com", "ком": "com", "net": "net", "нет": "net", "org": "org",
         "орг": "org", "su": "su", "info": "info", "инфо": "info", "io": "io", "uk": "uk", "de": "de", "by": "by",
         "kz": "kz", "ua": "ua", "edu": "edu", "me": "me", "co": "co"}
_EMAIL = re.compile(r"(?<![\w.+-])[\w][\w.+-]*@[\w-]+(?:\.[\w-]+)*\.(?:" + "|".join(sorted(set(_TLDS.values())))
                    + r")(?![\w])")


def _emails(text: str, tokens: list[_Token]) -> list[tuple[int, int]]:
    """Spoken separators ("собака", "dot") become symbols in a normalised copy; matches map back to the text."""
    chars: list[str] = []
    origin: list[int] = []
    previous_spoken = False
    for i, token in enumerate(tokens):
        spoken = _SPOKEN_SYMBOLS.get(token.text) if token.kind == "word" else None
        if token.text == "нижнее" and i + 1 < len(tokens) and tokens[i + 1].text == "подчеркивание":
            continue
        if i and tokens[i - 1].end < token.start and not spoken and not previous_spoken:
            chars.append(" ")
            origin.append(token.start)
        piece = spoken or token.text
        if token.kind == "word" and not spoken and i and tokens[i - 1].text in (".", "точка", "dot"):
            piece = _TLDS.get(token.text, token.text)
        for offset, char in enumerate(piece):
            chars.append(char)
            origin.append(token.start if spoken else token.start + min(offset, token.end - token.start - 1))
        origin[-1] = token.end - 1
        previous_spoken = spoken is not None
    normal = "".join(chars)
    spans = []
    for match in _EMAIL.finditer(normal):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        first = next(i for i, t in enumerate(tokens) if t.start >= start)
        last = max(i for i, t in enumerate(tokens) if t.end <= end)
        spans.append((first, last))
    return spans


# -- public API -----------------------------------------------------------------------------------------------
def find_personal_data(text: str, today: date | None = None) -> list[Span]:
    """Every stretch of `text` that is a phone, e-mail, card, passport or SNILS number or a date of birth.

    A full date is taken for a birth date when it lies decades before `today` (the workspace clock's).
    """
    if not text:
        return []
    tokens = _tokens(text)
    runs = _runs(text, tokens)
    candidates: list[tuple[str, int, int]] = [("email", a, b) for a, b in _emails(text, tokens)]
    candidates += [("passport", a, b) for a, b in _passports_in_parts(tokens, runs)]
    candidates += [("birth_date", a, b) for a, b in _birth_dates(text, tokens, runs, today or clock.today())]
    for run in runs:
        kind = _classify(text, tokens, run)
        if kind is not None:
            candidates.append((kind, run.first, run.last))
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    # Earlier kinds in this list win an overlap: an e-mail holds digits, a split passport holds two runs.
    for kind, first, last in candidates:
        start, end = tokens[first].start, tokens[last].end
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        spans.append(Span(kind, start, end, text[start:end]))
    return sorted(spans, key=lambda s: s.start)


def mask_text(text: str, spans: Iterable[Span] | None = None, labels: dict[str, str] | None = None) -> str:
    """`text` with each span replaced by its label ("[phone]"), or by the labels given (a translation)."""
    spans = find_personal_data(text) if spans is None else sorted(spans, key=lambda s: s.start)
    names = {**DEFAULT_LABELS, **(labels or {})}
    pieces, cursor = [], 0
    for span in spans:
        if span.start < cursor:
            continue
        pieces += [text[cursor:span.start], names[span.kind]]
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _word_fields(word) -> tuple[str, float, float]:
    if isinstance(word, dict):
        word = Word.from_stored(word)
    return str(word.text), float(word.start), float(word.end)


def locate_in_words(text: str, words: Sequence, spans: Iterable[Span]) -> list[TimedSpan]:
    """The words (and so the times) each span covers; words are dicts or objects with text/word, start, end,
    spelled as in `text` and in its order. A span no word covers is left out."""
    places: list[tuple[int, int]] = []
    cursor = 0
    for word in words:
        spelled = _word_fields(word)[0].strip()
        found = text.find(spelled, cursor) if spelled else -1
        if found < 0:
            places.append((cursor, cursor))
            continue
        places.append((found, found + len(spelled)))
        cursor = found + len(spelled)
    timed = []
    for span in spans:
        hit = [i for i, (a, b) in enumerate(places) if a < span.end and span.start < b]
        if hit:
            timed.append(TimedSpan(span.kind, span.start, span.end, hit[0], hit[-1],
                                   _word_fields(words[hit[0]])[1], _word_fields(words[hit[-1]])[2]))
    return timed


def personal_data_in_segment(text: str, words: Sequence) -> list[TimedSpan]:
    """Spans with word indices and times for one transcript segment (for muting exported audio)."""
    return locate_in_words(text, words, find_personal_data(text))
