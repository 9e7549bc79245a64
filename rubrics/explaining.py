"""Plain-words account of a score, in Russian or English, for reviewers and operators."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rubrics.scoring import ScoreResult

_WORDS = {
    "ru": {"critical": "критичные", "fatal": "фатальные", "none": "нет", "na": "н/п",
           "no_critical": "нет ответов", "nothing": "нечего оценить",
           "computed": "рассчитано", "zeroed": "обнулено фатальным ответом"},
    "en": {"critical": "critical", "fatal": "fatal", "none": "none", "na": "n/a",
           "no_critical": "none answered", "nothing": "nothing to score",
           "computed": "computed", "zeroed": "set to 0 by a fatal answer"},
}


def number(value: float, lang: str = "ru") -> str:
    """1 -> '1', 2.5 -> '2,5' (ru) or '2.5' (en); at most one decimal."""
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang == "ru" else text


def percent(value: float, lang: str = "ru") -> str:
    return f"{number(value, lang)} %"


def explain(result: ScoreResult, lang: str = "ru") -> str:
    """'Приветствие 2/2 × 10, Потребность 3/4 × 30 = 78 %; критичные: 100 %; фатальные: нет'."""
    words = _WORDS["en" if lang == "en" else "ru"]
    parts = []
    for section in result.sections:
        if section.excluded_because == "condition":
            continue  # not part of the form for this kind of call
        title = section.title_en if lang == "en" else section.title
        if section.included:
            parts.append(f"{title} {number(section.earned, lang)}/{number(section.possible, lang)}"
                         f" × {number(section.weight, lang)}")
        else:
            parts.append(f"{title} — {words['na']}")
    if result.computed is None:
        total = words["nothing"]
    elif result.fatal:
        total = (f"{percent(0.0, lang)} ({words['computed']} {percent(result.computed, lang)}, "
                 f"{words['zeroed']})")
    else:
        total = percent(result.computed, lang)
    critical = words["no_critical"] if result.critical is None else percent(result.critical, lang)
    if result.fatal_hits:
        quoted = ("“{}”" if lang == "en" else "«{}»").format
        fatal = ", ".join(quoted(hit.text_en if lang == "en" else hit.text) for hit in result.fatal_hits)
    else:
        fatal = words["none"]
    return f"{', '.join(parts)} = {total}; {words['critical']}: {critical}; {words['fatal']}: {fatal}"
