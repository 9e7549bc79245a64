"""The audit trail in words: what changed in one entry, as a person would write it, in Russian or English."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.models import Dispute, Evaluation, Operator, RubricRecord, RubricVersion, Team
from review.reporting.audit_log import AuditRow
from review.scoring.rubric_store import rubric_of
from rubrics import Question, RubricError

_LONG = 80  # a longer stored text is cut with an ellipsis; the tooltip keeps the whole of it

# Stored keys as a person names them; keys not here are shown with their underscores as spaces.
_KEYS = {
    "at": ("время", "at"), "at_s": ("момент, с", "at, s"), "call": ("звонок", "call"),
    "calls": ("звонки", "calls"), "comment": ("комментарий", "comment"), "critical": ("критичные, %", "critical, %"),
    "days": ("дней", "days"), "due": ("срок", "due"), "end_s": ("конец, с", "end, s"), "file": ("файл", "file"),
    "format": ("формат", "format"), "kind": ("вид", "kind"), "metric": ("показатель", "metric"),
    "name": ("название", "name"), "notes": ("заметки", "notes"), "number": ("версия", "version"),
    "operator": ("оператор", "operator"), "path": ("файл", "file"), "question": ("вопрос", "question"),
    "role": ("роль", "role"), "rubric": ("анкета", "rubric"), "rubric_version": ("версия анкеты", "rubric version"),
    "score": ("балл, %", "score, %"), "section": ("раздел", "section"), "status": ("состояние", "status"),
    "target": ("цель", "target"), "text": ("текст", "text"), "thanked": ("благодарность", "thanked"),
    "start_s": ("начало, с", "start, s"), "failed_logins": ("неудачных входов", "failed sign-ins"),
    "locked_until": ("заблокирован до", "locked until"), "active": ("активна", "active"),
    "display_name": ("имя", "name"), "username": ("логин", "user name"), "team_id": ("команда", "team"),
    "seed": ("зерно выборки", "sampling seed"), "members": ("участники", "members"), "title": ("название", "title"), "masked": ("скрыты личные данные", "personal data masked"),
    "channel": ("канал", "channel"), "messages": ("сообщений", "messages"), "operator_id": ("оператор", "operator"),
    "zone": ("часовой пояс", "time zone"), "identities": ("адреса и имена операторов", "operators' addresses and names"),
}
_VALUES = {
    "draft": ("черновик", "draft"), "submitted": ("отправлена", "submitted"), "closed": ("закрыта", "closed"),
    "open": ("открыта", "open"), "self": ("самооценка", "self-review"), "supervisor": ("супервайзер", "supervisor"),
    "growth": ("зона роста", "growth area"), "strength": ("сильная сторона", "strength"),
    "operator": ("оператор", "operator"), "admin": ("администратор", "administrator"),
    "manager": ("руководитель", "manager"), "accepted": ("принят", "accepted"), "rejected": ("отклонён", "rejected"),
    "phone": ("телефон", "phone"), "email": ("эл. почта", "e-mail"), "whatsapp": ("WhatsApp", "WhatsApp"),
}
# A setting's stored key as the administrator's screens name it; an entry about a setting carries its key as
# the record (entity) or, for entries recorded against "settings", as the note.
_SETTINGS = {
    "callback_conversion": ("цель по перезвонам", "callback conversion target"),
    "clinic_vocabulary": ("словарь клиники", "clinic vocabulary"),
    "written_operator_identities": ("адреса и имена операторов", "operators' addresses and names"),
    "written_working_hours": ("часы работы письменных каналов", "working hours of written channels"),
    "dispute_window_days": ("срок для возражений", "dispute window"),
    "analytics_thresholds": ("пороги аналитики", "analytics thresholds"),
    "retention": ("срок хранения данных", "data retention"),
    "source_layouts": ("каналы записей папки", "recording channels of a folder"),
}
_SETTING_ACTIONS = {"set_retention": "retention", "set_source_layout": "source_layouts"}
_ANSWER_KEYS = {"value", "na", "comment"}
_HIDDEN_KEYS = {"sha256"}  # a file's fingerprint tells a person nothing; the tooltip and the CSV keep it


def _t(lang: str, ru: str, en: str) -> str:
    return en if lang == "en" else ru


def _quoted(text: str, lang: str) -> str:
    text = " ".join(str(text).split())
    if len(text) > _LONG:
        text = text[:_LONG - 1].rstrip() + "…"
    return f"«{text}»" if lang == "ru" else f"'{text}'"


def _value(value, lang: str) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _t(lang, "да", "yes") if value else _t(lang, "нет", "no")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if lang == "ru" else text
    if isinstance(value, list):
        return ", ".join(_value(item, lang) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{_key(k, lang)}: {_value(v, lang)}" for k, v in sorted(value.items()))
    if value in _VALUES:
        return _t(lang, *_VALUES[value])
    return _quoted(value, lang)


_WEEKDAYS = (("пн", "Mon"), ("вт", "Tue"), ("ср", "Wed"), ("чт", "Thu"), ("пт", "Fri"), ("сб", "Sat"), ("вс", "Sun"))


def _is_week(value) -> bool:
    """Working hours as stored: seven days, each None (closed) or [opens, closes]."""
    return isinstance(value, list) and len(value) == 7 and \
        all(day is None or (isinstance(day, list) and len(day) == 2) for day in value)


def _week(value, lang: str) -> str:
    """"Mon 09:00–21:00, …, Sun closed": a week's hours as a person writes them."""
    if not _is_week(value):
        return _value(value, lang)
    return ", ".join(f"{_t(lang, *name)} " + (_t(lang, "выходной", "closed") if day is None else f"{day[0]}–{day[1]}")
                     for name, day in zip(_WEEKDAYS, value, strict=True))


def _key(key: str, lang: str) -> str:
    return _t(lang, *_KEYS[key]) if key in _KEYS else key.replace("_", " ")


def answer_text(question: Question | None, answer: dict | None, lang: str) -> str:
    """A stored answer ({"value", "na", "comment"}) as the reviewer picked it: «Частично», «Да», «Н/П»."""
    if not answer or (answer.get("value") is None and not answer.get("na")):
        return "—"
    if answer.get("na"):
        return _quoted(_t(lang, "Н/П", "N/A"), lang)
    value = answer["value"]
    if question is not None and question.type == "yes_no":
        return _quoted(_t(lang, "Да", "Yes") if value else _t(lang, "Нет", "No"), lang)
    if question is not None and question.type in ("scale", "choice"):
        labels = [(lv.value, lv.label) for lv in question.levels] + [(o.key, o.label) for o in question.options]
        for stored, label in labels:
            if stored == value:
                return _quoted(label.get(lang), lang)
    return _value(value, lang)


def _question_name(question: Question | None, question_id: str, lang: str) -> str:
    return _t(lang, "Вопрос ", "Question ") + _quoted(question.text.get(lang) if question else question_id, lang)


def _answer_change(question: Question | None, question_id: str, old: dict | None, new: dict | None,
                   lang: str) -> str:
    parts = []
    if (old or {}).get("value") != (new or {}).get("value") or (old or {}).get("na") != (new or {}).get("na") \
            or old is None or new is None:
        parts.append(f"{answer_text(question, old, lang)} → {answer_text(question, new, lang)}")
    old_comment, new_comment = (old or {}).get("comment"), (new or {}).get("comment")
    if old_comment != new_comment and (new is not None or old_comment):
        parts.append(_t(lang, "комментарий ", "comment ") + f"{_value(old_comment, lang)} → {_value(new_comment, lang)}")
    return f"{_question_name(question, question_id, lang)}: " + "; ".join(parts)


def _rubric_titles(session: Session, rows: list[AuditRow], lang: str) -> tuple[dict[int, str], dict[int, str]]:
    """Names for the rubric ids (or slugs) the rows carry: {rubric id or slug: "Inbound call"}, {version id:
    "Inbound call v2"}."""
    rubric_ids, version_ids, slugs = set(), set(), set()
    for row in rows:
        for side in (row.old, row.new):
            if isinstance(side, dict):
                rubric_ids |= {side["rubric"]} if isinstance(side.get("rubric"), int) else set()
                slugs |= {side["rubric"]} if isinstance(side.get("rubric"), str) else set()  # e.g. a calibration
                version_ids |= {side["rubric_version"]} if isinstance(side.get("rubric_version"), int) else set()
        if row.entity == "rubrics" and row.entity_id is not None:
            rubric_ids.add(row.entity_id)
        if row.entity == "rubric_versions" and row.entity_id is not None:
            version_ids.add(row.entity_id)

    def title(version: RubricVersion | None, record: RubricRecord) -> str:
        english = ""
        if lang == "en" and version is not None:
            try:
                english = rubric_of(version).title.en.strip()
            except RubricError:  # a stored body that no longer loads: its stored title
                english = ""
        return english or record.title

    rubrics: dict = {record.id: title(record.versions[-1] if record.versions else None, record)
                     for record in session.scalars(select(RubricRecord).where(RubricRecord.id.in_(rubric_ids)))} \
        if rubric_ids else {}
    if slugs:
        rubrics |= {record.slug: title(record.versions[-1] if record.versions else None, record)
                    for record in session.scalars(select(RubricRecord).where(RubricRecord.slug.in_(slugs)))}
    versions = {version.id: f"{title(version, version.rubric)} v{version.number}"
                for version in session.scalars(select(RubricVersion).where(RubricVersion.id.in_(version_ids)))} \
        if version_ids else {}
    return rubrics, versions


def setting_key(row: AuditRow) -> str | None:
    """The stored key of the setting an entry changed (None for entries about other records)."""
    if row.entity in _SETTINGS:
        return row.entity
    if row.entity == "settings":
        return row.note if row.note in _SETTINGS else _SETTING_ACTIONS.get(row.action)
    return None


def setting_name(key: str, lang: str) -> str:
    """A setting's stored key in words ("dispute window"); an unknown key with its underscores as spaces."""
    return _t(lang, *_SETTINGS[key]) if key in _SETTINGS else key.replace("_", " ")


def record_names(session: Session, rows: list[AuditRow], lang: str) -> list[str | None]:
    """A rubric's or rubric version's title, or a setting's name, for rows about one (None for other rows:
    their number says it)."""
    rubrics, versions = _rubric_titles(session, rows, lang)
    names = [rubrics.get(row.entity_id) if row.entity == "rubrics" else
             versions.get(row.entity_id) if row.entity == "rubric_versions" else
             setting_name(setting_key(row), lang) if setting_key(row) else None for row in rows]
    return [None if name is None else _quoted(name, lang) for name in names]


_OPERATOR_KEYS, _TEAM_KEYS = {"operator", "operator_id"}, {"team", "team_id"}


def _call_numbers(value, lang: str) -> str:
    """Calls as a person names them: "№ 9, № 14" / "#9, #14" (a count, as an export records, stays a count)."""
    numbers = value if isinstance(value, list) else [value] if isinstance(value, int) else None
    if numbers is None or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        return _value(value, lang)
    return ", ".join(_t(lang, f"№ {n}", f"#{n}") for n in numbers) or "—"


def _people_names(session: Session, rows: list[AuditRow]) -> dict[str, dict[int, str]]:
    """The operators' and teams' names for the ids the rows carry."""
    wanted: dict[str, set[int]] = {"operator": set(), "team": set()}
    for row in rows:
        for side in (row.old, row.new):
            for key, value in (side or {}).items() if isinstance(side, dict) else ():
                kind = "operator" if key in _OPERATOR_KEYS else "team" if key in _TEAM_KEYS else None
                if kind and isinstance(value, int) and not isinstance(value, bool):
                    wanted[kind].add(value)
    names: dict[str, dict[int, str]] = {"operator": {}, "team": {}}
    for kind, model in (("operator", Operator), ("team", Team)):
        if wanted[kind]:
            names[kind] = dict(session.execute(select(model.id, model.name).where(model.id.in_(wanted[kind]))).all())
    return names


def describe_change(row: AuditRow, lang: str, question: Question | None = None,
                    rubric_names: tuple[dict[int, str], dict[int, str]] = ({}, {}),
                    people: dict[str, dict[int, str]] | None = None) -> str:
    """What the entry changed, in `lang` ("ru" or "en"): "Question 'Greeting': 'Partly' → 'Yes'" for an answer,
    "status: submitted → draft" for a reopened evaluation; `question` is the rubric question the entry is about
    (its text and option labels are shown instead of stored ids and values)."""
    old, new = row.old, row.new
    question_id = row.note if row.action in ("answer", "answer_comment", "dispute") else None
    if question_id and (old is None or set(old) <= _ANSWER_KEYS) and (new is None or set(new) <= _ANSWER_KEYS):
        if row.action == "dispute":
            return f"{_question_name(question, question_id, lang)}: {answer_text(question, old, lang)}; " \
                   + _t(lang, "возражение ", "objection ") + _value((new or {}).get("comment"), lang)
        return _answer_change(question, question_id, old, new, lang)
    if old is None and new is None:
        return ""
    keys = sorted((set(old or {}) | set(new or {})) - _HIDDEN_KEYS)
    parts = []
    for key in keys:
        before, after = (old or {}).get(key), (new or {}).get(key)
        if key == "question" and isinstance(after, str) and question is not None:
            after = question.text.get(lang)
        if key in ("rubric", "rubric_version"):  # its title, not its id
            names = rubric_names[0 if key == "rubric" else 1]
            before, after = names.get(before, before), names.get(after, after)
        name, shown = _key(key, lang), _value
        if key in _OPERATOR_KEYS | _TEAM_KEYS and people:  # a name, not an id
            known = people["operator" if key in _OPERATOR_KEYS else "team"]
            before, after = known.get(before, before), known.get(after, after)
        if key == "call" or (key == "calls" and (isinstance(before, list) or isinstance(after, list))):
            shown = _call_numbers  # an export's "calls" is a count and stays one
        if key == "days" and (_is_week(before) or _is_week(after)):  # working hours, not a number of days
            name, shown = _t(lang, "часы", "hours"), _week
        if old is None:
            parts.append(f"{name}: {shown(after, lang)}")
        elif new is None:
            parts.append(f"{name}: {shown(before, lang)} → —")
        elif before != after:
            parts.append(f"{name}: {shown(before, lang)} → {shown(after, lang)}")
    return "; ".join(parts)


def describe_changes(session: Session, rows: list[AuditRow], lang: str) -> list[str]:
    """`describe_change` of each row, with the questions of evaluations and disputes looked up in their pinned
    rubric version (each version read once)."""
    rubrics: dict[int, dict[str, Question]] = {}

    def question_of(row: AuditRow) -> Question | None:
        question_id = row.note if row.action in ("answer", "answer_comment", "dispute") else \
            (row.new or {}).get("question") if isinstance(row.new, dict) else None
        if not isinstance(question_id, str) or row.entity_id is None:
            return None
        evaluation_id = row.entity_id
        if row.entity == "disputes":
            dispute = session.get(Dispute, row.entity_id)
            evaluation_id = dispute.evaluation_id if dispute is not None else None
        elif row.entity == "comments":
            return None
        elif row.entity != "evaluations":
            return None
        evaluation = session.get(Evaluation, evaluation_id) if evaluation_id is not None else None
        if evaluation is None:
            return None
        if evaluation.rubric_version_id not in rubrics:
            rubric = rubric_of(session.get(RubricVersion, evaluation.rubric_version_id))
            rubrics[evaluation.rubric_version_id] = {q.id: q for q in rubric.questions()}
        return rubrics[evaluation.rubric_version_id].get(question_id)

    names, people = _rubric_titles(session, rows, lang), _people_names(session, rows)
    return [describe_change(row, lang, question_of(row), names, people) for row in rows]
