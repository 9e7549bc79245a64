"""What a signal-driven sampling rule prefers: calls with a long silence, a long hold, heavy overtalk, an unhappy
customer or a failed check.

A call has a signal when (its stored conversation analytics, review.models.CallAnalytics):
- long_silence: its longest silence lasts LONG_SILENCE_S or more (the patient left waiting without a word);
- long_hold: a hold longer than the workspace's long-hold threshold (120 s by default);
- overtalk: heavy overtalk, HEAVY_OVERTALK_COUNT times or HEAVY_OVERTALK_S in all;
- unhappy_customer: the customer complained (review.analytics.customer_mood) at least once;
- failed_check: a submitted evaluation of it (a self-review, a calibration, or a supervisor's where reviewed
  calls are not left out) missed a critical question or made a fatal error.
A call not measured yet has none of the analytics signals.
"""

from __future__ import annotations

from sqlalchemy import exists, false, or_, select
from sqlalchemy.orm import Session

from review.models import Call, CallAnalytics, Evaluation

SIGNALS = ("long_silence", "long_hold", "overtalk", "unhappy_customer", "failed_check")
LONG_SILENCE_S = 5.0
HEAVY_OVERTALK_COUNT = 3
HEAVY_OVERTALK_S = 5.0
_EPSILON = 1e-9  # a critical score of 100 stored as 99.999999... is still a pass

_failed_check = exists().where(Evaluation.call_id == Call.id, Evaluation.status == "submitted",
                               or_(Evaluation.fatal.is_(True), Evaluation.critical_score < 100 - _EPSILON))
CONDITIONS = {
    "long_silence": CallAnalytics.silence_longest_s >= LONG_SILENCE_S,
    "long_hold": CallAnalytics.long_holds > 0,
    "overtalk": or_(CallAnalytics.overtalk_count >= HEAVY_OVERTALK_COUNT,
                    CallAnalytics.overtalk_total_s >= HEAVY_OVERTALK_S),
    "unhappy_customer": CallAnalytics.customer_complaints > 0,
    "failed_check": _failed_check,
}
# What the reason of a pick quotes for each signal.
VALUES = {"long_silence": CallAnalytics.silence_longest_s, "long_hold": CallAnalytics.hold_longest_s,
          "overtalk": CallAnalytics.overtalk_total_s, "unhappy_customer": CallAnalytics.customer_complaints}


def signalled_calls(session: Session, signals: tuple[str, ...], conditions: list) -> dict[int, dict[str, float]]:
    """call id -> {signal: the figure behind it} for the calls `conditions` allow that have any of `signals`
    (failed_check's figure is 1; unhappy_customer's the number of complaints)."""
    if not signals:
        return {}
    columns = [CONDITIONS[s].label(s) for s in signals]
    values = [VALUES[s].label(f"{s}_value") for s in signals if s in VALUES]
    statement = (select(Call.id, *columns, *values).select_from(Call)
                 .outerjoin(CallAnalytics, CallAnalytics.call_id == Call.id)
                 .where(*conditions, or_(false(), *(CONDITIONS[s] for s in signals))))
    found: dict[int, dict[str, float]] = {}
    for row in session.execute(statement).mappings():
        found[row["id"]] = {s: round(float(row.get(f"{s}_value") or 1.0), 1) for s in signals if row[s]}
    return found
