"""Translated labels for the domain's stored codes (directions, call kinds, outcomes, states)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from app.i18n import interface_language
from review.models import CALL_KINDS, OUTCOMES

if TYPE_CHECKING:
    from review.library.vocabularies import Vocabulary

# The workspace's own call kinds and outcomes (review.library.vocabularies), once the window has read them.
_vocabulary: Vocabulary | None = None


def quoted(text: str) -> str:
    """`text` in the interface language's quotation marks: «…» in Russian, “…” in English (guillemets in the
    English interface read as a leftover of the Russian one)."""
    return f"«{text}»" if interface_language() == "ru" else f"“{text}”"

def call_number(call_id: int) -> str:
    """"#14" in English, "№ 14" in Russian: a call's number as every screen writes it."""
    return QCoreApplication.translate("Labels", "#{0}").format(call_id)


def use_vocabulary(vocabulary: Vocabulary | None) -> None:
    """Label codes by the workspace's lists from now on (and offer their codes in the filters)."""
    global _vocabulary
    _vocabulary = vocabulary


def _workspace_label(name: str, code: str | None) -> str | None:
    term = _vocabulary.term(name, code) if _vocabulary is not None and code else None
    return term.label(interface_language()) if term is not None else None


def call_kind_codes() -> list[str]:
    return [t.code for t in _vocabulary.of("call_kind")] if _vocabulary is not None else list(CALL_KINDS)


def outcome_codes() -> list[str]:
    return [t.code for t in _vocabulary.of("outcome")] if _vocabulary is not None else list(OUTCOMES)


def direction_label(code: str | None, channel_kind: str | None = None) -> str:
    """Which way a conversation went; given its channel, in the word that agrees with it (Russian "письмо"
    is neuter: "входящее", where a call and a chat are "входящий")."""
    if channel_kind == "email":  # a context of its own, so that lupdate offers the words to translate apart
        words = {"in": QCoreApplication.translate("EmailLabels", "Inbound"),
                 "out": QCoreApplication.translate("EmailLabels", "Outbound")}
    else:
        words = {"in": QCoreApplication.translate("Labels", "Inbound"),
                 "out": QCoreApplication.translate("Labels", "Outbound")}
    return words.get(code or "", "—")


def channel_label(code: str | None) -> str:
    return {"phone": QCoreApplication.translate("Labels", "Phone"), "whatsapp": QCoreApplication.translate("Labels", "WhatsApp"), "email": QCoreApplication.translate("Labels", "E-mail")}.get(code or "", "—")


def call_kind_label(code: str | None) -> str:
    own = _workspace_label("call_kind", code)
    if own is not None:
        return own
    return {
        "inbound_booking": QCoreApplication.translate("Labels", "Inbound booking"),
        "callback_checkup": QCoreApplication.translate("Labels", "Check-up invitation"),
        "return_lost_patient": QCoreApplication.translate("Labels", "Return of a lost patient"),
        "continuation_of_treatment": QCoreApplication.translate("Labels", "Continuation of treatment"),
        "info_request": QCoreApplication.translate("Labels", "Information request"),
        "complaint": QCoreApplication.translate("Labels", "Complaint"),
        "other": QCoreApplication.translate("Labels", "Other"),
    }.get(code or "", code or "—")


def outcome_label(code: str | None) -> str:
    own = _workspace_label("outcome", code)
    if own is not None:
        return own
    return {
        "booked": QCoreApplication.translate("Labels", "Booked"),
        "not_booked": QCoreApplication.translate("Labels", "Not booked"),
        "info_only": QCoreApplication.translate("Labels", "Information only"),
        "callback_agreed": QCoreApplication.translate("Labels", "Callback agreed"),
        "other": QCoreApplication.translate("Labels", "Other"),
    }.get(code or "", code or "—")


def status_label(code: str | None) -> str:
    return {
        "pending": QCoreApplication.translate("Labels", "Waiting"),
        "running": QCoreApplication.translate("Labels", "Transcribing"),
        "done": QCoreApplication.translate("Labels", "Transcribed"),
        "failed": QCoreApplication.translate("Labels", "Failed"),
    }.get(code or "", code or "—")


def speaker_labels() -> dict[str, str]:
    """Translated names of the speaker codes (a third voice, speaker_3, shows as "Speaker 3")."""
    return {"operator": QCoreApplication.translate("Labels", "Operator"),
            "customer": QCoreApplication.translate("Labels", "Customer"),
            "unknown": QCoreApplication.translate("Labels", "Speaker")}


def speaker_label(code: str | None) -> str:
    from transcription.export import speaker_name

    return speaker_name(code, speaker_labels()) if code else "—"


# Dates are written one way per language: 02.12.2026 in Russian, 02 Dec 2026 in English (never 12/2/26).
_DATE_FORMATS = {"ru": "dd.MM.yyyy", "en": "dd MMM yyyy"}


def date_format() -> str:
    """The Qt date pattern of the interface language, for QDateEdit.setDisplayFormat and QDate.toString."""
    return _DATE_FORMATS[interface_language()]


def format_date(value: date | datetime | None) -> str:
    """A day as the interface language writes it; "—" for none."""
    if value is None:
        return "—"
    day = value.date() if isinstance(value, datetime) else value
    return QLocale().toString(QDate(day), date_format())


def format_day_month(value: date) -> str:
    """A day without its year (a week's first day on a chart or a column): 02.12 in Russian, 02 Dec in English."""
    return QLocale().toString(QDate(value), "dd.MM" if interface_language() == "ru" else "dd MMM")


def format_datetime(value: datetime | None, *, seconds: bool = False) -> str:
    """A moment as the interface language writes it (24-hour clock); "—" for none. An aware value is shown
    in local time, a naive one as stored (call times are the clinic's local time)."""
    if value is None:
        return "—"
    if value.tzinfo is not None:
        value = value.astimezone()
    return f"{format_date(value)} {value:%H:%M:%S}" if seconds else f"{format_date(value)} {value:%H:%M}"


def widest_datetimes(*, seconds: bool = False) -> list[str]:
    """A date and time in each month, as format_datetime writes them: the widest of them is as wide as any
    (English names its months; the digits are alike), for a column that shows dates whole."""
    return [format_datetime(datetime(2026, month, 28, 23, 59, 59), seconds=seconds) for month in range(1, 13)]


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_wait(seconds: float | None) -> str:
    """A response time as a supervisor reads it: "45 s", "6 min", "11 h 05"."""
    if seconds is None:
        return "—"
    total = int(round(seconds))
    if total < 60:
        return QCoreApplication.translate("Labels", "{0} s").format(total)
    minutes = total // 60
    if minutes < 60:
        return QCoreApplication.translate("Labels", "{0} min").format(minutes)
    return QCoreApplication.translate("Labels", "{0} h {1:02d}").format(minutes // 60, minutes % 60)


def layout_label(code: str | None) -> str:
    return {
        "stereo": QCoreApplication.translate("Labels", "One party per channel"),
        "dual_mono": QCoreApplication.translate("Labels", "Same audio on both channels"),
        "one_silent": QCoreApplication.translate("Labels", "One channel silent"),
        "mono": QCoreApplication.translate("Labels", "Mono"),
    }.get(code or "", code or "—")


def language_label(code: str | None) -> str:
    return {
        "ru": QCoreApplication.translate("Labels", "Russian"),
        "en": QCoreApplication.translate("Labels", "English"),
        "uk": QCoreApplication.translate("Labels", "Ukrainian"),
        "kk": QCoreApplication.translate("Labels", "Kazakh"),
        "de": QCoreApplication.translate("Labels", "German"),
    }.get(code or "", code or "—")


def hearing_labels(hearing) -> tuple[str, str]:
    """The call's channel layout and spoken language as the details show them, each with where it came from.

    hearing: a review.transcripts.hearing.Hearing.
    """
    if hearing.channel_layout is None:
        layout = QCoreApplication.translate("Labels", "not known before the transcript")
    else:
        if hearing.layout_source:
            how = QCoreApplication.translate("Labels", "set for the calls from {0}").format(
                Path(hearing.layout_source).name or hearing.layout_source)
        elif hearing.channel_layout_forced:
            how = QCoreApplication.translate("Labels", "set for this call")
        else:
            how = QCoreApplication.translate("Labels", "detected")
        layout = f"{layout_label(hearing.channel_layout)} ({how})"
    if hearing.language and hearing.language_source == "detected":
        language = QCoreApplication.translate("Labels", "{0} (detected, {1} %)").format(
            language_label(hearing.language), round(100 * (hearing.language_probability or 0)))
    elif hearing.language and hearing.language_source == "setting":
        language = QCoreApplication.translate("Labels", "{0} (as expected in the settings)").format(
            language_label(hearing.language))
    elif hearing.forced_language:
        language = QCoreApplication.translate("Labels", "{0} (set for this call)").format(
            language_label(hearing.forced_language))
    elif hearing.language:
        language = language_label(hearing.language)
    else:
        language = QCoreApplication.translate("Labels", "detected with the transcript")
    if hearing.redecoded_windows:
        # A count before a colon needs no plural form in either language (lupdate marks no plural outside a class).
        language += " · " + QCoreApplication.translate(
            "Labels", "Passages decoded again (repetition): {0}").format(hearing.redecoded_windows)
    return layout, language


def speakers_text(hearing) -> str:
    """How the call's operator and customer were told apart, as the details show it (a Hearing)."""
    if hearing.language is None and not hearing.speakers_inferred:
        return "—"  # no transcript yet
    if not hearing.speakers_inferred:
        return QCoreApplication.translate("Labels", "from the channels")
    text = QCoreApplication.translate("Labels", "by voice: {0} % clear, operator {1} % sure").format(
        round(100 * (hearing.speaker_confidence or 0)), round(100 * (hearing.operator_confidence or 0)))
    if hearing.speakers_swapped:
        text += " · " + QCoreApplication.translate("Labels", "swapped by hand")
    return text


def role_label(code: str) -> str:
    return {"admin": QCoreApplication.translate("Roles", "Administrator"),
            "supervisor": QCoreApplication.translate("Roles", "Supervisor"),
            "operator": QCoreApplication.translate("Roles", "Operator"),
            "manager": QCoreApplication.translate("Roles", "Manager")}.get(code, code)
