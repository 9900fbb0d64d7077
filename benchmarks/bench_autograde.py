"""Autograde: stock sequential `nbgrader autograde` against `trauma-curriculum autograde` (parallel
workers, sandboxed), on the same synthetic cohort of a1 submissions; and one submission against stock
nbgrader on a trivial notebook (run: make bench)."""

import shutil
import subprocess
import time

import nbformat
import pytest

from conftest import (  # the test suite's (benchmarks/conftest.py puts tests/ on the path)
    make_course,
    tool_env,
)
from nbgrader_helpers import SCRIPTS, answered, key, nbgrader, right, submit

A1 = "a1-foundations"
SUBMISSIONS = 40


def cohort(tmp_path_factory, name: str):
    course = make_course(tmp_path_factory.mktemp(name) / "course")
    assert nbgrader(course, "generate_assignment", A1, "--force").returncode == 0
    the_key = key(A1)
    release = course / "release" / A1 / f"{A1}.ipynb"
    notebook = answered(release, {q: right(the_key, q) for q in the_key.questions}, "A written answer.")
    for number in range(SUBMISSIONS):
        submit(course, f"t{number:03d}", A1, notebook)
    return course


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


@pytest.mark.benchmark
def test_autograde_stock_against_parallel(tmp_path_factory, record):
    stock, parallel = cohort(tmp_path_factory, "stock"), cohort(tmp_path_factory, "parallel")
    seconds = timed(lambda: nbgrader(stock, "autograde", A1, "--force"))
    record(f"autograde {SUBMISSIONS} submissions, stock nbgrader (sequential, no sandbox)", seconds)
    result = []
    seconds = timed(lambda: result.append(subprocess.run([str(SCRIPTS / "trauma-curriculum"), "autograde", A1],
                                                         cwd=parallel, env=tool_env(), capture_output=True)))  # fmt: skip
    assert result[0].returncode == 0, result[0].stderr
    record(f"autograde {SUBMISSIONS} submissions, trauma-curriculum autograde (parallel, sandboxed)", seconds,
           f"autograde {SUBMISSIONS} submissions, stock nbgrader (sequential, no sandbox)", "at most 1/1.8")  # fmt: skip


@pytest.mark.benchmark
def test_one_submission_against_a_trivial_notebook(tmp_path_factory, record):
    course = make_course(tmp_path_factory.mktemp("trivial") / "course")
    shutil.rmtree(course / "source")
    (course / "source" / "trivial").mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nbformat.write(notebook, course / "source" / "trivial" / "trivial.ipynb")
    assert nbgrader(course, "generate_assignment", "trivial", "--force").returncode == 0
    for number in range(10):
        submit(course, f"t{number}", "trivial", notebook)
    seconds = timed(lambda: nbgrader(course, "autograde", "trivial", "--force")) / 10
    record("stock nbgrader, one trivial submission", seconds)
    real = cohort(tmp_path_factory, "one")
    shutil.rmtree(real / "submitted")
    the_key = key(A1)
    release = real / "release" / A1 / f"{A1}.ipynb"
    for number in range(10):
        submit(real, f"t{number}", A1, answered(release, {q: right(the_key, q) for q in the_key.questions}))
    seconds = timed(lambda: subprocess.run([str(SCRIPTS / "trauma-curriculum"), "autograde", A1, "--jobs", "1"],
                                           cwd=real, env=tool_env(), capture_output=True)) / 10  # fmt: skip
    record("trauma-curriculum autograde, one a1 submission (one worker)", seconds,
           "stock nbgrader, one trivial submission", "within 1.3x")
