"""The search page finds spoken words and, when asked, hides personal data in what it shows."""

from app.search_page import SPANS_ROLE, SearchPage, highlighted_html
from review.models import Call, Segment
from review.library.search import index_text


def _call_with_phone(db):
    with db.unit_of_work() as session:
        call = Call(path="/p.wav", sha256="p" * 64, size_bytes=1, duration_s=30, sample_rate=8000, channels=2,
                    codec="PCM_16", transcription_status="done")
        session.add(call)
        session.flush()
        text = "Перезвоните мне на номер +7 916 123-45-67"
        session.add(Segment(call_id=call.id, position=0, speaker="customer", start_s=3.0, end_s=6.0, text=text,
                            words=[], search_text=index_text(text)))
        return call.id


def test_hits_show_and_open_the_moment(qtbot, sqlite_db):
    from review.accounts.local_admin import ensure_local_admin

    call_id = _call_with_phone(sqlite_db)
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    page = SearchPage(sqlite_db, actor)
    qtbot.addWidget(page)
    page.query.setText("перезвонить")
    page.run_search()
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
    page.run_search()
    assert "123-45-67" not in page.results.topLevelItem(0).text(5)
