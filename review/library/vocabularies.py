"""The workspace's call kinds and outcomes: read for import and display, edited by an administrator."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from review.accounts.access import MANAGE_SETTINGS, require
from review.audit.trail import record
from review.errors import NotFound, ValidationError
from review.models import CALLBACK_KINDS, VOCABULARIES, Call, User, VocabularyEntry

_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                      "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))
# The lists a new workspace starts with (migration 0005 seeds the same): code, Russian, English, callback kind.
DEFAULT_TERMS = {
    "call_kind": [
        ("inbound_booking", "Входящая запись", "Inbound booking", None),
        ("callback_checkup", "Приглашение на чек-ап", "Check-up invitation", "callback_checkup"),
        ("return_lost_patient", "Возврат пациента", "Return of a lost patient", "return_lost_patient"),
        ("continuation_of_treatment", "Продолжение лечения", "Continuation of treatment",
         "continuation_of_treatment"),
        ("info_request", "Справка", "Information request", None),
        ("complaint", "Жалоба", "Complaint", None),
        ("other", "Другое", "Other", None),
    ],
    "outcome": [
        ("booked", "Записан", "Booked", None),
        ("not_booked", "Не записан", "Not booked", None),
        ("info_only", "Только информация", "Information only", None),
        ("callback_agreed", "Договорились перезвонить", "Callback agreed", None),
        ("other", "Другое", "Other", None),
    ],
}
_CODE = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")
_COLUMN = {"call_kind": Call.call_kind, "outcome": Call.outcome}


_NOT_CODE = re.compile(r"[^a-z0-9]+")


def code_for(value: str) -> str:
    """The stored code for a value met in a spreadsheet: "Запись к кардиологу" → "zapis_k_kardiologu",
    "Callback - Preventive check-up" → "callback_preventive_check_up"; "" when nothing is left."""
    text = "".join(_CYRILLIC.get(ch, ch) for ch in value.strip().lower())
    return _NOT_CODE.sub("_", text).strip("_")[:40].rstrip("_")


_NOT_WORD = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    return _NOT_WORD.sub("", text.lower().replace("ё", "е"))


@dataclass(frozen=True)
class Term:
    vocabulary: str
    code: str
    label_ru: str
    label_en: str
    outbound_callback: bool
    callback_kind: str | None
    aliases: tuple[str, ...]
    archived: bool

    def label(self, lang: str) -> str:
        return self.label_ru if lang == "ru" else self.label_en


@dataclass(frozen=True)
class Vocabulary:
    """Both lists as they stood when read: what the import resolves values against."""

    terms: tuple[Term, ...]

    def of(self, vocabulary: str, *, archived: bool = False) -> list[Term]:
        return [t for t in self.terms if t.vocabulary == vocabulary and (archived or not t.archived)]

    def term(self, vocabulary: str, code: str | None) -> Term | None:
        return next((t for t in self.terms if t.vocabulary == vocabulary and t.code == code), None)

    @cached_property
    def _index(self) -> dict[tuple[str, str], str]:
        """(vocabulary, spelling key) → code, for codes, labels and aliases (the first term wins)."""
        index: dict[tuple[str, str], str] = {}
        for term in self.terms:
            for spelling in (term.code, term.label_ru, term.label_en, *term.aliases):
                if _key(spelling):
                    index.setdefault((term.vocabulary, _key(spelling)), term.code)
        for term in self.terms:
            index.setdefault((term.vocabulary, f"code:{term.code}"), term.code)
        return index

    def resolve(self, vocabulary: str, value: str) -> tuple[str, bool]:
        """(code, known): a value is known by its code, an alias, or either label, in any case and spacing;
        an unknown one gets a code of its own (never dropped), to be added or mapped later."""
        known = self._index.get((vocabulary, _key(value)))
        if known is not None:
            return known, True
        code = code_for(value)
        known = self._index.get((vocabulary, f"code:{code}"))
        return (known, True) if known is not None else (code, False)

    def rubric_kind(self, code: str | None) -> str | None:
        """The call kind a rubric's sections know: a clinic's own callback kind counts as the built-in
        callback it is; any other kind is itself."""
        term = self.term("call_kind", code)
        return term.callback_kind if term is not None and term.outbound_callback and term.callback_kind else code


def ensure_default_vocabulary(session: Session) -> None:
    """Give an empty list its default terms (a workspace whose rows were cleared starts over from them)."""
    for vocabulary, terms in DEFAULT_TERMS.items():
        if session.scalar(select(VocabularyEntry.id).where(VocabularyEntry.vocabulary == vocabulary).limit(1)):
            continue
        for position, (code, ru, en, callback) in enumerate(terms):
            session.add(VocabularyEntry(vocabulary=vocabulary, code=code, label_ru=ru, label_en=en,
                                        outbound_callback=callback is not None, callback_kind=callback,
                                        aliases=[], position=position, archived=False))
    session.flush()


def load_vocabulary(session: Session) -> Vocabulary:
    rows = session.scalars(select(VocabularyEntry).order_by(VocabularyEntry.vocabulary, VocabularyEntry.position,
                                                            VocabularyEntry.id))
    return Vocabulary(tuple(Term(r.vocabulary, r.code, r.label_ru, r.label_en, r.outbound_callback, r.callback_kind,
                                 tuple(r.aliases or ()), r.archived) for r in rows))


def rubric_call_kind(session: Session, call_kind: str | None) -> str | None:
    """The call kind a rubric's sections are chosen by (see `Vocabulary.rubric_kind`)."""
    if call_kind is None:
        return None
    entry = session.scalar(select(VocabularyEntry).where(VocabularyEntry.vocabulary == "call_kind",
                                                         VocabularyEntry.code == call_kind))
    return entry.callback_kind if entry is not None and entry.outbound_callback and entry.callback_kind else call_kind


def _check_vocabulary(vocabulary: str) -> None:
    if vocabulary not in VOCABULARIES:
        raise ValidationError("There is no list {name}; the lists are: {names}.", name=repr(vocabulary),
                              names=", ".join(VOCABULARIES))


def _entry(session: Session, vocabulary: str, code: str) -> VocabularyEntry:
    entry = session.scalar(select(VocabularyEntry).where(VocabularyEntry.vocabulary == vocabulary,
                                                         VocabularyEntry.code == code))
    if entry is None:
        raise NotFound("{code} is not in the workspace's list.", code=repr(code))
    return entry


def _described(entry: VocabularyEntry) -> dict:
    return {"vocabulary": entry.vocabulary, "code": entry.code, "label_ru": entry.label_ru,
            "label_en": entry.label_en, "outbound_callback": entry.outbound_callback,
            "callback_kind": entry.callback_kind, "aliases": list(entry.aliases or []), "archived": entry.archived}


def _apply(entry: VocabularyEntry, label_ru: str, label_en: str, outbound_callback: bool,
           callback_kind: str | None) -> None:
    label_ru, label_en = label_ru.strip(), label_en.strip()
    if not label_ru or not label_en:
        raise ValidationError("{code} needs a Russian and an English label.", code=entry.code)
    if entry.vocabulary != "call_kind" and (outbound_callback or callback_kind):
        raise ValidationError("Only a call kind can be an outbound callback.")
    if outbound_callback and callback_kind not in CALLBACK_KINDS:
        raise ValidationError("An outbound callback is one of: {kinds}.", kinds=", ".join(CALLBACK_KINDS))
    entry.label_ru, entry.label_en = label_ru, label_en
    entry.outbound_callback = outbound_callback
    entry.callback_kind = callback_kind if outbound_callback else None


def add_term(session: Session, actor: User, vocabulary: str, code: str, label_ru: str, label_en: str, *,
             outbound_callback: bool = False, callback_kind: str | None = None) -> VocabularyEntry:
    """Add a call kind or outcome to the workspace's list (administrators only; recorded in the audit trail)."""
    require(actor, MANAGE_SETTINGS)
    _check_vocabulary(vocabulary)
    if not _CODE.match(code or ""):
        raise ValidationError("The code {code} must be latin letters, digits and '_' (at most 40).", code=repr(code))
    if session.scalar(select(VocabularyEntry.id).where(VocabularyEntry.vocabulary == vocabulary,
                                                       VocabularyEntry.code == code)):
        raise ValidationError("{code} is already in the list.", code=code)
    last = session.scalar(select(func.max(VocabularyEntry.position)).where(VocabularyEntry.vocabulary == vocabulary))
    entry = VocabularyEntry(vocabulary=vocabulary, code=code, label_ru="", label_en="", aliases=[],
                            position=(last or 0) + 1)
    _apply(entry, label_ru, label_en, outbound_callback, callback_kind)
    session.add(entry)
    session.flush()
    record(session, actor, "add_term", entry, new=_described(entry))
    return entry


def update_term(session: Session, actor: User, vocabulary: str, code: str, *, label_ru: str, label_en: str,
                outbound_callback: bool = False, callback_kind: str | None = None,
                archived: bool = False) -> VocabularyEntry:
    """Change a term's labels, callback kind or archived flag; its code never changes (calls keep it)."""
    require(actor, MANAGE_SETTINGS)
    entry = _entry(session, vocabulary, code)
    old = _described(entry)
    _apply(entry, label_ru, label_en, outbound_callback, callback_kind)
    entry.archived = archived
    new = _described(entry)
    if new != old:
        session.flush()
        record(session, actor, "edit_term", entry, old=old, new=new)
    return entry


def map_value(session: Session, actor: User, vocabulary: str, value: str, to_code: str) -> int:
    """Make `value` mean the term `to_code` from now on (an alias) and recode the calls already imported
    with it; returns how many calls changed."""
    require(actor, MANAGE_SETTINGS)
    entry = _entry(session, vocabulary, to_code)
    stored = code_for(value)
    if stored == to_code:
        return 0
    old = _described(entry)
    entry.aliases = list(dict.fromkeys([*(entry.aliases or []), value.strip()]))
    column = _COLUMN[vocabulary]
    changed = session.execute(update(Call).where(column == stored).values({column: to_code,
                                                                           Call.version: Call.version + 1})
                              .execution_options(synchronize_session=False)).rowcount
    session.flush()
    record(session, actor, "map_term", entry, old=old, new=_described(entry), note=f"{stored} → {to_code}: {changed}")
    return changed


def unknown_values(session: Session, vocabulary: str, call_ids: list[int] | None = None) -> Counter[str]:
    """Codes stored on calls (those given, or all) that the workspace's list does not hold, with counts."""
    _check_vocabulary(vocabulary)
    column = _COLUMN[vocabulary]
    known = select(VocabularyEntry.code).where(VocabularyEntry.vocabulary == vocabulary)
    query = select(column, func.count()).where(column.is_not(None), column.not_in(known)).group_by(column)
    if call_ids is not None:
        query = query.where(Call.id.in_(call_ids))
    return Counter({code: count for code, count in session.execute(query).all()})
