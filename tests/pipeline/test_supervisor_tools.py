"""The supervisor's commands: regrade after a key correction or a late submission, list problems, and the
trainee pack that carries no key."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from nbgrader.api import Gradebook
from test_nbgrader_pipeline import secrets

from conftest import SCRIPTS, make_course, tool_env
from nbgrader_helpers import KEYS, answered, key, nbgrader, right, submit, wrong

A1 = "a1-foundations"


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
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:  # a supervisor grades by hand
        grade = gradebook.find_grade("w1-answer", A1, A1, "ama")
        grade.manual_score = 2
        gradebook.db.commit()
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

    # a late submission: regrade only that trainee
    submit(course, "cy", A1, answered(release, {q: right(the_key, q) for q in items}, "Late answer."))
    result = cli(course, "regrade", A1, "--trainee", "cy")
    assert result.returncode == 0, result.stdout + result.stderr
    later = scores(course, A1)
    assert {k: v for k, v in later.items() if k[0] != "cy"} == after
    assert {k for k in later if k[0] == "cy"}


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
