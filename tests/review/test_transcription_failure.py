"""A failure's reason is stored as its template and values: each interface reads it in its own language."""

from review.transcripts.failure import (
    TranscriptionFailed,
    failure_of,
    read_failure,
    stopped_too_often,
    stored_text,
)
from transcription.errors import AudioDecodeError


def test_a_recordings_reason_keeps_its_template_values_and_file_through_the_database_text():
    error = AudioDecodeError("/calls/Запись 7.wav", "cannot be read: {detail}", detail="Permission denied")
    back = read_failure(stored_text(failure_of(error)))
    assert (back.template, back.params, back.file) == ("cannot be read: {detail}", {"detail": "Permission denied"},
                                                       "Запись 7.wav")
    assert str(back) == str(error) == "Запись 7.wav: cannot be read: Permission denied"


def test_a_reason_stored_before_templates_or_mangled_reads_as_its_text():
    assert str(read_failure("decoder crashed")) == "decoder crashed"
    assert str(read_failure('{"template": broken')) == '{"template": broken'
    assert read_failure(None) is None and read_failure("") is None


def test_a_reason_built_at_run_time_is_its_text_even_with_braces():
    failure = failure_of(RuntimeError("index {0} out of range"))
    assert str(read_failure(stored_text(failure))) == "index {0} out of range"


def test_the_crash_reason_names_how_many_attempts():
    failure = read_failure(stored_text(stopped_too_often(3)))
    assert isinstance(failure, TranscriptionFailed) and failure.params == {"attempts": 3}
    assert str(failure).startswith("the transcription stopped 3 times without finishing")
