"""Answers as trainees type them, and the grader-side scoring of hidden checks."""

from pathlib import Path

import pytest

from trauma_curriculum import course, grading
from trauma_curriculum.core.answers import InvalidAnswer, check_answer, normalise, normalise_label
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
    assert "attachment, relational, both, not_relational, insufficient_information" in str(error.value)


def test_bools_and_choices():
    assert normalise("bool", "False") is False and normalise("bool", " yes ") is True
    assert normalise("bool", True) is True
    assert normalise("choice:ABCD", " b ") == "B"
    for kind, bad in [("bool", "maybe"), ("bool", 1), ("choice:ABCD", "E"), ("choice:ABCD", "AB")]:
        with pytest.raises(InvalidAnswer):
            normalise(kind, bad)
    with pytest.raises(ValueError, match="unknown answer kind"):
        normalise("essay", "x")


def test_the_visible_check_says_valid_never_right(capsys):
    check_answer("q1", "label", "Relational trauma")
    out = capsys.readouterr().out
    assert "'relational' is a valid answer" in out and "does not say whether it is right" in out
    with pytest.raises(InvalidAnswer, match="^q1: "):
        check_answer("q1", "label", "")


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
