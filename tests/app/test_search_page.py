"""The search page finds spoken words and, when asked, hides personal data in what it shows; results come newest
call first, are kept to an operator and a period when asked, are cut between words with "…" keeping the found
word in view, and a hit opens the call at the found word."""

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from app.search_page import SPANS_ROLE, SearchPage, clipped, highlighted_html
from review.accounts.local_admin import ensure_local_admin
from review.models import Call, Operator, Segment
from review.text_keys import index_text
from review.workspace import Workspace
from tests.app.test_review_workspace import type_text

SHOTS = Path("/tmp/shots")


def _call(session, text, *, operator=None, started_at=None, start_s=3.0, words=()):
    call = Call(path=f"/{text[:8]}-{started_at}.wav", sha256=f"{hash((text, started_at)) & (2**64 - 1):064x}",
                size_bytes=1, duration_s=30, sample_rate=8000, channels=2, codec="PCM_16",
                transcription_status="done", operator=operator, started_at=started_at)
    session.add(call)
    session.flush()
    session.add(Segment(call_id=call.id, position=0, speaker="customer", start_s=start_s, end_s=start_s + 6,
                        text=text, words=list(words), search_text=index_text(text)))
    return call.id


def _call_with_phone(db):
    with db.unit_of_work() as session:
        return _call(session, "Перезвоните мне на номер +7 916 123-45-67")


def _answered(qtbot, page, act) -> None:
    """Do `act` and wait for the search it starts (run off the GUI thread) to be listed. Counted rather than
    qtbot.waitSignal: a signal blocker around a signal emitted from an operation's delivery crashed Qt now
    and then at teardown (a timer of a deleted object)."""
    seen = []
    page.searched.connect(lambda: seen.append(1))
    act()
    qtbot.waitUntil(lambda: bool(seen))


def _search(qtbot, page, text):
    page.query.setText(text)
    _answered(qtbot, page, page.run_search)


def test_hits_show_and_open_the_moment(qtbot, sqlite_db):
    call_id = _call_with_phone(sqlite_db)
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    page = SearchPage(Workspace(sqlite_db, actor))
    qtbot.addWidget(page)
    _search(qtbot, page, "перезвонить")
    assert page.results.topLevelItemCount() == 1
    item = page.results.topLevelItem(0)
    assert "123-45-67" in item.text(5)
    # The word the query found is drawn in bold; the rest is escaped, never read as markup.
    assert highlighted_html(item.text(5), item.data(5, SPANS_ROLE)).startswith("<b>Перезвоните</b> мне")
    assert highlighted_html("a <b> & c", [(0, 1)]) == "<b>a</b> &lt;b&gt; &amp; c"
    with qtbot.waitSignal(page.open_call_at) as opened:
        page.results.itemActivated.emit(item, 0)
    assert opened.args == [call_id, 3.0]
    page.mask_personal_data = True
    del item
    _search(qtbot, page, "перезвонить")
    assert "123-45-67" not in page.results.topLevelItem(0).text(5)


@pytest.fixture
def three_calls(sqlite_db):
    """Anna's calls of 3 and 20 November and Igor's of 10 November, each asking to be called back."""
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        anna, igor = Operator(name="Анна"), Operator(name="Игорь")
        session.add_all([anna, igor])
        long_text = ("Добрый день, я звонила вчера по поводу анализов и мне сказали что результаты будут готовы к "
                     "пятнице, но до сих пор никто не позвонил, поэтому перезвоните мне, пожалуйста, после обеда")
        words = [{"start": 3.0 + 0.3 * i, "end": 3.2 + 0.3 * i, "text": w} for i, w in enumerate(long_text.split())]
        ids = {"anna_early": _call(session, "Перезвоните мне завтра", operator=anna,
                                   started_at=datetime(2026, 11, 3, 10)),
               "igor": _call(session, "Можно я вам перезвоню", operator=igor, started_at=datetime(2026, 11, 10, 9)),
               "anna_late": _call(session, long_text, operator=anna, started_at=datetime(2026, 11, 20, 15),
                                  words=words)}
        anna_id, igor_id = anna.id, igor.id
    return sqlite_db, actor, ids, anna_id, igor_id, long_text


def test_results_newest_first_kept_to_an_operator_and_a_period(qtbot, three_calls, english):
    db, actor, ids, anna, igor, _long = three_calls
    page = SearchPage(Workspace(db, actor))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.operator.count() == 3)
    _search(qtbot, page, "перезвонить")
    shown = [page.results.topLevelItem(r).text(0) for r in range(page.results.topLevelItemCount())]
    assert shown == [f"#{ids['anna_late']}", f"#{ids['igor']}", f"#{ids['anna_early']}"]
    assert "newest calls first" in page.summary.text()
    _answered(qtbot, page, lambda: page.operator.setCurrentIndex(page.operator.findData(anna)))
    assert [page.results.topLevelItem(r).text(1) for r in range(2)] == ["Анна", "Анна"]
    assert page.results.topLevelItemCount() == 2
    _answered(qtbot, page, lambda: page.period.setChecked(True))
    page.date_from.setDate(QDate(2026, 11, 1))
    _answered(qtbot, page, lambda: page.date_to.setDate(QDate(2026, 11, 15)))
    assert [page.results.topLevelItem(r).text(0) for r in range(page.results.topLevelItemCount())] == [
        f"#{ids['anna_early']}"]
    _answered(qtbot, page, lambda: page.operator.setCurrentIndex(page.operator.findData(igor)))
    _answered(qtbot, page, lambda: page.date_to.setDate(QDate(2026, 11, 5)))
    assert page.results.topLevelItemCount() == 0 and page.empty_hint.showing()
    assert "for this operator or period" in page.empty_hint.text()


def test_a_long_hit_is_cut_between_words_with_a_mark_and_opens_at_the_found_word(qtbot, three_calls, english):
    db, actor, ids, _anna, _igor, long_text = three_calls
    page = SearchPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.query.setFocus()
    type_text(page.query, "перезвоните")
    _answered(qtbot, page, lambda: QTest.keyClick(page.query, Qt.Key.Key_Return))
    item = page.results.topLevelItem(0)
    assert item.text(5) == long_text and item.toolTip(5) == long_text  # the whole of it, one hover away
    delegate = page.results.itemDelegateForColumn(5)
    width = page.results.columnWidth(5) - 10
    shown, spans = delegate.shown_text(item.text(5), item.data(5, SPANS_ROLE), page.results.font(), width)
    assert shown != long_text and (shown.startswith("… ") or shown.endswith(" …"))
    assert "перезвоните" in shown and shown[spans[0][0]:spans[0][1]] == "перезвоните"  # in view and in bold
    inner = shown.removeprefix("… ").removesuffix(" …")
    assert inner in long_text and all(w in long_text.split() for w in inner.split())  # whole words only
    # Measured as drawn (the found word in bold), the cut line fits its cell.
    from PySide6.QtGui import QFont, QFontMetrics

    font, bold = page.results.font(), QFont(page.results.font())
    bold.setBold(True)

    def drawn(line: str, found: list[tuple[int, int]]) -> int:
        plain = QFontMetrics(font).horizontalAdvance(line)
        return plain + sum(QFontMetrics(bold).horizontalAdvance(line[a:b]) - QFontMetrics(font).horizontalAdvance(line[a:b])
                           for a, b in found)

    assert drawn(shown, spans) <= width
    if SHOTS.exists():
        page.grab().save(str(SHOTS / "search_long_hit_en.png"))
    # The hit opens the call where the found word is said, so the review screen lights that word.
    found_at = 3.0 + 0.3 * long_text.split().index("перезвоните")
    assert item.text(4) == "0:" + f"{int(found_at):02d}"
    with qtbot.waitSignal(page.open_call_at) as opened:
        page.results.itemActivated.emit(item, 0)
    assert opened.args == [ids["anna_late"], pytest.approx(found_at)]


def test_clipping_keeps_whole_words_and_the_found_one():
    text = "one two three four five six seven"
    fits = lambda s: len(s) <= 17  # noqa: E731
    assert clipped(text, [(14, 18)], fits) == ("… three four five …", [(8, 12)]) or \
        clipped(text, [(14, 18)], fits)[0].count("four") == 1
    shown, spans = clipped(text, [(14, 18)], fits)
    assert len(shown) <= 17 and shown[spans[0][0]:spans[0][1]] == "four"
    assert clipped("short", [(0, 5)], fits) == ("short", [(0, 5)])
    shown, _ = clipped(text, [(0, 3)], fits)
    assert shown.startswith("one ") and shown.endswith(" …")


def test_the_placeholder_examples_are_found_in_the_demo_workspace(qtbot, sqlite_db, english):
    import re

    from review.demo import create_demo_workspace

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    create_demo_workspace(sqlite_db, actor)
    page = SearchPage(Workspace(sqlite_db, actor))
    qtbot.addWidget(page)
    examples = re.findall(r"«([^»]+)»", page.query.placeholderText())
    assert len(examples) == 2
    for example in examples:  # before any call is transcribed: the demo's chat says both
        _search(qtbot, page, example)
        assert page.results.topLevelItemCount() >= 1, example


def test_a_found_mail_is_one_line_in_the_list(qtbot, sqlite_db, tmp_path, english):
    """The demo complaint's reply is wrapped by its mail program: its row stood five lines tall, "… в течение"
    above the rest of the fragment."""
    import shutil

    from review.demo import DEMO_IDENTITIES
    from review.library.importing import import_recordings
    from tests.conftest import REPO

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    mbox = tmp_path / "complaint_waiting.mbox"
    shutil.copy(REPO / "resources" / "demo" / "written" / "complaint_waiting.mbox", mbox)
    import_recordings(sqlite_db, actor, [mbox], operator_identities=DEMO_IDENTITIES)
    page = SearchPage(Workspace(sqlite_db, actor))
    qtbot.addWidget(page)
    page.resize(1176, 600)
    page.show()
    _search(qtbot, page, "запишем")
    item = page.results.topLevelItem(0)
    assert "\n" not in item.text(5) and "рабочих дней. Если удобно, запишем" in item.text(5)
    line = page.results.fontMetrics().height()
    assert page.results.visualItemRect(item).height() < 2 * line



def test_a_cut_hit_fills_its_cell_as_drawn(qtbot):
    """Measured in bold throughout, a cut line left about a tenth of its cell empty (EN, 1366: "…from nine to
    six. The …" with room for more): only the found words are bold."""
    from PySide6.QtGui import QFont, QFontMetrics

    from app.search_page import _HighlightDelegate

    font = QFont()
    text = " ".join(["appointment"] + ["weekday"] * 60)
    words = text.split()
    width = QFontMetrics(font).horizontalAdvance(" ".join(words[:30]) + " …")
    bold = QFont(font)
    bold.setBold(True)
    width += QFontMetrics(bold).horizontalAdvance("appointment") - QFontMetrics(font).horizontalAdvance("appointment")
    shown, spans = _HighlightDelegate().shown_text(text, [(0, len("appointment"))], font, width)
    assert len(shown.removesuffix(" …").split()) == 30, shown
    assert shown[spans[0][0]:spans[0][1]] == "appointment"
