"""The supervisor's commands: regrade after a key correction or a late submission (hand grading kept
resolved, every changed score shown), feedback refused while answers wait for a person, an export whose
zeros are explained, a demo cohort that never touches real trainees, list problems, and the trainee pack
that carries no key."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from nbgrader.api import Gradebook
from test_nbgrader_pipeline import secrets

from conftest import SCRIPTS, make_course, tool_env
from nbgrader_helpers import KEYS, answered, key, nbgrader, right, submit, wrong
from trauma_curriculum.supervisor.demo_answers import WRITTEN
from trauma_curriculum.supervisor.demo_cohort import MARKER, demo_name

A1 = "a1-foundations"
DUE = "2026-06-01 00:00:00 UTC"
LATE = "2026-06-03 10:00:00.000000 UTC"  # 58 hours, 3,480 minutes, after DUE


def cli(course: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPTS / "trauma-curriculum"), *args], cwd=course, capture_output=True, text=True,
                          env=tool_env(TRAUMA_CURRICULUM_CELL_TIMEOUT="10"), timeout=900)  # fmt: skip


def scores(course: Path, assignment: str) -> dict[tuple[str, str], tuple]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            (grade.student.id, grade.name): (grade.auto_score, grade.manual_score)
            for submission in gradebook.assignment_submissions(assignment)
            for notebook in submission.notebooks
            for grade in notebook.grades
        }


@pytest.mark.grading
def test_regrade_after_a_key_correction_and_a_late_submission_changes_nothing_else(tmp_path):
    course = make_course(tmp_path / "course")
    the_key = key(A1, course / "answer-keys")
    items = the_key.questions
    release = course / "release" / A1 / f"{A1}.ipynb"
    assert nbgrader(course, "generate_assignment", A1, "--force").returncode == 0
    submit(course, "ama", A1, answered(release, {q: right(the_key, q) for q in items}, "An answer."))
    submit(course, "ben", A1, answered(release, {q: wrong(the_key, q) for q in items}, "Another answer."))
    assert nbgrader(course, "autograde", A1).returncode == 0
    hand_grade(course, A1, {"ama": 2, "ben": 1})
    before = scores(course, A1)

    # the key of tf1 was wrong: correct it, and regrade everyone with one command
    path = course / "answer-keys" / f"{A1}.yaml"
    data = yaml.safe_load(path.read_text())
    data["questions"]["tf1"]["answer"] = not data["questions"]["tf1"]["answer"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = cli(course, "regrade", A1)
    assert result.returncode == 0, result.stdout + result.stderr
    after = scores(course, A1)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {("ama", "tf1-check"), ("ben", "tf1-check")}
    assert after[("ama", "tf1-check")] == (0.0, None) and after[("ben", "tf1-check")] == (1.0, None)
    assert after[("ama", "w1-answer")][1] == 2  # the hand-graded score survives
    assert "2 scores changed (before -> after):" in result.stdout  # each change, before and after
    assert re.search(r"^  ama +tf1-check +1 -> 0$", result.stdout, re.M)
    assert re.search(r"^  ben +tf1-check +0 -> 1$", result.stdout, re.M)
    assert unresolved(course, A1) == set()  # hand-graded answers stay resolved in formgrader

    # a late submission: regrade only that trainee
    submit(course, "cy", A1, answered(release, {q: right(the_key, q) for q in items}, "Late answer."))
    result = cli(course, "regrade", A1, "--trainee", "cy")
    assert result.returncode == 0, result.stdout + result.stderr
    later = scores(course, A1)
    assert {k: v for k, v in later.items() if k[0] != "cy"} == after
    assert {k for k in later if k[0] == "cy"}
    assert "changed (before -> after)" not in result.stdout  # a first grading changes no earlier score

    # ama resubmits a different written answer: her hand score stays, but formgrader asks for a second look
    submit(course, "ama", A1, answered(release, {q: right(the_key, q) for q in items}, "A rewritten answer."))
    result = cli(course, "regrade", A1, "--trainee", "ama")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^  ama +w1-answer +the answer is not the one that was graded", result.stdout, re.M)
    assert unresolved(course, A1) == {("ama", "w1-answer"), ("cy", "w1-answer")}
    assert scores(course, A1)[("ama", "w1-answer")][1] == 2


def hand_grade(course: Path, assignment: str, marks: dict[str, float], grade_id: str = "w1-answer") -> None:
    """What formgrader does when a supervisor enters a score: record it and mark the cell resolved."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for trainee, points in marks.items():
            grade = gradebook.find_grade(grade_id, assignment, assignment, trainee)
            grade.manual_score, grade.needs_manual_grade = points, False
        gradebook.db.commit()


def unresolved(course: Path, assignment: str) -> set[tuple[str, str]]:
    """(trainee, grade_id) of the cells formgrader shows as needing manual grading."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {(submission.student.id, grade.name)
                for submission in gradebook.assignment_submissions(assignment)
                for notebook in submission.notebooks for grade in notebook.grades if grade.needs_manual_grade}  # fmt: skip


@pytest.mark.grading
def test_feedback_waits_for_hand_grading_and_the_export_explains_every_zero(tmp_path):
    course = make_course(tmp_path / "course")
    the_key = key(A1, course / "answer-keys")
    release = course / "release" / A1 / f"{A1}.ipynb"
    assert nbgrader(course, "generate_assignment", A1, "--force").returncode == 0
    assert nbgrader(course, "db", "assignment", "add", A1, f"--duedate={DUE}").returncode == 0
    correct = {q: right(the_key, q) for q in the_key.questions}
    auto = f"{sum(item.points for item in the_key.questions.values()):g}"  # what ama's right answers earn
    total = f"{float(auto) + the_key.written['w1-answer'].points:g}"
    submit(course, "ama", A1, answered(release, correct, "Relational, on what is known so far."))
    submit(course, "ben", A1, answered(release, {q: wrong(the_key, q) for q in correct}, "Attachment."))
    submit(course, "cy", A1, answered(release, correct, "Relational; who raised him is unknown."))
    submit(course, "cy", A1, LATE, filename="timestamp.txt")
    submit(course, "dee", A1, '{"cells": [ {"cell_type": "code", "sourc')
    submit(course, "eve", A1, answered(release, {}))  # blank: handed in as released
    submit(course, "fay", A1, "the notebook was left behind", filename="note.txt")
    result = cli(course, "autograde", A1)
    assert result.returncode == 0, result.stdout + result.stderr

    # three written answers wait for a supervisor: feedback is refused, naming who and what
    result = cli(course, "feedback", A1)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{A1}: 3 answers of 3 trainees not graded yet:" in result.stderr
    for trainee in ("ama", "ben", "cy"):
        assert f"  {trainee}: w1-answer" in result.stderr
    assert "dee" not in result.stderr and "eve" not in result.stderr  # corrupt: no page; blank: a fair 0
    assert not (course / "feedback").exists()

    rows = export(course)
    assert {t: (r["status"], r["score"], r["problems"], r["ungraded"]) for t, r in rows.items()} == {
        "ama": ("not yet graded", auto, "", "1"), "ben": ("not yet graded", "0", "", "1"),
        "cy": ("not yet graded", auto, "late", "1"), "dee": ("corrupt notebook", "0", "corrupt_notebook", "0"),
        "eve": ("blank", "0", "blank", "0"), "fay": ("missing notebook", "", "extra_file; missing_notebook", "0"),
    }  # fmt: skip
    assert rows["ama"]["ungraded_cells"] == "w1-answer" and rows["ama"]["max_score"] == total
    assert (rows["cy"]["due"], rows["cy"]["submitted"], rows["cy"]["minutes_late"]) == (
        "2026-06-01 00:00 UTC", "2026-06-03 10:00 UTC", "3480")
    assert rows["ama"]["minutes_late"] == "0" and rows["fay"]["minutes_late"] == ""

    # with --allow-ungraded: a warning, and the pages say "not yet graded" instead of a 0
    result = cli(course, "feedback", A1, "--allow-ungraded")
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'warning: writing feedback anyway (--allow-ungraded)' in result.stderr
    page = feedback_page(course, "ama")
    assert "Not yet graded." in page and "out of 3 points" in page and "Grading is not finished." in page
    assert 'href="#w1-answer">Written response' not in page  # no "Score: 0.0 / 3.0" for it
    assert f"(Score: {auto}.0 / {auto}.0)" in page  # the total counts only what is graded so far
    assert "Not yet graded" not in feedback_page(course, "eve")

    # once every answer is graded, feedback needs no flag and shows the scores
    hand_grade(course, A1, {"ama": 2, "ben": 0, "cy": 3})
    result = cli(course, "feedback", A1)
    assert result.returncode == 0, result.stdout + result.stderr
    page = feedback_page(course, "ama")
    assert "Not yet graded" not in page and 'href="#w1-answer">Written response</a> (Score: 2.0 / 3.0)' in page
    assert {t: r["status"] for t, r in export(course).items() if t in ("ama", "ben", "cy")} == dict.fromkeys(
        ("ama", "ben", "cy"), "graded")


def export(course: Path) -> dict[str, dict[str, str]]:
    result = cli(course, "export")
    assert result.returncode == 0, result.stdout + result.stderr
    with (course / "grades.csv").open(newline="", encoding="utf-8") as handle:
        return {row["trainee"]: row for row in csv.DictReader(handle) if row["assignment"] == A1}


def feedback_page(course: Path, trainee: str) -> str:
    return (course / "feedback" / trainee / A1 / f"{A1}.html").read_text(encoding="utf-8")


@pytest.mark.grading
def test_the_demo_cohort_never_touches_real_trainees(tmp_path):
    course = make_course(tmp_path / "course")
    assert nbgrader(course, "generate_assignment", A1, "--force").returncode == 0
    real = [course / folder / "trainee-jsmith" / A1 for folder in ("submitted", "autograded", "feedback")]
    for folder in real:
        folder.mkdir(parents=True)
        (folder / "work.txt").write_text("a real trainee's work")
    for args in (("--trainees", "2"), ("--trainees", "2", "--force")):
        result = cli(course, "demo-cohort", *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "trainees who are not the demo's (trainee-jsmith)" in result.stderr and "nothing was changed" in result.stderr
        assert all((folder / "work.txt").is_file() for folder in real)
        assert sorted(p.name for p in (course / "submitted").iterdir()) == ["trainee-jsmith"]
    for folder in ("submitted", "autograded", "feedback"):  # the real cohort moves to its own course
        shutil.rmtree(course / folder)

    result = cli(course, "demo-cohort", "--trainees", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Every assignment is due 2026-06-01 00:00 UTC" in result.stdout
    ids = ["trainee01", "trainee02", "trainee03"]
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ids
    assert all((course / "submitted" / t / MARKER).is_file() for t in ids)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert {s.id: (s.first_name, s.last_name) for s in gradebook.students} == {t: demo_name(t) for t in ids}
        assert gradebook.find_assignment(A1).duedate.strftime("%Y-%m-%d %H:%M") == "2026-06-01 00:00"

    result = cli(course, "demo-cohort", "--trainees", "2")
    assert result.returncode == 1 and "a demo cohort is already here" in result.stderr and "--force" in result.stderr
    result = cli(course, "demo-cohort", "--trainees", "2", "--force")
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ids[:2]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert sorted(s.id for s in gradebook.students) == ids[:2]


def test_the_demo_written_answers_differ_as_real_ones_do():
    for assignment, cells in WRITTEN.items():
        prompts = answered(KEYS.parent / "release" / assignment / f"{assignment}.ipynb", {})
        written = {c.metadata["nbgrader"]["grade_id"] for c in prompts.cells
                   if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")}  # fmt: skip
        assert set(cells) == written, assignment  # an answer for every written question, and no other
        for grade_id, answers in cells.items():
            lengths = {quality: len(text.split()) for quality, text in answers.items()}
            assert set(lengths) == {"strong", "good", "partial", "off_topic"}, grade_id
            assert lengths["strong"] >= 120 and lengths["strong"] > lengths["good"] > lengths["off_topic"], (
                assignment, grade_id, lengths)


def test_problems_command_explains_instead_of_a_traceback(tmp_path):
    course = make_course(tmp_path / "course")
    result = cli(course, "problems", A1)
    assert (
        result.returncode == 1 and "No submissions yet" in result.stdout and "Traceback" not in result.stderr
    )
    (course / "submitted").mkdir()
    result = cli(course, "problems", "a9-nonexistent")
    assert result.returncode == 1 and "no release/a9-nonexistent/" in result.stderr
    result = cli(tmp_path, "problems", A1)
    assert result.returncode != 0 and "no nbgrader_config.py" in result.stderr


def test_the_trainee_pack_holds_no_key_rubric_or_solution(pack):
    with zipfile.ZipFile(pack) as archive:
        names = archive.namelist()
        texts = {name: archive.read(name).decode("utf-8", errors="replace") for name in names}
    assert all(name.startswith("trainee-workspace/") for name in names)
    top = {name.split("/")[1] for name in names}
    assert top >= {"notebooks", "exercises", "release", "trauma_curriculum", "README.md", "pyproject.toml"}
    assert not top & {
        "source",
        "answer-keys",
        "tests",
        "benchmarks",
        "gradebook.db",
        "submitted",
        "autograded",
    }
    everything = "\n".join(texts.values())
    package = {name.split("/")[2] for name in names if name.startswith("trainee-workspace/trauma_curriculum/")}
    assert package == {"__init__.py", "notebook.py", "answers.py", "cli.py", "core", "teaching"}  # no supervisor code
    assert "trainee-workspace/trauma_curriculum/core/data/selfcheck-03.yaml" in names
    assert "BEGIN SOLUTION" not in everything and "BEGIN HIDDEN TESTS" not in everything
    for assignment in sorted(p.name for p in (KEYS.parent / "source").iterdir()):
        for secret in secrets(assignment):
            assert secret not in " ".join(everything.split()), secret
    assessment_ids = {p.stem for p in (KEYS / "assessment-vignettes").glob("a*.yaml")}
    assert not [n for n in names if Path(n).stem in assessment_ids and n.endswith(".yaml")]
