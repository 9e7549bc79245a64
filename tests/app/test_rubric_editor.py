"""The rubric editor: the plain document alone, its Qt model under a model tester, and the page over real SQLite."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.rubric_editor import RubricsPage
from app.rubric_editor.rubric_document import RubricDocument
from app.rubric_editor.rubric_tree_model import RubricTreeModel, type_label
from review.accounts.local_admin import ensure_local_admin
from review.models import Answer as AnswerRow
from review.models import Call, Evaluation, RubricVersion, User
from review.scoring.rubric_store import (
    draft_of,
    install_builtin_rubrics,
    latest_published,
    list_rubrics,
    rubric_of,
)
from review.workspace import Workspace
from rubrics import Answer, builtin_rubric, score


@pytest.fixture
def workspace(sqlite_db):
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        install_builtin_rubrics(session, actor)
    with sqlite_db.sessions() as session:
        actor = ensure_local_admin(session)
    return sqlite_db, actor


def type_text(widget, text: str) -> None:
    """Typing as a keyboard does, Cyrillic included (QTest.keyClicks knows ASCII only)."""
    widget.setFocus()
    for event_type in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(event_type, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, text))


def _page(qtbot, db, actor) -> RubricsPage:
    page = RubricsPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.resize(1176, 740)
    with qtbot.waitSignal(page.loaded, timeout=10_000):  # the list and the first rubric are read off the GUI thread
        page.show()
    return page


def _choose(qtbot, page: RubricsPage, slug: str) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.rubric_list.setCurrentRow(next(r for r in range(page.rubric_list.count())
                                            if page.rubric_list.item(r).data(Qt.ItemDataRole.UserRole + 4) == slug))


def _open_for_editing(qtbot, page: RubricsPage, slug: str) -> None:
    if page.slug != slug:
        _choose(qtbot, page, slug)
    assert page.slug == slug and page.version_status == "published"
    page.edit_button.click()
    assert page.editing


# -- the document alone -----------------------------------------------------------------------------
def test_document_moves_questions_between_sections_and_announces_it():
    document = RubricDocument.from_rubric(builtin_rubric("written_reply"))
    events = []
    document.subscribe(lambda event: events.append(event.kind))
    first_ids = [q["id"] for q in document.questions(0)]
    moved = first_ids[0]
    assert document.move_question(0, 0, 1, 0)
    assert document.questions(1)[0]["id"] == moved and [q["id"] for q in document.questions(0)] == first_ids[1:]
    assert events == ["moving", "moved"] and document.dirty
    assert not document.move_question(1, 0, 1, 1)  # onto itself: nothing happens
    assert document.move_question(1, 0, 1, 3)  # Qt's convention: before row 3 counted before the move
    assert document.questions(1)[2]["id"] == moved
    assert document.path_of_id(moved) == (1, 2)
    assert document.validate().sections[1].questions[2].id == moved


def test_document_reports_problems_in_plain_words():
    document = RubricDocument.from_rubric(builtin_rubric("inbound_call"))
    document.set_field((0, 0), "type", "scale")  # a scale without levels
    assert any("greeting_clinic_and_name" in p and "at least 2 levels" in p for p in document.problems())


# -- the Qt model over the document -----------------------------------------------------------------
def test_tree_model_follows_document_changes(qtbot):
    document = RubricDocument.from_rubric(builtin_rubric("outbound_callback"))
    model = RubricTreeModel(document)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    sections = model.rowCount()
    questions = model.rowCount(model.index(1, 0))
    document.add_question(1, 0)
    assert model.rowCount(model.index(1, 0)) == questions + 1
    assert model.data(model.index(0, 0, model.index(1, 0))) == "Новый вопрос"
    document.add_section(0)
    assert model.rowCount() == sections + 1
    document.move_section(0, sections + 1)
    assert model.data(model.index(sections, 0)) == "Новый раздел"
    document.remove((sections,))
    assert model.rowCount() == sections


# -- the page over a real database ------------------------------------------------------------------
def _evaluation_pinned_to(session, version: RubricVersion, reviewer: User) -> Evaluation:
    call = Call(path="/calls/a.wav", sha256="a" * 64, size_bytes=1, duration_s=60, sample_rate=8000, channels=2,
                codec="PCM_16", call_kind="inbound_booking")
    session.add(call)
    session.flush()
    answers = {"greeting_clinic_and_name": True, "greeting_offer_help": False, "needs_situation": 2,
               "doctor_recommendation": "partial", "personal_data_handled": True, "not_rude": False}
    evaluation = Evaluation(call_id=call.id, rubric_version_id=version.id, reviewer_id=reviewer.id,
                            answers=[AnswerRow(question_id=qid, value={"v": value}) for qid, value in answers.items()]
                            + [AnswerRow(question_id="needs_for_whom", na=True)])
    session.add(evaluation)
    session.flush()
    return evaluation


def _rescore(session, evaluation_id: int):
    evaluation = session.get(Evaluation, evaluation_id)
    version = session.get(RubricVersion, evaluation.rubric_version_id)
    answers = {row.question_id: Answer.not_applicable() if row.na else Answer(row.value["v"])
               for row in evaluation.answers}
    return rubric_of(version), score(rubric_of(version), answers)


def test_add_question_save_publish_and_old_evaluations_keep_their_score(qtbot, workspace, monkeypatch):
    db, actor = workspace
    with db.unit_of_work() as session:
        v1 = latest_published(session, "inbound_call")
        evaluation = _evaluation_pinned_to(session, v1, actor)
        evaluation_id, v1_id = evaluation.id, v1.id
        _rubric, before = _rescore(session, evaluation_id)
        evaluation.score = before.overall

    page = _page(qtbot, db, actor)
    _open_for_editing(qtbot, page, "inbound_call")
    page.editor.select((0, 1))
    page.editor.add_question_button.click()
    assert page.editor.current_path() == (0, 2)
    text_ru = page.editor.question_form.text_edit.edit("ru")
    text_ru.selectAll()
    type_text(text_ru, "Спросил, как к пациенту обращаться")
    text_en = page.editor.question_form.text_edit.edit("en")
    text_en.selectAll()
    qtbot.keyClicks(text_en, "Asked how to address the patient")
    page.editor.model.lang = "ru"
    assert page.editor.model.data(page.editor.model.index_of((0, 2))) == "Спросил, как к пациенту обращаться"
    page.editor.validate_now()
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save_button.click()
    assert page.version_status == "draft" and page.version_number == 2
    assert page.message_bar.kind == "info"

    monkeypatch.setattr(page, "ask_version_note", lambda: "Добавлен вопрос об обращении к пациенту")
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.publish_button.click()
    assert page.version_status == "published" and page.version_number == 2 and not page.editing
    assert [page.version_list.item(r).data(Qt.ItemDataRole.UserRole + 1) for r in range(page.version_list.count())] \
        == ["Version 2", "Version 1"]

    with db.sessions() as session:
        v2 = latest_published(session, "inbound_call")
        assert v2.number == 2 and v2.note == "Добавлен вопрос об обращении к пациенту"
        new_rubric, old_rubric = rubric_of(v2), rubric_of(session.get(RubricVersion, v1_id))
        assert len(list(new_rubric.questions())) == len(list(old_rubric.questions())) + 1
        added = new_rubric.sections[0].questions[2]
        assert added.text.ru == "Спросил, как к пациенту обращаться" and added.text.en == "Asked how to address the patient"
        pinned_rubric, after = _rescore(session, evaluation_id)
        assert session.get(Evaluation, evaluation_id).rubric_version_id == v1_id
        assert pinned_rubric == old_rubric
        assert after == before and after.overall == session.get(Evaluation, evaluation_id).score
        assert added.id not in after.unanswered


def test_broken_yaml_import_shows_the_line_and_keeps_stored_rubrics(qtbot, workspace, tmp_path, monkeypatch):
    db, actor = workspace
    broken = tmp_path / "clinic_b.yaml"
    broken.write_text("id: clinic_b\ntitle: Клиника Б\nsections:\n  - id: s\n    title: Раздел\n    weight: 1\n"
                      "    questions:\n      - id: q\n        type: scale\n        text: Вопрос\n", encoding="utf-8")
    with db.sessions() as session:
        before = [(s.slug, s.published_number, s.has_draft) for s in list_rubrics(session)]
        versions_before = session.scalar(select(func.count()).select_from(RubricVersion))
    page = _page(qtbot, db, actor)
    monkeypatch.setattr(page, "choose_import_path", lambda: str(broken))
    with qtbot.waitSignal(page.refused, timeout=10_000):
        page.import_button.click()
    assert page.message_bar.isVisible() and page.message_bar.kind == "error"
    assert "clinic_b.yaml, line 8" in page.message_bar.text() and "at least 2 levels" in page.message_bar.text()
    with db.sessions() as session:
        assert [(s.slug, s.published_number, s.has_draft) for s in list_rubrics(session)] == before
        assert session.scalar(select(func.count()).select_from(RubricVersion)) == versions_before
    assert page.rubric_list.count() == 3


def test_good_yaml_import_becomes_a_draft_and_export_round_trips(qtbot, workspace, tmp_path, monkeypatch):
    db, actor = workspace
    page = _page(qtbot, db, actor)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.open_rubric("written_reply")
    exported = tmp_path / "written.yaml"
    monkeypatch.setattr(page, "choose_export_path", lambda suggested: str(exported))
    with qtbot.waitSignal(page.exported, timeout=10_000):
        page.export_button.click()
    text = exported.read_text(encoding="utf-8").replace("id: written_reply", "id: written_reply_b", 1)
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(page, "choose_import_path", lambda: str(tmp_path / "b.yaml"))
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.import_button.click()
    assert page.message_bar.kind == "info"
    assert page.slug == "written_reply_b" and page.version_status == "draft" and page.editing
    with db.sessions() as session:
        assert rubric_of(draft_of(session, "written_reply_b")).sections == builtin_rubric("written_reply").sections


def test_drag_reorder_changes_the_saved_draft(qtbot, workspace):
    db, actor = workspace
    page = _page(qtbot, db, actor)
    _open_for_editing(qtbot, page, "inbound_call")
    model = page.editor.model
    original = builtin_rubric("inbound_call")
    dragged = original.sections[0].questions[0].id
    # A question dragged from "greeting" to the top of "needs", the way the view drops it.
    mime = model.mimeData([model.index_of((0, 0))])
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index_of((1,)))
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())  # not among sections
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index_of((1,)))
    # The last section dragged to the top.
    last = len(original.sections) - 1
    model.dropMimeData(model.mimeData([model.index_of((last,))]), Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    page.editor.validate_now()
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save_button.click()
    with db.sessions() as session:
        saved = rubric_of(draft_of(session, "inbound_call"))
    assert [s.id for s in saved.sections] == [original.sections[last].id] + [s.id for s in original.sections[:last]]
    assert saved.sections[1].questions[0].id == original.sections[0].questions[1].id
    assert saved.sections[2].questions[0].id == dragged


def test_keyboard_moves_a_question_across_sections(qtbot, workspace):
    db, actor = workspace
    page = _page(qtbot, db, actor)
    _open_for_editing(qtbot, page, "written_reply")
    count = len(page.editor.document.questions(0))
    page.editor.select((0, count - 1))
    page.editor.tree.setFocus()
    qtbot.keyClick(page.editor.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert page.editor.current_path() == (1, 0)
    assert len(page.editor.document.questions(0)) == count - 1


def test_form_edits_are_validated_inline_and_preview_scores_clicks(qtbot, workspace):
    db, actor = workspace
    page = _page(qtbot, db, actor)
    _open_for_editing(qtbot, page, "inbound_call")
    editor = page.editor
    preview = editor.preview
    assert preview.result.overall == 100.0  # the sample starts at full marks
    fatal_path = editor.document.path_of_id("not_rude")
    assert builtin_rubric("inbound_call").question("not_rude").fatal
    preview.lang_combo.setCurrentIndex(preview.lang_combo.findData("ru"))
    preview.buttons["not_rude"][False].click()
    assert preview.result.overall == 0.0 and preview.result.computed > 0
    assert "фатальные: «" in preview.explanation_label.text()
    preview.lang_combo.setCurrentIndex(preview.lang_combo.findData("en"))
    assert "fatal: “" in preview.explanation_label.text()

    editor.select(fatal_path)
    form = editor.question_form
    form.type_combo.setCurrentIndex(form.type_combo.findData("scale"))  # fatal is cleared, levels given
    editor.validate_now()
    assert editor.problems == [] and not form.fatal_check.isChecked()
    form.type_combo.setCurrentIndex(form.type_combo.findData("yes_no"))
    form.id_edit.setFocus()
    form.id_edit.selectAll()
    qtbot.keyClicks(form.id_edit, "greeting_offer_help")  # an id already used
    editor.validate_now()
    assert any("used twice" in problem for problem in editor.problems)
    assert editor.problems_list.isVisible() and not page.save_button.isEnabled()
    assert editor.preview.stale_label.isVisibleTo(editor.preview)  # on the Preview tab
    editor.problems_list.itemClicked.emit(editor.problems_list.item(0))
    assert editor.current_path() == fatal_path


def test_unsaved_changes_are_asked_about(qtbot, workspace, monkeypatch):
    db, actor = workspace
    page = _page(qtbot, db, actor)
    _open_for_editing(qtbot, page, "inbound_call")
    page.editor.add_question()
    monkeypatch.setattr(page, "ask_unsaved", lambda: "cancel")
    page.rubric_list.setCurrentRow(page.rubric_list.count() - 1)
    assert page.slug == "inbound_call" and page.editor.document.dirty
    assert page.rubric_list.current_slug() == "inbound_call"
    monkeypatch.setattr(page, "ask_unsaved", lambda: "save")
    with qtbot.waitSignal(page.loaded, timeout=10_000):  # saved, then the chosen rubric is read
        page.rubric_list.setCurrentRow(page.rubric_list.count() - 1)
    assert page.slug != "inbound_call"
    with db.sessions() as session:
        assert draft_of(session, "inbound_call") is not None


def test_users_without_the_permission_see_rubrics_read_only(qtbot, workspace):
    db, _admin = workspace
    with db.unit_of_work() as session:
        session.add(User(username="boss", display_name="Manager", role="manager"))
    with db.sessions() as session:
        manager = session.scalar(select(User).where(User.username == "boss"))
    page = _page(qtbot, db, manager)
    assert page.slug is not None and not page.editing
    assert page.edit_button.isHidden() and page.save_button.isHidden() and page.new_button.isHidden()
    page.start_draft()
    assert not page.editing and not page.editor.editable
    assert not page.editor.model.flags(page.editor.model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    page.editor.add_question()
    assert page.editor.document.dirty is False
    assert page.read_only_note.isVisible()


def test_new_rubric_is_saved_under_its_own_id(qtbot, workspace):
    db, actor = workspace
    page = _page(qtbot, db, actor)
    page.new_button.click()
    assert page.editing and page.version_status is None and page.has_unsaved_changes()
    page.editor.rubric_form.id_edit.setText("")
    qtbot.keyClicks(page.editor.rubric_form.id_edit, "inbound_call")  # taken
    page.editor.validate_now()
    assert not page.save()
    assert "already exists" in page.message_bar.text()
    page.editor.rubric_form.id_edit.setText("")
    qtbot.keyClicks(page.editor.rubric_form.id_edit, "clinic_b_calls")
    with qtbot.waitSignal(page.saved, timeout=10_000):
        assert page.save()
    assert page.slug == "clinic_b_calls" and page.version_number == 1
    assert page.editor.rubric_form.id_edit.isReadOnly()
    with db.sessions() as session:
        assert "clinic_b_calls" in {s.slug for s in list_rubrics(session)}


def test_a_questions_checks_are_edited_as_yaml_validated_and_saved(qtbot, workspace):
    db, actor = workspace
    page = _page(qtbot, db, actor)
    _open_for_editing(qtbot, page, "inbound_call")
    editor = page.editor
    editor.select(editor.document.path_of_id("closing"))
    form = editor.question_form
    assert "id: goodbye" in form.checks_edit.toPlainText() and "всего доброго" in form.checks_edit.toPlainText()
    form.checks_edit.setPlainText("- id: goodbye\n  phrases: [всего доброго, до встречи\n")  # unclosed
    assert form.checks_problem.isVisibleTo(form) and "not valid YAML" in form.checks_problem.text()
    form.checks_edit.setPlainText("- id: goodbye\n  phrases: [до встречи]\n  by: doctor\n")
    editor.validate_now()
    assert any("'doctor' is not a valid by" in problem for problem in editor.problems)
    assert not page.save_button.isEnabled()
    form.checks_edit.setPlainText("- id: goodbye\n  phrases: [до встречи, всего доброго]\n  within_s: 600\n")
    editor.validate_now()
    assert editor.problems == [] and not form.checks_problem.isVisibleTo(form)
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save_button.click()
    with db.sessions() as session:
        [check] = rubric_of(draft_of(session, "inbound_call")).question("closing").checks
    assert check.phrases == ["до встречи", "всего доброго"] and check.within_s == 600


def test_a_questions_checks_are_tried_live_on_a_chosen_call(qtbot, workspace):
    from tests.app.review_support import reviewable_demo_call

    db, actor = workspace
    call_id = reviewable_demo_call(db, actor, "ru06_poor_booking")
    page = _page(qtbot, db, actor)
    _open_for_editing(qtbot, page, "inbound_call")
    editor = page.editor
    editor.select(editor.document.path_of_id("doctor_recommendation"))
    trial = editor.question_form.trial
    trial.call_spin.setValue(call_id)
    trial.test_button.click()
    qtbot.waitUntil(lambda: "suggests" in trial.result.text(), timeout=15000)
    assert "все врачи хорошие" in trial.result.text() and "all_doctors_good" in trial.result.text()
    # Edited, not saved: the test runs the checks as they stand in the form.
    editor.question_form.checks_edit.setPlainText(
        "- id: all_doctors_good\n  says: must_not\n  phrases: [никто не жаловался]\n  if_not_met: all_good\n")
    trial.test_button.click()
    qtbot.waitUntil(lambda: "no suggestion" in trial.result.text(), timeout=15000)
    assert "No evidence found: looked for “никто не жаловался”" in trial.result.text()


def test_typing_while_a_draft_is_saved_is_kept_and_still_unsaved(qtbot, workspace):
    db, actor = workspace
    page = _page(qtbot, db, actor)
    _open_for_editing(qtbot, page, "written_reply")
    page.editor.add_question()
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save_button.click()
        # Before the answer is back (it needs the event loop): the editor stays editable and takes more typing.
        assert page.editor.editable and not page.save_button.isEnabled() and "saving" in page.status_label.text()
        page.editor.document.set_rubric_field("title", {"ru": "Письменный ответ, правка", "en": "Written, edited"})
    assert page.version_status == "draft" and page.editing
    assert page.editor.document.data["title"]["ru"] == "Письменный ответ, правка"
    assert page.editor.document.dirty and page.has_unsaved_changes()  # the later edit is not yet stored
    with db.sessions() as session:
        stored = rubric_of(draft_of(session, "written_reply"))
    assert stored.title.ru != "Письменный ответ, правка"
    assert len(list(stored.questions())) == len(list(builtin_rubric("written_reply").questions())) + 1


def test_a_refused_publish_shows_its_sentence_and_keeps_the_editor(qtbot, workspace, monkeypatch):
    db, actor = workspace
    page = _page(qtbot, db, actor)
    page.new_button.click()
    page.editor.rubric_form.id_edit.setText("")
    qtbot.keyClicks(page.editor.rubric_form.id_edit, "clinic_c_calls")
    page.editor.add_question()
    typed = copy.deepcopy(page.editor.document.data)
    monkeypatch.setattr(page, "ask_version_note", lambda: "First version")
    # A broken rubric is refused at once, in plain words, and nothing is stored.
    page.editor.document.set_field((0, 0), "type", "scale")  # a scale without levels
    assert not page.publish()
    assert page.message_bar.kind == "error" and "problems are fixed" in page.message_bar.text()
    page.editor.document.set_field((0, 0), "type", "yes_no")
    # Someone else takes the id meanwhile: the core refuses, and what was typed stays, still unsaved.
    from review.scoring.rubric_store import save_draft
    from rubrics import rubric_from_data

    with db.unit_of_work() as session:
        save_draft(session, session.get(User, actor.id), rubric_from_data({**typed, "id": "clinic_c_calls"}))
    with qtbot.waitSignal(page.refused, timeout=10_000) as refusal:
        assert page.publish()
    assert "clinic_c_calls" in refusal.args[0] and "already exists" in page.message_bar.text()
    assert page.message_bar.kind == "error" and page.editing and page.version_status is None
    assert page.editor.document.data == typed and page.has_unsaved_changes()
    with db.sessions() as session:
        assert latest_published_or_none(session, "clinic_c_calls") is None


def latest_published_or_none(session, slug: str):
    from review.errors import NotFound

    try:
        return latest_published(session, slug)
    except NotFound:
        return None


def test_at_1366_the_tree_shows_every_question_whole(qtbot, workspace, russian):
    from tests.app.app_look import as_in_the_app

    db, actor = workspace
    page = RubricsPage(Workspace(db, actor))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        as_in_the_app(page, 1366 - 190, 700)  # the page beside the sidebar on a 1366 px screen
    qtbot.wait(50)
    tree = page.editor.tree
    metrics = tree.fontMetrics()
    cut = []
    model = tree.model()
    bold = QFont(tree.font())
    bold.setBold(True)
    for section in range(model.rowCount()):
        parent = model.index(section, 0)
        for index, drawn in [(parent, QFontMetrics(bold))] + [(model.index(row, 0, parent), metrics)
                                                             for row in range(model.rowCount(parent))]:
            rect = tree.visualRect(index)  # sections' titles are bold, questions' texts regular
            text = str(index.data())
            needed = drawn.boundingRect(0, 0, rect.width() - 8, 10_000, Qt.TextFlag.TextWordWrap, text)
            if needed.height() > rect.height() or needed.width() > rect.width() - 8:
                cut.append(text)
    assert not cut, cut
    tabs = page.editor.tabs.tabBar()
    assert sum(tabs.tabRect(i).width() for i in range(tabs.count())) <= tabs.width()  # no scroll arrows
    from PySide6.QtWidgets import QScrollArea

    tree.setCurrentIndex(model.index(0, 0, model.index(0, 0)))  # a question's form, the widest
    qtbot.wait(50)
    areas = [a for a in page.editor.findChildren(QScrollArea) if a.isVisible()]
    assert areas and [a.horizontalScrollBar().maximum() for a in areas] == [0] * len(areas)  # no sideways scroll


def _columns_fit(tree) -> list[str]:
    """Type, weight and flags columns narrower than Qt's own measure of their contents and titles, or far wider."""
    header = tree.header()
    wrong = []
    for column in (1, 2, 3):
        wanted = max(tree.sizeHintForColumn(column), header.sectionSizeHint(column))
        if not wanted <= header.sectionSize(column) <= wanted + 8:
            wrong.append(f"column {column}: {header.sectionSize(column)} px for {wanted} px of contents")
    return wrong


def test_the_tree_columns_fit_their_contents_after_a_rubric_change_and_a_language_change(qtbot, workspace,
                                                                                        russian):
    from app.i18n import install_language
    from tests.app.app_look import as_in_the_app

    db, actor = workspace
    page = RubricsPage(Workspace(db, actor))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        as_in_the_app(page, 1366 - 190, 700)
    tree = page.editor.tree
    qtbot.waitUntil(lambda: not _columns_fit(tree), timeout=2_000)
    flags_before = tree.header().sectionSize(3)

    question = (0, 0)
    for flag in ("fatal", "critical", "na_allowed"):  # the widest flags text there is
        page.editor.document.set_field(question, flag, True)
    qtbot.waitUntil(lambda: tree.header().sectionSize(3) > flags_before, timeout=2_000)
    assert not _columns_fit(tree), _columns_fit(tree)

    _choose(qtbot, page, "outbound_callback")
    qtbot.waitUntil(lambda: not _columns_fit(tree), timeout=2_000)

    model = page.editor.model
    in_russian = model.data(model.index_of((0, 0), 1))
    install_language(QApplication.instance(), "en")  # the `russian` fixture puts English back afterwards too
    in_english = type_label(page.editor.document.item((0, 0)))
    assert in_english != in_russian
    qtbot.waitUntil(lambda: model.headerData(2, Qt.Orientation.Horizontal) == "Weight"
                    and model.data(model.index_of((0, 0), 1)) == in_english, timeout=2_000)
    qtbot.waitUntil(lambda: not _columns_fit(tree), timeout=2_000)


def test_a_long_rubric_opens_in_the_tree_section_by_section_until_all_are_open(qtbot):
    from app.rubric_editor.editor_pane import EXPANDED_ROWS_PER_TURN, RubricEditorPane

    sections = [{"id": f"s{s}", "title": {"ru": f"Раздел {s}"}, "weight": 1,
                 "questions": [{"id": f"q{s}_{q}", "type": "yes_no", "text": {"ru": f"Вопрос {q}"}} for q in range(9)]}
                for s in range(14)]
    assert len(sections) * 10 > 2 * EXPANDED_ROWS_PER_TURN  # three turns at least
    pane = RubricEditorPane()
    qtbot.addWidget(pane)
    pane.show()
    pane.set_document(RubricDocument({"id": "long", "title": {"ru": "Длинная"}, "sections": sections}),
                      editable=True, id_locked=False)
    model = pane.model
    assert pane.tree.isExpanded(model.index(0, 0))
    qtbot.waitUntil(lambda: pane.current_path() == (0,), timeout=2_000)  # the first section, in a turn of its own
    qtbot.waitUntil(lambda: all(pane.tree.isExpanded(model.index(row, 0)) for row in range(len(sections))),
                    timeout=2_000)


def _cut_texts(form) -> list[str]:
    """The form's text boxes that do not show all their text: a line edit's words past its end, a text box
    whose lines need scrolling."""
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    cut = []
    for edit in form.findChildren(QLineEdit) + form.findChildren(QPlainTextEdit):
        if not edit.isVisible() or edit.objectName() == "qt_spinbox_lineedit":
            continue
        if isinstance(edit, QLineEdit):
            if edit.fontMetrics().horizontalAdvance(edit.text()) > edit.contentsRect().width() - 8:
                cut.append(edit.text())
            continue
        last = edit.document().lastBlock()
        bottom = edit.blockBoundingGeometry(last).translated(edit.contentOffset()).bottom()
        if edit.verticalScrollBar().maximum() > 0 or bottom > edit.viewport().height():
            cut.append(edit.toPlainText()[:40])
    return cut


@pytest.mark.parametrize("language", ["russian", "english"])
def test_at_1366_a_questions_form_shows_its_texts_and_checks_whole(qtbot, workspace, language, request):
    """At 1366x768 the checks box was a line and a half tall (the form squeezed into its scroll area to its
    fields' minimums), and a question's English text ran past its one-line field's end ("…and own nar")."""
    from tests.app.app_look import app_wide_look

    request.getfixturevalue(language)
    db, actor = workspace
    with app_wide_look():  # the app's font and style sheet as the form is built, as the app has them
        _check_question_form_at_1366(qtbot, RubricsPage(Workspace(db, actor)))


def _check_question_form_at_1366(qtbot, page: RubricsPage) -> None:
    from PySide6.QtWidgets import QScrollArea

    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.resize(1366 - 190, 700)  # the page beside the sidebar on a 1366 px screen
        page.show()
    editor = page.editor
    for editing in (False, True):  # a published version read-only, then a draft of it
        if editing:
            page.edit_button.click()
            qtbot.waitUntil(lambda: page.editing, timeout=2_000)
        editor.select((0, 0))  # the greeting: a long English text, a help of three lines, two checks
        form = editor.question_form
        qtbot.waitUntil(form.isVisible, timeout=2_000)
        qtbot.wait(50)
        checks = form.checks_edit
        assert checks.toPlainText().count("\n") >= 5
        line = checks.fontMetrics().lineSpacing()
        assert checks.viewport().height() >= 4 * line, checks.height()
        assert _cut_texts(form) == [], _cut_texts(form)
        area = next(a for a in editor.findChildren(QScrollArea) if a.isVisible())
        assert area.horizontalScrollBar().maximum() == 0  # wrapped, not widened
        area.verticalScrollBar().setValue(checks.mapTo(area.widget(), checks.rect().topLeft()).y())
        qtbot.wait(20)
        top = checks.mapTo(area.viewport(), checks.rect().topLeft()).y()  # all of it reached by the form's scroll bar
        assert 0 <= top and top + checks.height() <= area.viewport().height(), (top, checks.height())
