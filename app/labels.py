"""Translated labels for the domain's stored codes (directions, call kinds, outcomes, states)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def direction_label(code: str | None) -> str:
    return {"in": _t("Inbound"), "out": _t("Outbound")}.get(code or "", "—")


def channel_label(code: str | None) -> str:
    return {"phone": _t("Phone"), "whatsapp": _t("WhatsApp"), "email": _t("E-mail")}.get(code or "", "—")


def call_kind_label(code: str | None) -> str:
    return {
        "inbound_booking": _t("Inbound booking"),
        "callback_checkup": _t("Check-up invitation"),
        "return_lost_patient": _t("Return of a lost patient"),
        "continuation_of_treatment": _t("Continuation of treatment"),
        "info_request": _t("Information request"),
        "complaint": _t("Complaint"),
        "other": _t("Other"),
    }.get(code or "", code or "—")


def outcome_label(code: str | None) -> str:
    return {
        "booked": _t("Booked"),
        "not_booked": _t("Not booked"),
        "info_only": _t("Information only"),
        "callback_agreed": _t("Callback agreed"),
        "other": _t("Other"),
    }.get(code or "", code or "—")


def status_label(code: str | None) -> str:
    return {
        "pending": _t("Waiting"),
        "running": _t("Transcribing"),
        "done": _t("Transcribed"),
        "failed": _t("Failed"),
    }.get(code or "", code or "—")


def speaker_label(code: str | None) -> str:
    return {"operator": _t("Operator"), "customer": _t("Customer"), "unknown": _t("Speaker")}.get(code or "", "—")


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
