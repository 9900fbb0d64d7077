"""The graded side, end to end: release in sync, validation, and a grading round trip over a cohort."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.validator import Validator

from conftest import ROOT, make_course
from nbgrader_helpers import answered, cell, nbgrader, submit

ASSIGNMENTS = sorted(path.name for path in (ROOT / "source").iterdir() if path.is_dir())
SOURCE_NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb"))
RELEASE_NOTEBOOKS = sorted((ROOT / "release").glob("*/*.ipynb"))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.release
def test_release_is_regenerated_byte_for_byte(tmp_path):
    course = make_course(tmp_path / "course")
    for assignment in ASSIGNMENTS:
        result = nbgrader(course, "generate_assignment", assignment, "--force")
        assert result.returncode == 0, result.stderr
    comparison = filecmp.dircmp(course / "release", ROOT / "release", ignore=[".ipynb_checkpoints"])

    def differences(cmp):
        found = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
        for sub in cmp.subdirs.values():
            found += differences(sub)
        return found

    assert differences(comparison) == [], "release/ is stale: run `make release` and commit it"
    for left in (course / "release").rglob("*.ipynb"):
        right = ROOT / "release" / left.relative_to(course / "release")
        assert left.read_bytes() == right.read_bytes(), relative(right)


@pytest.mark.validation
@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=relative)
def test_source_notebooks_pass_their_own_tests(path):
    assert Validator().validate(str(path)) == {}


@pytest.mark.validation
@pytest.mark.parametrize("path", RELEASE_NOTEBOOKS, ids=relative)
def test_release_notebooks_fail_their_tests_until_answered(path):
    results = Validator(invert=True).validate(str(path))
    assert results == {}, f"a test passes on the blank release notebook: {results}"


@pytest.mark.validation
def test_validation_notices_a_broken_release_notebook(tmp_path):
    """A release notebook whose answer is already filled in passes a test, and validation says so."""
    broken = answered(RELEASE_NOTEBOOKS[0], {"q1-answer": 'q1 = "relational"'})
    path = tmp_path / "broken.ipynb"
    nbformat.write(broken, path)
    assert "passed" in Validator(invert=True).validate(str(path))


A0 = "a0-orientation"
CORRECT = {"q1-answer": 'q1 = ("relational")', "q2-answer": 'q2 = ("False")'}
WRITTEN = "The same symptoms can follow either wound, so only who and when can tell them apart."


def a0_cohort(course: Path) -> dict[str, dict]:
    """Synthetic submissions, each with the points it must get per graded cell (None: no grade)."""
    release = course / "release" / A0 / f"{A0}.ipynb"
    tampered = answered(release, {"q1-answer": 'q1 = "attachment"', "q2-answer": 'q2 = "true"'})
    cell(tampered, "q1-check").source = "1.0"
    cell(tampered, "q2-check").source = "1.0"
    cell(tampered, "setup").source = "check_answer = print"
    deleted = answered(release, CORRECT)
    deleted.cells.remove(cell(deleted, "q1-check"))
    cohort = {
        "correct": (answered(release, CORRECT, WRITTEN), {"q1-check": 1, "q2-check": 1}),
        "synonyms": (
            answered(release, {"q1-answer": 'q1 = " Relational Trauma "', "q2-answer": "q2 = False"}),
            {"q1-check": 1, "q2-check": 1},
        ),  # fmt: skip
        "wrong": (
            answered(release, {"q1-answer": 'q1 = "attachment"', "q2-answer": 'q2 = "True"'}),
            {"q1-check": 0, "q2-check": 0},
        ),  # fmt: skip
        "blank": (nbformat.read(release, as_version=4), {"q1-check": 0, "q2-check": 0}),
        "corrupt": ('{"cells": [ this is not json', {"q1-check": 0, "q2-check": 0}),
        "tampered": (tampered, {"q1-check": 0, "q2-check": 0}),
        "deleted": (deleted, {"q1-check": None, "q2-check": 1}),
        "loop": (
            answered(release, {"q1-answer": "while True:\n    pass", "q2-answer": 'q2 = "false"'}),
            {"q1-check": 0, "q2-check": 1},
        ),  # fmt: skip
        "wrongtype": (
            answered(release, {"q1-answer": "q1 = 42", "q2-answer": 'q2 = "no"'}),
            {"q1-check": 0, "q2-check": 1},
        ),  # fmt: skip
    }
    for student, (notebook, _) in cohort.items():
        submit(course, student, A0, notebook)
    return {student: expected for student, (_, expected) in cohort.items()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One batch: release, submit a cohort, autograde all of it, generate feedback."""
    course = make_course(tmp_path_factory.mktemp("grading") / "course")
    generated = nbgrader(course, "generate_assignment", A0, "--force")
    assert generated.returncode == 0, generated.stderr
    expected = a0_cohort(course)
    autograde = nbgrader(course, "autograde", A0, "--force")
    feedback = nbgrader(course, "generate_feedback", A0, "--force")
    return course, expected, autograde, feedback


@pytest.mark.grading
def test_the_batch_completes_whatever_one_submission_does(graded):
    course, expected, autograde, _ = graded
    assert autograde.returncode == 1  # the corrupt notebook is reported at the end, not mid-batch
    for student in expected:
        assert (course / "autograded" / student / A0).is_dir() or student == "corrupt", student


@pytest.mark.grading
def test_every_score_is_as_expected_in_the_gradebook(graded):
    course, expected, _, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, cells in expected.items():
            submission = gradebook.find_submission(A0, student)  # every trainee has a record
            for grade_id, points in cells.items():
                try:
                    grade = gradebook.find_grade(grade_id, A0, A0, student)
                except MissingEntry:
                    grade = None
                score = None if grade is None or grade.auto_score is None else grade.auto_score
                if student == "corrupt":
                    assert score in (None, 0), (student, grade_id, score)
                else:
                    assert score == points, (student, grade_id, score)
            assert submission.score == sum(p or 0 for p in cells.values()), student


@pytest.mark.grading
def test_the_written_answer_waits_for_a_supervisor(graded):
    course, _, _, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade("q3-answer", A0, A0, "correct")
        assert grade.needs_manual_grade and grade.max_score == 2


@pytest.mark.grading
def test_feedback_is_generated_and_shows_no_hidden_check(graded):
    course, _, _, feedback = graded
    pages = {path.parts[-3]: path.read_text() for path in (course / "feedback").glob(f"*/{A0}/*.html")}
    assert {"correct", "wrong", "blank"} <= set(pages)
    for student, page in pages.items():
        assert "HIDDEN TESTS" not in page and "trauma_curriculum.grading" not in page, student
        assert "score(" not in page, student


@pytest.mark.grading
def test_graders_see_the_rubric_and_trainees_never_do(graded):
    course, _, _, _ = graded
    autograded = nbformat.read(course / "autograded" / "correct" / A0 / f"{A0}.ipynb", as_version=4)
    index = next(
        i
        for i, c in enumerate(autograded.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == "q3-answer"
    )
    rubric = autograded.cells[index + 1]
    assert rubric.cell_type == "markdown" and "Rubric for `q3-answer`" in rubric.source
    assert "Model answer" in rubric.source
    for page in (course / "feedback").glob(f"*/{A0}/*.html"):
        text = page.read_text()
        assert "Rubric for" not in text and "Model answer" not in text
    assert "Rubric" not in (ROOT / "release" / A0 / f"{A0}.ipynb").read_text()


@pytest.mark.grading
def test_a_wrong_source_solution_would_turn_the_round_trip_red(tmp_path):
    """Guard against a test that cannot fail: a key that disagrees with the source costs the points."""
    course = make_course(tmp_path / "course")
    key = course / "answer-keys" / f"{A0}.yaml"
    key.write_text(key.read_text().replace("answer: relational", "answer: attachment"))
    assert nbgrader(course, "generate_assignment", A0, "--force").returncode == 0
    release = course / "release" / A0 / f"{A0}.ipynb"
    submit(course, "correct", A0, answered(release, CORRECT, WRITTEN))
    assert nbgrader(course, "autograde", A0, "--force").returncode == 0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_grade("q1-check", A0, A0, "correct").auto_score == 0


def test_the_committed_course_has_no_trainee_data():
    ignored = (ROOT / ".gitignore").read_text().split()
    for folder in ("submitted/", "autograded/", "feedback/", "gradebook.db", ".venv/"):
        assert folder in ignored
    assert shutil.which("git") is not None
