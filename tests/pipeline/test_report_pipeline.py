"""The cohort report built from a small cohort autograded by nbgrader, every trainee's answers chosen so
the page's counts, ties, decisions and escaping can be worked out by hand.

a2 (20 sorted items, four per label):
- ``t-count``: three attachment items answered relational, the rest right (17 of 20);
- ``t-tie``: two attachment and two not-relational items answered relational (16 of 20);
- ``t-low``: relational for everything (4 of 20);
- ``t-perfect``: all right (20 of 20), plus a stray file named ``<img src=x onerror=alert(1)>.txt``;
- ``<svg onload=alert(1)>``: all right but item01 answered ``<script>alert(1)</script>`` (invalid: 19 of 20);
- ``=HYPERLINK("x")``: all right; ``t-broken``: not a notebook.
Cohort errors, by hand: attachment -> relational 3 + 2 + 4 = 9, not relational -> relational 2 + 4 = 6,
both -> relational 4, insufficient information -> relational 4, both -> no answer 1: 24 in all.

a3 (5 scenes, 10 points by hand): ``s-good`` all scenes right, written 5 + 4 (14 of 15: met); ``s-blank``
all scenes right, written graded 0 + 0 (5 of 15: not met, though every autograded item is right);
``s-miss`` scenes 1 and 3 wrong, written not graded yet.
"""

from __future__ import annotations

import csv
import html
import os
import re
import subprocess
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from conftest import SCRIPTS, make_course, tool_env
from nbgrader_helpers import answered, key, nbgrader, right, submit, wrong
from trauma_curriculum.supervisor.report import build_report

A2, A3 = "a2-vignette-sorting", "a3-case-formulation"
SVG, FORMULA, SCRIPT = "<svg onload=alert(1)>", '=HYPERLINK("x")', "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>.txt"
ON_TIME = "2026-05-30 18:00:00.000000 UTC"


def cli(course: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPTS / "trauma-curriculum"), *args], cwd=course, capture_output=True,
                          text=True, env=tool_env(), timeout=600)  # fmt: skip


def _hand_in(course: Path, trainee: str, assignment: str, values: dict[str, str]) -> Path:
    release = course / "release" / assignment / f"{assignment}.ipynb"
    submit(course, trainee, assignment, ON_TIME, "timestamp.txt")
    return submit(course, trainee, assignment, answered(release, values))


def _a2_cohort(course: Path) -> None:
    k = key(A2, course / "answer-keys")
    correct = {q: right(k, q) for q in k.questions}
    by_label = {label: [q for q in k.questions if k.answer(q) == label] for label in set(k.answers.values())}
    _hand_in(course, "t-count", A2, {**correct, **dict.fromkeys(by_label["attachment"][:3], "relational")})
    _hand_in(course, "t-tie", A2, {**correct, **dict.fromkeys(by_label["attachment"][:2], "relational"),
                                   **dict.fromkeys(by_label["not_relational"][:2], "relational")})  # fmt: skip
    _hand_in(course, "t-low", A2, dict.fromkeys(k.questions, "relational"))
    folder = _hand_in(course, "t-perfect", A2, correct).parent
    (folder / IMG).write_text("not part of the assignment", encoding="utf-8")
    _hand_in(course, SVG, A2, {**correct, "item01": SCRIPT})
    _hand_in(course, FORMULA, A2, correct)
    submit(course, "t-broken", A2, ON_TIME, "timestamp.txt")
    submit(course, "t-broken", A2, "this is not a notebook")


def _a3_cohort(course: Path) -> None:
    k = key(A3, course / "answer-keys")
    correct = {q: right(k, q) for q in k.questions}
    for trainee in ("s-good", "s-blank"):
        _hand_in(course, trainee, A3, correct)
    _hand_in(course, "s-miss", A3, {**correct, "s1": wrong(k, "s1"), "s3": wrong(k, "s3")})


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Path:
    course = make_course(tmp_path_factory.mktemp("report") / "course")
    for assignment in (A2, A3):
        assert nbgrader(course, "generate_assignment", assignment, "--force").returncode == 0
    _a2_cohort(course)
    _a3_cohort(course)
    nbgrader(course, "autograde", A2, "--force")  # t-broken's file: exit 1, the rest graded
    assert nbgrader(course, "autograde", A3, "--force").returncode == 0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for trainee, scores in {"s-good": (5, 4), "s-blank": (0, 0)}.items():
            for grade_id, score in zip(("formulation-answer", "treatment-answer"), scores, strict=True):
                gradebook.find_grade(grade_id, A3, A3, trainee).manual_score = score
        gradebook.db.commit()
    return course


def report(course: Path, assignment: str) -> tuple[str, list[dict], list[dict]]:
    folder = build_report(course, assignment, f"sqlite:///{course / 'gradebook.db'}")
    rows = {
        name: list(csv.DictReader((folder / name).open(encoding="utf-8")))
        for name in ("trainees.csv", "items.csv")
    }
    return (folder / "index.html").read_text(encoding="utf-8"), rows["trainees.csv"], rows["items.csv"]


def _row(page: str, trainee: str) -> str:
    """The text of a trainee's row in the page's table of all trainees."""
    rows = re.findall(r"<tr><td>(.*?)</tr>", page.split("<h2>All trainees</h2>")[1], flags=re.S)
    return re.sub(r"<[^>]+>", " ", next(r for r in rows if r.startswith(trainee + "</td>")))


@pytest.mark.grading
def test_the_sorting_report_counts_ties_and_decisions_as_worked_by_hand(cohort, monkeypatch):
    monkeypatch.chdir(cohort)
    page, trainees, items = report(cohort, A2)
    # every graded item: the 20 sorted vignettes and the form's six "what comes first?" items
    assert len(items) == len(key(A2).questions) == 26
    assert {"proportion_correct", "common_wrong", "discrimination"} <= set(items[0])
    by_id = {row["trainee"]: row for row in trainees}
    assert set(by_id) == {
        "t-count",
        "t-tie",
        "t-low",
        "t-perfect",
        SVG,
        "'" + FORMULA,
    }  # t-broken: unreadable
    assert by_id["t-count"]["most_frequent_confusion"] == "attachment \u2192 relational, 3 of 3 errors"
    assert by_id["t-tie"]["most_frequent_confusion"] == (
        "tie: attachment \u2192 relational; not relational \u2192 relational, 2 each of 4 errors"
    )
    assert by_id[SVG]["most_frequent_confusion"] == "one error only: both \u2192 no answer"
    assert {t: row["mastery"] for t, row in by_id.items()} == {
        "t-count": "not yet decidable: needs more items",
        "t-tie": "not yet decidable: needs more items",
        "t-low": "not met",
        "t-perfect": "met",
        SVG: "not yet decidable: needs more items",
        "'" + FORMULA: "met",
    }
    assert (by_id["t-count"]["agreement_low"], by_id["t-count"]["agreement_high"]) == ("0.621", "0.968")

    assert "20 sorted items: one item moves a trainee's agreement by 5 percentage points" in html.unescape(
        page
    )
    assert ("attachment answered as relational (9 of 24 errors); not relational answered as relational "
            "(6 of 24 errors)") in page  # fmt: skip
    assert "attachment \u2192 relational, 3 of 3 errors" in _row(page, "t-count")
    assert "met" in _row(page, "t-perfect") and "not met" in _row(page, "t-low")
    help_table = page.split("Who needs help, and with what?")[1].split("Submissions with a problem")[0]
    assert "t-low" in help_table and "t-perfect" not in help_table and "t-count" not in help_table
    assert "95% interval" in page and "bootstrap" in page and "Clopper-Pearson" in page
    # a balanced key: kappa is a linear function of agreement, so no bands on the page, and it says why
    assert "(agreement &minus; 0.20) / 0.80" in page and "substantial" not in page
    assert "_" not in re.sub(r"<[^>]+>|t-\w+|\w+-answer|a2-vignette-sorting\S*", "", page.split("<body>")[1])
    assert "corrupt notebook" in page and not re.search(r"(src|href)=\"https?://", page)
    assert page.count("data:image/png;base64,") >= 3  # confusion, kappas, difficulty (no confidence rated)


@pytest.mark.grading
def test_nothing_a_trainee_typed_or_named_reaches_the_page_unescaped(cohort, monkeypatch):
    monkeypatch.chdir(cohort)
    page, trainees, _ = report(cohort, A2)
    for hostile in (SCRIPT, SVG, IMG, "<script", "<svg", "<img src=x"):
        assert hostile not in page
    assert page.count("<img ") == page.count('<img src="data:image/png;base64,')  # only the figures
    assert "&lt;svg onload=alert(1)&gt;" in page  # the trainee is still named, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the invalid answer, as text
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page  # the stray file, as text
    assert not re.search(r"<[^>]*\bon\w+\s*=", page)  # no event-handler attribute in any tag
    assert "'" + FORMULA in {row["trainee"] for row in trainees}
    assert not any(cell.startswith(("=", "+", "@")) for row in trainees for cell in row.values())
    listed = cohort / "problems.csv"
    assert cli(cohort, "problems", A2, "--csv", str(listed)).returncode == 0
    rows = list(csv.DictReader(listed.open(encoding="utf-8")))
    assert {row["trainee"] for row in rows} >= {SVG, "t-perfect", "t-broken"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


@pytest.mark.grading
def test_the_report_says_it_is_stale_when_the_key_changed_after_grading(cohort, monkeypatch):
    monkeypatch.chdir(cohort)
    assert "This report is stale" not in report(cohort, A2)[0]
    path = cohort / "answer-keys" / f"{A2}.yaml"
    before = path.stat()
    try:
        os.utime(path, (before.st_atime + 3600, before.st_mtime + 3600))
        page = report(cohort, A2)[0]
    finally:
        os.utime(path, (before.st_atime, before.st_mtime))
    assert "This report is stale: regrade first." in page
    graded = len(list((cohort / "autograded").glob(f"*/{A2}/*.ipynb")))
    assert (
        f"after {graded} of {graded} notebooks were autograded" in page
        and f"trauma-curriculum regrade {A2}" in page
    )


@pytest.mark.grading
def test_the_case_formulation_report_lists_missed_scenes_and_counts_hand_graded_points(cohort, monkeypatch):
    monkeypatch.chdir(cohort)
    page, trainees, _ = report(cohort, A3)
    by_id = {row["trainee"]: row for row in trainees}
    assert (by_id["s-good"]["points"], by_id["s-good"]["max_points"], by_id["s-good"]["mastery"]) == (
        "14",
        "15",
        "met",
    )
    assert (by_id["s-blank"]["points"], by_id["s-blank"]["mastery"]) == ("5", "not met")  # all scenes right
    assert by_id["s-miss"]["mastery"] == "not yet decidable: written answers not yet graded"
    assert by_id["s-miss"]["missed"].startswith("Scene 1: The softer voice (answered B, key A); Scene 3: ")
    help_table = page.split("Who needs help, and with what?")[1].split("Submissions with a problem")[0]
    assert "s-blank" in help_table and "s-miss" in help_table and "s-good" not in help_table
    assert "Scene 1: The softer voice (answered B, key A)" in help_table
    assert "the 10 graded by hand included" in page and "treatment: 4 of 5" in _row(page, "s-good")
    # nothing on the page explains what it does not show
    for absent in ("kappa", "Kappa", "Calibration", "Brier", "bootstrap"):
        assert absent not in page


@pytest.mark.grading
def test_report_explains_what_is_missing_instead_of_a_traceback(cohort, tmp_path):
    fresh = make_course(tmp_path / "fresh")
    result = cli(fresh, "report", A2)
    assert (
        result.returncode == 1 and "gradebook" in result.stderr.lower() and "Traceback" not in result.stderr
    )
    result = cli(cohort, "report", "a9-unknown")
    assert result.returncode == 1 and "not in the gradebook" in result.stderr
    assert nbgrader(cohort, "db", "assignment", "add", "a1-foundations").returncode == 0
    result = cli(cohort, "report", "a1-foundations")
    assert result.returncode == 1 and "Nothing has been autograded yet" in result.stderr
