"""How long `trauma-curriculum report` takes for a synthetic cohort of 200 trainees (run: make bench).

Autograding 200 trainees would take the better part of an hour, and it is not what is measured here, so
the setup writes the demo cohort's submissions as the autograded notebooks and records each answer's
points in the gradebook through nbgrader's API, read and scored by the same code autograde uses.
The measured step is the report alone.
"""

import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from trauma_curriculum.core.answers import read_answer_cell
from trauma_curriculum.course import keys_dir, nbgrader
from trauma_curriculum.supervisor.demo_cohort import build_demo_cohort
from trauma_curriculum.supervisor.keys import load_key
from trauma_curriculum.supervisor.report import build_report, load_responses
from trauma_curriculum.supervisor.scoring import score

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "a2-vignette-sorting"
TRAINEES = 200


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    course = tmp_path_factory.mktemp("bench") / "course"
    course.mkdir()
    for name in ("nbgrader_config.py", "source", "answer-keys"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, course / name)
    assert nbgrader(course, "generate_assignment", ASSIGNMENT, "--force").returncode == 0
    build_demo_cohort(course, trainees=TRAINEES, seed=11)
    key = load_key(ASSIGNMENT, keys_dir(course))
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        for submitted in sorted((course / "submitted").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")):
            trainee = submitted.parent.parent.name
            try:
                notebook = nbformat.read(submitted, as_version=4)
            except Exception:  # noqa: BLE001 - the demo's corrupt file is skipped, as autograde would
                continue
            target = course / "autograded" / trainee / ASSIGNMENT / submitted.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(submitted, target)
            gradebook.add_student(trainee)
            submission = gradebook.add_submission(ASSIGNMENT, trainee)
            typed = {c.metadata["nbgrader"]["grade_id"].removesuffix("-answer"): c.source for c in notebook.cells
                     if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}  # fmt: skip
            for grade in submission.notebooks[0].grades:
                question = grade.name.removesuffix("-check")
                if question in key.questions:
                    reading = read_answer_cell(question, key.questions[question].kind, typed.get(question, ""))
                    grade.auto_score = score(key, question, reading.typed)
        gradebook.db.commit()
    return course, db_url


def test_report_for_200_trainees(benchmark, cohort, monkeypatch, record):
    course, db_url = cohort
    monkeypatch.chdir(course)
    assert len({r.trainee for r in load_responses(course, ASSIGNMENT, db_url)}) >= TRAINEES - 1
    folder = benchmark.pedantic(build_report, args=(course, ASSIGNMENT, db_url), rounds=3)
    assert (folder / "index.html").exists()
    record("cohort report, 200 trainees", benchmark.stats.stats.median, target="under 30 s")
