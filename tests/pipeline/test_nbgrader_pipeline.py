"""The graded side, end to end: release in sync, validation, and a grading round trip over a cohort of
synthetic trainees for every assignment, scored through nbgrader's Gradebook API."""

from __future__ import annotations

import filecmp
import html
import re
import subprocess
from collections import Counter
from pathlib import Path

import nbformat
import pytest
import yaml
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.validator import Validator

from conftest import ROOT, make_course
from nbgrader_helpers import KEYS, answered, cell, half, key, nbgrader, right, submit, wrong
from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.supervisor.problems import find_problems

ASSIGNMENTS = sorted(path.name for path in (ROOT / "source").iterdir() if path.is_dir())
SOURCE_NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb"))
RELEASE_NOTEBOOKS = sorted((ROOT / "release").glob("*/*.ipynb"))
WRITTEN = "The same symptoms can follow either wound, so only who and when can tell them apart."
DUE = "2026-06-01 00:00:00 UTC"


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_every_assignment_has_a_key_and_the_sorting_assessment_two_parallel_forms():
    assert ASSIGNMENTS == ["a1-foundations", "a2-vignette-sorting", "a2b-vignette-sorting", "a3-case-formulation"]
    for assignment in ASSIGNMENTS:
        assert key(assignment).questions, assignment
    forms = {name: key(name) for name in ("a2-vignette-sorting", "a2b-vignette-sorting")}
    vignettes = {name: [v for v in form.vignettes.values()] for name, form in forms.items()}
    first, second = vignettes.values()
    assert not {v.id for v in first} & {v.id for v in second}, "a vignette is in both forms"
    for form in (first, second):
        assert len(form) >= 20
        assert Counter(v.label for v in form) == dict.fromkeys(LABELS, len(form) // len(LABELS))
    mean = lambda form: sum(v.difficulty for v in form) / len(form)  # noqa: E731
    assert abs(mean(first) - mean(second)) <= 0.25, "the forms are not matched in difficulty"
    assert {forms["a2-vignette-sorting"].data.form, forms["a2b-vignette-sorting"].data.form} == {"A", "B"}


@pytest.mark.release
def test_release_is_regenerated_byte_for_byte(tmp_path):
    course = make_course(tmp_path / "course")
    for assignment in ASSIGNMENTS:
        result = nbgrader(course, "generate_assignment", assignment, "--force")
        assert result.returncode == 0, result.stderr

    def differences(cmp):
        found = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
        for sub in cmp.subdirs.values():
            found += differences(sub)
        return found

    comparison = filecmp.dircmp(course / "release", ROOT / "release", ignore=[".ipynb_checkpoints"])
    assert differences(comparison) == [], "release/ is stale: run `make release` and commit it"
    for left in (course / "release").rglob("*.ipynb"):
        right_file = ROOT / "release" / left.relative_to(course / "release")
        assert left.read_bytes() == right_file.read_bytes(), relative(right_file)


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
    """A release notebook whose first answer is already filled in passes a check, and validation says so."""
    assignment = RELEASE_NOTEBOOKS[0].parent.name
    first = next(iter(key(assignment).questions))
    broken = answered(RELEASE_NOTEBOOKS[0], {first: right(key(assignment), first)})
    path = tmp_path / "broken.ipynb"
    nbformat.write(broken, path)
    assert "passed" in Validator(invert=True).validate(str(path))


#: How a clinician types a right answer in plain words (the grader must read all of them as meant).
PLAIN = {"attachment": "Attachment trauma", "relational": "relational trauma", "both": "Both",
         "not_relational": "not relational", "insufficient_information": "insufficient info",
         True: "Yes", False: "false."}  # fmt: skip
CONFIDENCES = ("80%", "80", "", "lots", "100 %")

#: Answer cells an attacker writes instead of an answer (each replaces the first item's answer cell).
READS_KEY = "print(open('../../../answer-keys/{assignment}.yaml').read())"
VANDAL = """import os, socket, sqlite3, subprocess
for attempt in (
    lambda: open('../../../answer-keys/planted.txt', 'w').write('x'),
    lambda: os.remove('../../../nbgrader_config.py'),
    lambda: sqlite3.connect('../../../gradebook.db').execute('update grade set auto_score = -80').connection.commit(),
    lambda: socket.create_connection(('127.0.0.1', 22), timeout=2),
    lambda: open('../../correct/{assignment}/{assignment}.ipynb').read(),
):
    try:
        attempt()
        print('ATTACK SUCCEEDED')
    except Exception as error:
        print('denied:', type(error).__name__)
subprocess.Popen(['sleep', '45'])"""
BIG_OUTPUT = "print('x' * 20_000_000)"


def cohort(course: Path, assignment: str) -> dict[str, dict[str, float | None]]:
    """Write every kind of submission; return the points each must get per check cell (None: no grade)."""
    release = course / "release" / assignment / f"{assignment}.ipynb"
    the_key = key(assignment)
    items = the_key.questions
    first = next(iter(items))
    full = {q: float(item.points) for q, item in items.items()}
    nothing = dict.fromkeys(items, 0.0)
    correct = {q: right(the_key, q) for q in items}
    wrongs = {q: wrong(the_key, q) for q in items}
    plain = {q: (PLAIN.get(the_key.answer(q)) or f"({str(the_key.answer(q)).lower()})") if i % 3 else f'"{correct[q]}"'
             for i, q in enumerate(items)}  # fmt: skip
    rated = {q: CONFIDENCES[i % len(CONFIDENCES)] for i, q in enumerate(the_key.vignettes)}

    tampered = answered(release, wrongs)
    for q in items:
        cell(tampered, f"{q}-check").source = "1.0"
    cell(tampered, "setup").source = "check = print"
    deleted = answered(release, correct, WRITTEN)
    deleted.cells.remove(cell(deleted, f"{first}-check"))
    halves = {q: half(the_key, q) or wrongs[q] for q in items}
    half_points = {q: float(item.points) * (0.5 if half(the_key, q) else 0.0) for q, item in items.items()}
    first_lost = {**full, first: 0.0}

    expected = {
        "correct": (answered(release, correct, WRITTEN), full),
        "plainwords": (answered(release, plain, WRITTEN, confidence=rated), full),
        "wrong": (answered(release, wrongs), nothing),
        "partial": (answered(release, halves), half_points),
        "blank": (nbformat.read(release, as_version=4), nothing),
        "corrupt": ('{"cells": [ this is not json', nothing),
        "tampered": (tampered, nothing),
        "deleted": (deleted, {**full, first: None}),
        "loop": (answered(release, correct, raw={first: "while True:\n    pass"}), first_lost),
        "wrongtype": (answered(release, {**correct, first: "42"}), first_lost),
        "readskey": (answered(release, correct, raw={first: READS_KEY.format(assignment=assignment)}), first_lost),
        "vandal": (answered(release, correct, raw={first: VANDAL.format(assignment=assignment)}), first_lost),
        "bigoutput": (answered(release, correct, raw={first: BIG_OUTPUT}), first_lost),
        "extra": (answered(release, correct, WRITTEN), full),
        "late": (answered(release, correct, WRITTEN), full),
        "missing": (None, None),
    }
    for student, (notebook, _) in expected.items():
        submit(course, student, assignment, notebook)
    submit(course, "extra", assignment, "my notes", filename="notes.txt")
    submit(course, "missing", assignment, "the notebook was left behind", filename="readme.txt")
    submit(course, "late", assignment, "2026-06-03 10:00:00.000000 UTC", filename="timestamp.txt")
    return {student: points for student, (_, points) in expected.items()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One course; for each assignment: release, submit a cohort, autograde it in one batch, feedback."""
    course = make_course(tmp_path_factory.mktemp("grading") / "course")
    runs = {}
    for assignment in ASSIGNMENTS:
        assert nbgrader(course, "generate_assignment", assignment, "--force").returncode == 0
        assert nbgrader(course, "db", "assignment", "add", assignment, f"--duedate={DUE}").returncode == 0
        expected = cohort(course, assignment)
        autograde = nbgrader(course, "autograde", assignment, "--force")
        feedback = nbgrader(course, "generate_feedback", assignment, "--force")
        runs[assignment] = (expected, autograde, feedback)
    return course, runs


@pytest.mark.grading
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_batch_completes_whatever_one_submission_does(graded, assignment):
    course, runs = graded
    expected, autograde, _ = runs[assignment]
    assert autograde.returncode == 1  # the broken submissions are reported at the end, not mid-batch
    graded_students = {p.parent.parent.name for p in (course / "autograded").glob(f"*/{assignment}/*.ipynb")}
    assert graded_students == set(expected) - {"corrupt", "missing"}
    assert (course / "nbgrader_config.py").is_file() and not (course / "answer-keys" / "planted.txt").exists()


@pytest.mark.grading
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_score_is_as_expected_in_the_gradebook(graded, assignment):
    course, runs = graded
    expected, _, _ = runs[assignment]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, cells in expected.items():
            if cells is None:  # no notebook at all: nbgrader keeps no record; `problems` reports it
                with pytest.raises(MissingEntry):
                    gradebook.find_submission(assignment, student)
                continue
            submission = gradebook.find_submission(assignment, student)
            for question, points in cells.items():
                try:
                    score = gradebook.find_grade(
                        f"{question}-check", assignment, assignment, student
                    ).auto_score
                except MissingEntry:
                    score = None
                if student == "corrupt":
                    assert score in (None, 0), (student, question, score)
                else:
                    assert score == points, (assignment, student, question, score, points)
            assert submission.score == pytest.approx(sum(p or 0 for p in cells.values())), student


@pytest.mark.grading
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_written_answers_wait_for_a_supervisor_who_sees_the_rubric(graded, assignment):
    course, _ = graded
    written = yaml.safe_load((KEYS / f"{assignment}.yaml").read_text())["written"]
    autograded = nbformat.read(
        course / "autograded" / "correct" / assignment / f"{assignment}.ipynb", as_version=4
    )
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for grade_id, item in written.items():
            grade = gradebook.find_grade(grade_id, assignment, assignment, "correct")
            assert grade.needs_manual_grade and grade.max_score == item["points"]
            index = autograded.cells.index(cell(autograded, grade_id))
            rubric = autograded.cells[index + 1].source
            assert f"Rubric for `{grade_id}`" in rubric and html.escape(str(item["rubric"][0]["criteria"]))[:40] in rubric


def secrets(assignment: str) -> list[str]:
    """Text that must never reach a trainee: rubric criteria, model answers, graders' notes, and for
    sorted vignettes their rationales."""
    data = yaml.safe_load((KEYS / f"{assignment}.yaml").read_text())
    found = [item.get("why", "") for item in data["questions"].values()]
    for item in data.get("written", {}).values():
        found += [item["model_answer"], *(band["criteria"] for band in item["rubric"])]
    for item in data["questions"].values():
        if "vignette" in item:
            vignette = yaml.safe_load(
                (KEYS / "assessment-vignettes" / f"{item['vignette']}.yaml").read_text()
            )
            found.append(vignette["rationale"])
    return [" ".join(text.split())[:60] for text in found if text]


@pytest.mark.grading
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_shows_no_key_rubric_or_hidden_check(graded, assignment):
    course, _ = graded
    pages = {
        path.parts[-3]: path.read_text() for path in (course / "feedback").glob(f"*/{assignment}/*.html")
    }
    assert {"correct", "plainwords", "wrong", "partial", "tampered", "loop", "wrongtype", "readskey", "vandal",
            "bigoutput"} <= set(pages)  # fmt: skip
    for student, page in pages.items():
        assert len(page) < 2_000_000, (student, len(page))
        text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
        assert "questions:" not in text and f"assignment: {assignment}" not in text, student  # no key file
        assert "HIDDEN TESTS" not in page and "trauma_curriculum.grading" not in page, student
        assert "score(" not in text and "Rubric for" not in text, student
        for secret in secrets(assignment):
            assert secret not in text, (student, secret)


@pytest.mark.grading
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hostile_code_reads_and_changes_nothing_outside_its_own_copy(graded, assignment):
    course, _ = graded
    def printed(student: str) -> str:
        """Everything the submission's cells printed in autograde (not their source)."""
        notebook = nbformat.read(course / "autograded" / student / assignment / f"{assignment}.ipynb", as_version=4)
        return "\n".join(str(o.get("text", "")) + str(o.get("evalue", "")) for c in notebook.cells
                         for o in c.get("outputs", []))  # fmt: skip

    assert "questions:" not in printed("readskey")
    assert "ATTACK SUCCEEDED" not in printed("vandal") and printed("vandal").count("denied:") == 5
    size = (course / "autograded" / "bigoutput" / assignment / f"{assignment}.ipynb").stat().st_size
    assert size < 1_000_000 and "[output cut here" in printed("bigoutput")
    assert not (course / "answer-keys" / "planted.txt").exists() and (course / "nbgrader_config.py").is_file()
    leftover = subprocess.run(["pgrep", "-f", "sleep 45"], capture_output=True, text=True).stdout.split()
    assert leftover == [], "a process a submission started outlived its autograde"


@pytest.mark.grading
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_problems_tell_broken_from_blank(graded, assignment):
    course, _ = graded
    found = {
        (p.trainee, p.kind) for p in find_problems(course, assignment, f"sqlite:///{course / 'gradebook.db'}")
    }
    for student, kind in [
        ("blank", "blank"),
        ("corrupt", "corrupt_notebook"),
        ("tampered", "tampered_cell"),
        ("deleted", "deleted_check"),
        ("loop", "timed_out"),
        ("wrongtype", "invalid_answer"),
        ("bigoutput", "output_cut"),
        ("extra", "extra_file"),
        ("late", "late"),
        ("missing", "missing_notebook"),
    ]:
        assert (student, kind) in found, (student, kind)
    assert not [kind for trainee, kind in found if trainee in ("correct", "plainwords")]
    assert ("blank", "invalid_answer") not in found  # blank is said once, not as a list of empty answers


@pytest.mark.validation
@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=relative)
def test_source_solutions_earn_full_points_from_the_key(path, monkeypatch):
    """The Validator only sees errors, and a wrong answer scores 0 without one: so score the instructor
    version as autograde does (outside any kernel) and check every check cell earns its full points."""
    from trauma_curriculum.supervisor.preprocessors import ScoreAnswers

    monkeypatch.chdir(ROOT)
    notebook, _ = ScoreAnswers().preprocess(nbformat.read(path, as_version=4), {"nbgrader": {"assignment": path.parent.name}})
    checks = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    assert checks
    for check in checks:
        results = [o for o in check.outputs if o.output_type == "execute_result"]
        points = check.metadata["nbgrader"]["points"]
        assert results and float(results[-1]["data"]["text/plain"]) == points, check.metadata["nbgrader"]["grade_id"]
