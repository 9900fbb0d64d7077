"""The cohort report: statistics pinned against an independent computation on a synthetic cohort with
known answers, and the whole report built from a small autograded cohort."""

from __future__ import annotations

import csv
import math
import re
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from conftest import SCRIPTS, make_course, tool_env
from nbgrader_helpers import nbgrader
from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.supervisor.demo_cohort import build_demo_cohort
from trauma_curriculum.supervisor.report.stats import (
    NO_ANSWER,
    Mastery,
    Response,
    brier,
    item_stats,
    kappa_band,
    trainee_stats,
)

KEY = ["attachment", "relational", "both", "not_relational", "insufficient_information"] * 2  # 10 items
ANSWERS = {  # four trainees with known answers
    "ada": list(KEY),
    "bo": ["relational", "attachment", "both", "not_relational", "insufficient_information"] * 2,
    "cy": ["attachment", "relational", "attachment", "relational", NO_ANSWER] * 2,
    "di": ["relational"] * 10,
}
CONFIDENCE = {"ada": 0.9, "bo": 0.9, "cy": 0.5, "di": 0.7}


def responses() -> list[Response]:
    return [
        Response(t, f"item{i:02d}", answer, KEY[i], float(answer == KEY[i]), 1.0, CONFIDENCE[t])
        for t, answers in ANSWERS.items()
        for i, answer in enumerate(answers)
    ]


def kappa_by_hand(expected: list[str], given: list[str]) -> float:
    """Cohen's kappa from its definition: (observed - chance) / (1 - chance)."""
    n = len(expected)
    observed = sum(e == g for e, g in zip(expected, given, strict=True)) / n
    e_counts, g_counts = Counter(expected), Counter(given)
    chance = sum(e_counts[c] * g_counts[c] for c in set(expected) | set(given)) / n**2
    return (observed - chance) / (1 - chance)


def test_trainee_statistics_match_an_independent_computation():
    stats = {s.trainee: s for s in trainee_stats(responses(), Mastery())}
    for trainee, answers in ANSWERS.items():
        agreement = sum(a == k for a, k in zip(answers, KEY, strict=True)) / len(KEY)
        assert stats[trainee].agreement == pytest.approx(agreement)
        assert stats[trainee].kappa == pytest.approx(kappa_by_hand(KEY, answers))
    assert stats["ada"].kappa == pytest.approx(1.0) and stats["ada"].mastery and stats["ada"].confusion == ""
    assert stats["bo"].confusion in {"attachment -> relational", "relational -> attachment"}
    assert stats["bo"].agreement == pytest.approx(0.6) and not stats["bo"].mastery
    assert stats["di"].kappa == pytest.approx(0.0) and stats["di"].band == "slight"
    assert stats["cy"].answered == 8


def test_mastery_is_configurable():
    lenient = {s.trainee: s.mastery for s in trainee_stats(responses(), Mastery(agreement=0.5, kappa=0.4))}
    assert lenient == {"ada": True, "bo": True, "cy": False, "di": False}
    lenient = {s.trainee: s.mastery for s in trainee_stats(responses(), Mastery(agreement=0.4, kappa=0.25))}
    assert lenient == {"ada": True, "bo": True, "cy": True, "di": False}


def test_item_statistics_match_an_independent_computation():
    stats = {s.item: s for s in item_stats(responses())}
    right = np.array([[float(ANSWERS[t][i] == KEY[i]) for i in range(len(KEY))] for t in ANSWERS])
    for i in range(len(KEY)):
        item = stats[f"item{i:02d}"]
        assert item.proportion_correct == pytest.approx(right[:, i].mean())
        rest = right.sum(axis=1) - right[:, i]
        if right[:, i].std() and rest.std():
            assert item.discrimination == pytest.approx(np.corrcoef(right[:, i], rest)[0, 1])
        else:
            assert math.isnan(item.discrimination)
    assert stats["item00"].common_wrong == "relational"  # bo and di both said relational for attachment


def test_cohort_confusion_figure_and_brier_match_by_hand():
    from trauma_curriculum.teaching.charts import confusion_figure

    cohort = responses()
    figure = confusion_figure(
        [r.expected for r in cohort], [r.answer for r in cohort]
    )  # as the report draws it
    cells = [int(text.get_text()) for text in figure.axes[0].texts]
    for row, expected in enumerate(LABELS):
        for column, given in enumerate(LABELS):
            count = sum(
                KEY[i] == expected and ANSWERS[t][i] == given for t in ANSWERS for i in range(len(KEY))
            )
            assert cells[row * len(LABELS) + column] == count
    by_hand = np.mean(
        [(CONFIDENCE[t] - float(ANSWERS[t][i] == KEY[i])) ** 2 for t in ANSWERS for i in range(len(KEY))]
    )
    assert brier(responses()) == pytest.approx(by_hand)


@pytest.mark.parametrize(("kappa", "band"), [(-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.35, "fair"),
                                             (0.5, "moderate"), (0.7, "substantial"), (0.81, "almost perfect"),
                                             (float("nan"), "undefined")])  # fmt: skip
def test_landis_and_koch_bands(kappa, band):
    assert kappa_band(kappa) == band


def cli(course: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPTS / "trauma-curriculum"), *args], cwd=course, capture_output=True,
                          text=True, env=tool_env(), timeout=600)  # fmt: skip


@pytest.fixture(scope="module")
def small_cohort(tmp_path_factory) -> Path:
    course = make_course(tmp_path_factory.mktemp("report") / "course")
    assert nbgrader(course, "generate_assignment", "a2-vignette-sorting", "--force").returncode == 0
    build_demo_cohort(course, trainees=8, seed=7)
    nbgrader(course, "autograde", "a2-vignette-sorting", "--force")  # trainee07's corrupt file: exit 1
    return course


@pytest.mark.grading
def test_report_writes_page_tables_and_figures(small_cohort):
    result = cli(small_cohort, "report", "a2-vignette-sorting")
    assert result.returncode == 0, result.stderr
    folder = small_cohort / "reports" / "a2-vignette-sorting"
    assert {"index.html", "trainees.csv", "items.csv", "confusion.png", "kappas.png", "difficulty.png"} <= {
        p.name for p in folder.iterdir()
    }
    trainees = list(csv.DictReader((folder / "trainees.csv").open()))
    assert {row["trainee"] for row in trainees} == {f"trainee{n:02d}" for n in range(1, 9)} - {"trainee07"}
    assert set(trainees[0]) >= {
        "points",
        "percent_agreement",
        "kappa",
        "kappa_band",
        "most_frequent_confusion",
        "mastery_met",
    }
    items = list(csv.DictReader((folder / "items.csv").open()))
    assert len(items) == 15 and {"proportion_correct", "common_wrong", "discrimination"} <= set(items[0])
    page = (folder / "index.html").read_text()
    assert "Who needs help, and with what?" in page and "trainee07" in page and "corrupt notebook" in page
    assert "a program&#39;s choice" in page or "a program's choice" in page
    assert not re.search(r"(src|href)=\"https?://", page)  # self-contained: no network needed
    assert page.count("data:image/png;base64,") >= 3


@pytest.mark.grading
def test_report_explains_what_is_missing_instead_of_a_traceback(small_cohort, tmp_path):
    fresh = make_course(tmp_path / "fresh")
    result = cli(fresh, "report", "a2-vignette-sorting")
    assert result.returncode == 1 and "No gradebook" in result.stderr and "Traceback" not in result.stderr
    result = cli(small_cohort, "report", "a9-unknown")
    assert result.returncode == 1 and "not in the gradebook" in result.stderr
    assert nbgrader(small_cohort, "db", "assignment", "add", "a1-foundations").returncode == 0
    result = cli(small_cohort, "report", "a1-foundations")
    assert result.returncode == 1 and "Nothing has been autograded yet" in result.stderr
