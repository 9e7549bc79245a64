"""Numbers as transcripts spell them: digits, Russian and English number words, ordinals, "double seven".

A run of number tokens becomes groups the way people dictate: "восемь девятьсот шестнадцать сто двадцать
три" is 8 | 916 | 123, "nineteen eighty-five" is 19 | 85, "тысяча девятьсот восемьдесят пятого" is 1985.
The digits of a phone or card number are the groups' digits in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNIT, TEEN, TEN, HUNDRED, ZERO, THOUSAND, EN_HUNDRED, REPEAT = range(8)

_CARDINALS: dict[str, tuple[int, int]] = {}
_CARDINALS.update({w: (0, ZERO) for w in ("ноль", "нуль", "zero", "oh")})
_RU_UNITS = ("один одна одно одну", "два две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
for _value, _forms in enumerate(_RU_UNITS, start=1):
    _CARDINALS.update({w: (_value, UNIT) for w in _forms.split()})
_EN_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_CARDINALS.update({w: (v, UNIT) for v, w in enumerate(_EN_UNITS, start=1)})
_RU_TEENS = ("десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
             "семнадцать", "восемнадцать", "девятнадцать")
_EN_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
             "nineteen")
for _value, (_ru, _en) in enumerate(zip(_RU_TEENS, _EN_TEENS, strict=True), start=10):
    _CARDINALS[_ru] = _CARDINALS[_en] = (_value, TEEN)
_RU_TENS = ("двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто")
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
for _value, (_ru, _en) in enumerate(zip(_RU_TENS, _EN_TENS, strict=True), start=2):
    _CARDINALS[_ru] = _CARDINALS[_en] = (_value * 10, TEN)
_RU_HUNDREDS = ("сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот")
_CARDINALS.update({w: (v * 100, HUNDRED) for v, w in enumerate(_RU_HUNDREDS, start=1)})
_CARDINALS.update({w: (1000, THOUSAND) for w in ("тысяча", "тысячи", "тысяч", "тысячу", "thousand")})
_CARDINALS["hundred"] = (100, EN_HUNDRED)
_CARDINALS.update({"double": (2, REPEAT), "triple": (3, REPEAT)})

_RU_ORDINAL_STEMS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8, "девят": 9,
    "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15,
    "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30,
    "сороков": 40, "пятидесят": 50, "шестидесят": 60, "семидесят": 70, "восьмидесят": 80, "девяност": 90,
    "сот": 100, "тысячн": 1000, "двухтысячн": 2000,
}
_RU_ORDINAL = re.compile(
    "^(" + "|".join(sorted(_RU_ORDINAL_STEMS, key=len, reverse=True)) + ")"
    "(ый|ой|ий|ое|ая|ую|ого|ому|ом|ые|ых|ым|ье|ья|ьего|ьему|ьем|ьей|ью|ьи|ей|его|ему|ем|ее|ое)$")
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th", "го", "е", "ое", "ого", "й", "ий", "ый", "ей"})


@dataclass(frozen=True)
class NumberWord:
    value: int
    kind: int
    ordinal: bool


def number_word(word: str) -> NumberWord | None:
    """The number a lower-case word stands for, or None."""
    word = word.replace("ё", "е")
    if word in _CARDINALS:
        value, kind = _CARDINALS[word]
        return NumberWord(value, kind, False)
    if word in _EN_ORDINALS:
        value = _EN_ORDINALS[word]
        return NumberWord(value, UNIT if value < 10 else (TEEN if value < 20 else TEN), True)
    match = _RU_ORDINAL.match(word)
    if match:
        value = _RU_ORDINAL_STEMS[match.group(1)]
        kind = UNIT if value < 10 else TEEN if value < 20 else TEN if value < 100 else HUNDRED if value < 1000 \
            else THOUSAND
        return NumberWord(value, kind, True)
    return None


@dataclass
class Group:
    """One dictated number: its value, its digits, and the token indices it covers."""

    digits: str
    first: int
    last: int
    ordinal: bool = False

    @property
    def value(self) -> int:
        return int(self.digits)


class _Builder:
    """Accumulates number words into groups: a slot filled twice starts a new group."""

    def __init__(self) -> None:
        self.groups: list[Group] = []
        self._reset()
        self._repeat = 1

    def _reset(self) -> None:
        self.value = 0
        self.first = self.last = -1
        self.thousands = self.hundreds = self.tens = self.units = False

    def flush(self) -> None:
        if self.first >= 0:
            self.groups.append(Group(str(self.value), self.first, self.last))
        self._reset()

    def digits(self, text: str, index: int) -> None:
        self.flush()
        self.groups.append(Group(text * self._take_repeat(), index, index))

    def _take_repeat(self) -> int:
        repeat, self._repeat = self._repeat, 1
        return repeat

    def _start(self, index: int) -> None:
        if self.first < 0:
            self.first = index
        self.last = index

    def word(self, number: NumberWord, index: int) -> None:
        value, kind = number.value, number.kind
        if kind == REPEAT:
            self.flush()
            self._repeat = value
            return
        if kind == ZERO:
            self.flush()
            self.groups.append(Group("0" * self._take_repeat(), index, index))
            return
        if self._repeat > 1 and kind == UNIT:
            self.flush()
            self.groups.append(Group(str(value) * self._take_repeat(), index, index))
            return
        if kind == THOUSAND:
            if self.first >= 0 and not self.thousands and self.value < 1000:
                self.value = max(self.value, 1) * 1000 if value == 1000 else self.value * 1000 + value
            else:
                self.flush()
                self.value = value
            self._start(index)
            self.thousands, self.hundreds, self.tens, self.units = True, False, False, False
        elif kind == EN_HUNDRED:
            if self.first >= 0 and self.units and not (self.hundreds or self.tens) and self.value < 10:
                self.value *= 100
            else:
                self.flush()
                self.value = 100
            self._start(index)
            self.hundreds, self.units = True, False
        elif kind == HUNDRED:
            if self.first < 0 or self.hundreds or self.tens or self.units:
                self.flush()
            self.value += value
            self._start(index)
            self.hundreds = True
        elif kind in (TEN, TEEN):
            if self.first < 0 or self.tens or self.units:
                self.flush()
            self.value += value
            self._start(index)
            self.tens = True
            self.units = kind == TEEN
        else:  # UNIT
            if self.first < 0 or self.units:
                self.flush()
            self.value += value
            self._start(index)
            self.units = True
        if number.ordinal:
            self.flush()
            self.groups[-1].ordinal = True


def groups_of(items: list[tuple[int, str]]) -> list[Group]:
    """Groups for (token index, lower-case token) pairs: digit strings, number words, or "," (a pause)."""
    builder = _Builder()
    for index, token in items:
        if token == ",":
            builder.flush()
        elif token.isdigit():
            builder.digits(token, index)
        else:
            number = number_word(token)
            if number is not None:
                builder.word(number, index)
    builder.flush()
    return builder.groups
