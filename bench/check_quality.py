"""Precision and recall of the built-in checks' suggestions on the demo calls, against answers labelled by hand.

Labels are what a reviewer following the rubric's help would answer; None where the question is N/A or the
checks cannot know it (the labels cover only questions that carry checks; analytics checks are left out:
the scripts have no recordings' measures here). Per question: suggested (a suggestion was made), correct
(it equals the label), labelled (the label is an answer one of the question's checks can name). Precision =
correct / suggested; recall = correct / labelled. A label no check can name (return_reason's checks say only
"not asked: 0"; "asked bluntly" and "found the real reason" are the reviewer's to tell) is counted apart as
"beyond": there the suggestion stays empty by design and only the evidence is shown.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

SCRIPTS = Path(__file__).resolve().parent.parent / "resources" / "demo" / "scripts"
CLINIC = ("Семейный доктор", "Family Doctor")
Y, N = True, False
INBOUND = ("greeting_clinic_and_name", "greeting_offer_help", "doctor_recommendation", "alternative_offered",
           "booking_confirmed", "follow_up_agreed", "no_pushy_selling", "closing", "not_rude")
OUTBOUND = ("opening", "asks_wellbeing", "care_not_advert", "respects_decision", "not_rude", "checkup_reason",
            "return_reason")
LABELS = {
    "en01_booking_dermatology": (Y, Y, None, None, 2, None, Y, Y, Y),
    "en02_complaint_waiting": (Y, N, None, None, None, None, Y, N, Y),
    "en03_info_vaccination": (Y, Y, None, None, None, None, Y, Y, Y),
    "ru01_booking_cardiology": (Y, Y, None, None, 3, None, Y, Y, Y),
    "ru05_complaint_lost_appointment": (Y, N, None, Y, 1, None, Y, N, Y),
    "ru06_poor_booking": (N, N, "all_good", N, None, None, Y, N, N),
    "ru07_gratitude": (Y, Y, None, Y, None, None, Y, Y, Y),
    "ru08_info_request_echo": (Y, N, None, None, None, Y, Y, Y, Y),
    "ru09_info_prices": (Y, Y, None, None, None, None, Y, Y, Y),
    "ru02_callback_checkup": (Y, Y, None, Y, Y, Y, None),
    "ru03_return_lost_patient": (N, Y, None, Y, Y, None, 2),
    "ru04_continuation_of_treatment": (Y, N, None, Y, Y, None, None),
}


def transcript_of(name: str):
    from transcription.transcript import Segment, Transcript, Word

    script = yaml.safe_load((SCRIPTS / f"{name}.yaml").read_text(encoding="utf-8"))
    segments = []
    for turn in script["turns"]:
        parts = turn["text"].split()
        step = (turn["end"] - turn["start"]) / len(parts)
        words = [Word(turn["start"] + i * step, turn["start"] + (i + 1) * step, p, 0.9) for i, p in enumerate(parts)]
        segments.append(Segment(turn["speaker"], turn["start"], turn["end"], turn["text"], -0.2, 0.01, words))
    return script, Transcript(script["language"], script["duration_s"], segments)


def measure() -> dict[str, list[int]]:
    """Question id -> [suggested, correct, labelled, beyond] over the demo calls."""
    from review.scoring.suggestions import suggestions_from
    from rubrics import builtin_rubric
    from rubrics.checks import check_answers

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for name, labels in LABELS.items():
        script, transcript = transcript_of(name)
        inbound = script["direction"] == "in"
        rubric = builtin_rubric("inbound_call" if inbound else "outbound_callback")
        found = suggestions_from(rubric, transcript, None, call_kind=script["call_kind"], clinic_names=CLINIC,
                                 operator_name=script["operator"])
        for question_id, label in zip(INBOUND if inbound else OUTBOUND, labels, strict=True):
            answer = found[question_id].answer if question_id in found else None
            question = next(q for q in rubric.questions() if q.id == question_id)
            nameable = [a for c in question.checks for a in check_answers(c, question.type) if a is not None]
            reachable = any(label == a and type(label) is type(a) for a in nameable)
            row = counts[question_id]
            row[0] += answer is not None
            row[1] += answer is not None and answer == label and type(answer) is type(label)
            row[2] += label is not None and reachable
            row[3] += label is not None and not reachable
    return counts


def main() -> int:
    counts = measure()
    print(f"{'question':28} suggested correct labelled beyond precision recall")
    for question_id, (suggested, correct, labelled, beyond) in counts.items():
        precision = f"{correct / suggested:.2f}" if suggested else "—"
        recall = f"{correct / labelled:.2f}" if labelled else "—"
        print(f"{question_id:28} {suggested:9} {correct:7} {labelled:8} {beyond:6} {precision:>9} {recall:>6}")
    total = [sum(c[i] for c in counts.values()) for i in range(4)]
    print(f"{'all':28} {total[0]:9} {total[1]:7} {total[2]:8} {total[3]:6} {total[1] / total[0]:9.2f} "
          f"{total[1] / total[2]:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
