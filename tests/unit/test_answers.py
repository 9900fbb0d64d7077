"""Answers as trainees type them (plain words in an answer cell), and the legacy scoring facade."""

from pathlib import Path

import pytest

from trauma_curriculum import course, grading
from trauma_curriculum.core.answers import (
    TYPED_LABELS,
    InvalidAnswer,
    normalise,
    normalise_label,
    read_answer_cell,
)
from trauma_curriculum.core.paths import NotInCurriculum


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("attachment", "attachment"),
        ("  Attachment Trauma ", "attachment"),
        ("RELATIONAL", "relational"),
        ("relational trauma", "relational"),
        ("not relational", "not_relational"),
        ("Not-Relational", "not_relational"),
        ("non-relational", "not_relational"),
        ("insufficient information", "insufficient_information"),
        ("Insufficient-Information", "insufficient_information"),
        ("both", "both"),
    ],
)
def test_labels_are_normalised(typed, label):
    assert normalise_label(typed) == label


@pytest.mark.parametrize("typed", ["", "atachment", "trauma", 3, None, ["attachment"], True])
def test_invalid_labels_say_what_to_type(typed):
    with pytest.raises(InvalidAnswer) as error:
        normalise_label(typed)
    assert TYPED_LABELS in str(error.value) and "Traceback" not in str(error.value)


def test_bools_and_choices():
    assert normalise("bool", "False") is False and normalise("bool", " yes ") is True
    assert normalise("bool", True) is True and normalise("bool", "false.") is False
    assert normalise("choice:ABCD", " b ") == "B" and normalise("choice:ABCD", "(c)") == "C"
    for kind, bad in [("bool", "maybe"), ("bool", 1), ("choice:ABCD", "E"), ("choice:ABCD", "AB")]:
        with pytest.raises(InvalidAnswer):
            normalise(kind, bad)
    with pytest.raises(ValueError, match="unknown answer kind"):
        normalise("essay", "x")


CELL = "%%answer item01\nanswer: {answer}\nconfidence (optional, 0 to 100): {confidence}"


@pytest.mark.parametrize(
    ("answer", "confidence", "status", "value", "rating"),
    [
        ("attachment", "80%", "valid", "attachment", 0.8),
        ("Attachment trauma", "80", "valid", "attachment", 0.8),
        ("relational trauma", "", "valid", "relational", None),
        ('"insufficient info"', "100 %", "valid", "insufficient_information", 1.0),
        ("Relational trauma", "lots", "valid", "relational", None),  # a bad rating never loses the label
        ("", "", "empty", None, None),
        ("relationl", "50", "invalid", None, 0.5),
        ("42", "", "invalid", None, None),
    ],
)
def test_an_answer_cell_is_read_in_plain_words(answer, confidence, status, value, rating):
    reading = read_answer_cell("item01", "label", CELL.format(answer=answer, confidence=confidence), rated=True)
    assert (reading.status, reading.value, reading.confidence) == (status, value, rating)
    assert reading.message.startswith("item01: ") and "\n" not in reading.message
    if status == "valid":
        assert "does not say whether it is right" in reading.message
    else:
        assert TYPED_LABELS in reading.message
    if confidence == "lots":
        assert "is ignored (the answer is still graded)" in reading.message


def test_a_line_without_a_field_name_is_the_answer_and_code_is_just_text():
    assert read_answer_cell("q", "label", "%%answer q\nboth").value == "both"
    code = read_answer_cell("q", "label", "while True:\n    pass")
    assert code.status == "invalid" and code.value is None


def test_the_magic_and_the_visible_check_in_a_kernel_print_one_line_and_no_traceback(capfd):
    from IPython.testing.globalipapp import start_ipython

    shell = start_ipython()
    shell.run_line_magic("load_ext", "trauma_curriculum.answers")
    shell.run_cell("from trauma_curriculum.answers import check")
    shell.run_cell(CELL.format(answer="Attachment trauma", confidence="80%"))
    shell.run_cell('check("item01", "label", rated=True)')
    out, err = capfd.readouterr()
    assert out.count("\n") == 1 and "item01: \u201cAttachment trauma\u201d is recorded" in out and err == ""
    shell.run_cell("%%answer item02\nanswer: Relational trauma without quotes, it's fine")
    shell.run_cell('check("item02", "label")')
    shell.run_cell('check("item03", "label")')
    out, err = capfd.readouterr()
    assert out == "" and err.count("\n") == 2 and "Traceback" not in err
    assert "item02: " in err and "item03: the answer cell above has not run yet" in err


@pytest.fixture
def keys(tmp_path, monkeypatch):
    (tmp_path / "nbgrader_config.py").write_text("")  # a course directory
    folder = tmp_path / "answer-keys"
    folder.mkdir()
    (folder / "demo.yaml").write_text(
        "assignment: demo\nquestions:\n  q1: {kind: label, answer: relational, points: 2}\n"
        "  q2: {kind: bool, answer: false, points: 1}\n"
    )
    work = tmp_path / "autograded" / "trainee" / "demo"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.delenv(course.KEYS_ENV, raising=False)
    return folder.resolve()


def test_score_finds_the_course_keys_above_the_notebook(keys):
    assert course.keys_dir() == keys
    assert grading.score("demo", "q1", "Relational Trauma") == 2.0
    assert grading.score("demo", "q1", "attachment") == 0.0
    assert grading.score("demo", "q2", "false") == 1.0


@pytest.mark.parametrize("bad", [None, 42, ["relational"], "", "relationl"])
def test_an_unreadable_answer_scores_zero_silently(keys, bad, capsys):
    assert grading.score("demo", "q1", bad) == 0.0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_missing_keys_are_a_clear_setup_error(keys, tmp_path, monkeypatch):
    with pytest.raises(grading.AnswerKeyError, match="other.yaml: file not found"):
        grading.score("other", "q1", "relational")
    with pytest.raises(grading.AnswerKeyError, match="no question 'q9'"):
        grading.score("demo", "q9", "relational")
    monkeypatch.chdir(Path("/"))
    with pytest.raises(NotInCurriculum, match="no nbgrader_config.py at or above"):
        course.keys_dir()
    monkeypatch.setenv(course.KEYS_ENV, str(keys))
    assert course.keys_dir() == keys
