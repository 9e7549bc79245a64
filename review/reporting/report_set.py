"""Every report the Reports page shows for one scope, computed in one session, and the period presets it offers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from review.models import User
from review.reporting.agreement import suggestion_agreement
from review.reporting.conversion import ConversionReport, callback_conversion, conversion_table
from review.reporting.exports import agreement_table, growth_table, score_trend_table, scorecard_table
from review.reporting.reports import (
    GrowthAreaSummary,
    QuestionTrendPoint,
    ReportScope,
    TrendPoint,
    growth_area_summary,
    operator_scorecards,
    question_trend,
    scope_caption,
    score_trend,
)
from review.reporting.tables import ReportTable
from review.reporting.talk import TalkReport, talk_report, talk_table

PRESETS = ("last_4_weeks", "this_month", "last_month", "this_quarter", "this_year", "custom")


def preset_period(preset: str, today: date) -> tuple[date, date]:
    """The days a period preset covers, ending today at the latest."""
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "this_quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if preset == "this_year":
        return date(today.year, 1, 1), today
    return today - timedelta(days=27), today


@dataclass(frozen=True)
class ReportSet:
    scope: ReportScope
    summary: GrowthAreaSummary
    growth: ReportTable
    scorecards: ReportTable
    trend: list[TrendPoint]
    trend_table: ReportTable
    questions: list[QuestionTrendPoint]
    conversion: ConversionReport
    conversion_table: ReportTable
    agreement: ReportTable
    talk: TalkReport
    talk_table: ReportTable


def report_set(session: Session, actor: User, scope: ReportScope, *, lang: str, free_text: bool, by: str,
               progress: Callable[[int, int], None] | None = None) -> ReportSet:
    """Every report for `scope` in `lang`; `progress(done, of)` after each of the slower ones."""
    step = progress or (lambda _done, _of: None)
    caption = scope_caption(session, scope, lang)
    summary = growth_area_summary(session, actor, scope, lang=lang, free_text=free_text)
    step(1, 5)
    cards = scorecard_table(operator_scorecards(session, actor, scope), caption, lang)
    step(2, 5)
    trend = score_trend(session, actor, scope, by=by, lang=lang)
    step(3, 5)
    questions = question_trend(session, actor, scope, lang=lang)
    step(4, 5)
    conversion = callback_conversion(session, actor, scope, lang=lang)
    agreement = agreement_table(suggestion_agreement(session, actor, scope, lang=lang), caption, lang)
    talk = talk_report(session, actor, scope, lang=lang)
    return ReportSet(scope, summary, growth_table(summary, caption, lang), cards, trend,
                     score_trend_table(trend, caption, lang, by), questions, conversion,
                     conversion_table(conversion, caption, lang), agreement, talk, talk_table(talk, caption, lang))
