"""`trauma-curriculum autograde` grades a cohort in parallel worker processes, with every grade of every
cell identical to stock sequential `nbgrader autograde`, and refuses to start, touching nothing, when
the key, the gradebook or the sandbox would make the run fail or score everyone wrongly."""

from __future__ import annotations

import subprocess

import pytest
import yaml
from nbgrader.api import Gradebook
from test_nbgrader_pipeline import cohort

from conftest import SCRIPTS, make_course, tool_env
from nbgrader_helpers import nbgrader

A1 = "a1-foundations"


def cli(course, *args):
    return subprocess.run([str(SCRIPTS / "trauma-curriculum"), *args], cwd=course, capture_output=True, text=True,
                          env=tool_env(TRAUMA_CURRICULUM_CELL_TIMEOUT="5"), timeout=900)  # fmt: skip


def grades(course) -> dict:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {(g.student.id, g.name): (g.auto_score, g.needs_manual_grade)
                for s in gradebook.assignment_submissions(A1) for nb in s.notebooks for g in nb.grades}  # fmt: skip


@pytest.fixture(scope="module")
def two_courses(tmp_path_factory):
    courses = []
    for name in ("stock", "parallel"):
        course = make_course(tmp_path_factory.mktemp(name) / "course")
        assert nbgrader(course, "generate_assignment", A1, "--force").returncode == 0
        cohort(course, A1)
        courses.append(course)
    stock, parallel = courses
    nbgrader(stock, "autograde", A1, "--force", timeout_s=5)
    result = cli(parallel, "autograde", A1, "--jobs", "2")
    return stock, parallel, result


def test_parallel_grades_equal_stock_sequential_grades_cell_by_cell(two_courses):
    stock, parallel, result = two_courses
    assert result.returncode == 0, result.stdout + result.stderr
    assert grades(parallel) == grades(stock) and len(grades(stock)) > 100
    out = result.stdout
    assert "submissions autograded" in out and "nbgrader's log:" in out and "Traceback" not in out + result.stderr
    assert "Warning" not in result.stderr and "without encryption" not in result.stderr  # nbgrader's noise: in the log


def test_a_bad_key_stops_the_run_in_one_line_and_touches_no_grade(two_courses, tmp_path):
    _, parallel, _ = two_courses
    before = grades(parallel)
    path = parallel / "answer-keys" / f"{A1}.yaml"
    original = path.read_text()
    for change in ({"kind": "lable"}, {"kind": "bool", "answer": "perhaps"}):
        data = yaml.safe_load(original)
        data["questions"]["tf1"].update(change)
        path.write_text(yaml.safe_dump(data))
        result = cli(parallel, "autograde", A1)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert f"{A1}.yaml" in result.stderr and "tf1" in result.stderr, result.stderr
        assert grades(parallel) == before
    data = yaml.safe_load(original)
    data["questions"]["tf99"] = data["questions"].pop("tf1")
    path.write_text(yaml.safe_dump(data))
    result = cli(parallel, "autograde", A1)
    assert result.returncode == 2 and "tf99" in result.stderr and "make release" in result.stderr
    path.write_text(original)
    assert grades(parallel) == before


def test_a_locked_or_broken_gradebook_stops_the_run_before_anything_changes(two_courses):
    import sqlite3

    _, parallel, _ = two_courses
    db = parallel / "gradebook.db"
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    result = cli(parallel, "autograde", A1)
    holder.rollback()
    holder.close()
    assert result.returncode == 2 and "locked by another program" in result.stderr
    autograded = sorted((parallel / "autograded").glob(f"*/{A1}/*.ipynb"))
    assert autograded, "a refused run deleted autograded notebooks"
    saved = db.read_bytes()
    db.write_bytes(b"")
    result = cli(parallel, "autograde", A1)
    assert result.returncode == 2 and "empty file" in result.stderr and db.read_bytes() == b""
    db.write_bytes(saved)
