"""The learning-gain report on a synthetic cohort with a known gain: Hake's g, the change in kappa per
pair of labels with its interval, counterbalanced forms, and the caveat that change is not cause."""

from __future__ import annotations

import csv
import math
import re

import pytest
from sklearn.metrics import cohen_kappa_score

from conftest import make_course
from trauma_curriculum.cli import main
from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.supervisor.report.gain import (
    CAVEAT,
    GainError,
    counterbalanced,
    gain_report,
    hake_g,
    overall_kappa,
    pair_kappa,
    read_pairing,
    write_gain_report,
    write_pairing,
)
from trauma_curriculum.supervisor.report.stats import Response

FORMS = ("form-a", "form-b")
KEY = [label for _ in range(4) for label in LABELS]  # twenty items, four per label
SWAP = {"attachment": "relational", "relational": "attachment"}
TRAINEES = [f"t{n:02d}" for n in range(10)]


def sitting(trainee: str, swapped: int) -> list[Response]:
    """Every item right, except ``swapped`` of the four attachment and four relational items, each
    answered as the other label."""
    answers, seen = [], {"attachment": 0, "relational": 0}
    for number, key in enumerate(KEY, start=1):
        answer = key
        if key in SWAP:
            seen[key] += 1
            answer = SWAP[key] if seen[key] <= swapped else key
        answers.append(Response(trainee, f"item{number:02d}", answer, key, float(answer == key), 1.0))
    return answers


def cohort() -> tuple[dict[str, list[Response]], dict[str, str]]:
    """Baseline: all eight attachment and relational items swapped (12 of 20, 0.6). Post-check: half the
    trainees swap none (1.0, g = 1) and half swap two of each (0.8, g = 0.5). Half take form A first."""
    pairing = counterbalanced(TRAINEES, *FORMS)
    responses = {form: [] for form in FORMS}
    for index, trainee in enumerate(TRAINEES):
        first = pairing[trainee]
        second = FORMS[1] if first == FORMS[0] else FORMS[0]
        responses[first] += sitting(trainee, 4)
        responses[second] += sitting(trainee, 0 if index % 2 else 2)
    return responses, pairing


def test_hake_g_and_pair_kappa_against_their_definitions():
    assert hake_g(0.4, 0.7) == pytest.approx(0.5)
    assert hake_g(0.6, 0.5) == pytest.approx(-0.25)
    assert math.isnan(hake_g(1.0, 1.0))
    answers = sitting("x", 2) + sitting("y", 1)
    expected, given = [r.expected for r in answers], [r.answer for r in answers]
    for pair in (("attachment", "relational"), ("attachment", "both"), ("both", "not_relational")):
        kept = [(e, g if g in pair else "other") for e, g in zip(expected, given, strict=True) if e in pair]
        by_library = cohen_kappa_score([e for e, _ in kept], [g for _, g in kept], labels=[*pair, "other"])
        assert pair_kappa(expected, given, pair) == pytest.approx(by_library)
    assert overall_kappa(answers) == pytest.approx(
        cohen_kappa_score(expected, given, labels=[*LABELS, "no_answer"])
    )


def test_counterbalancing_sends_half_the_cohort_to_each_form_first():
    pairing = counterbalanced(TRAINEES + ["t10"], *FORMS, seed=3)
    assert sorted(pairing.values()).count(FORMS[0]) == 6 and sorted(pairing.values()).count(FORMS[1]) == 5
    assert counterbalanced(TRAINEES, *FORMS, seed=3) == counterbalanced(
        list(reversed(TRAINEES)), *FORMS, seed=3
    )


def test_the_synthetic_cohort_shows_its_known_gain():
    responses, pairing = cohort()
    report = gain_report(responses, pairing, FORMS)
    assert report.first_counts == {FORMS[0]: 5, FORMS[1]: 5}
    assert report.pre_mean == pytest.approx(0.6) and report.post_mean == pytest.approx(0.9)
    assert report.cohort_g == pytest.approx(0.75) and report.mean_g == pytest.approx(0.75)
    gains = sorted(t.g for t in report.trainees)
    assert gains == pytest.approx([0.5] * 5 + [1.0] * 5)
    # a resample draws k of the five perfect trainees out of ten (k ~ Binomial(10, 1/2)): its g is
    # 0.5 + k / 20 and its pair kappa after is k / 10, so the 95% intervals are k = 2 to k = 8
    assert report.cohort_g_interval.low == pytest.approx(
        0.6
    ) and report.cohort_g_interval.high == pytest.approx(0.9)
    pairs = {p.pair: p for p in report.pairs}
    told_apart = pairs[("attachment", "relational")]
    # baseline: every keyed item swapped, kappa -1; post: pooled [[30, 10], [10, 30]], kappa 0.5
    assert told_apart.kappa_pre == pytest.approx(-1.0) and told_apart.kappa_post == pytest.approx(0.5)
    assert told_apart.change == pytest.approx(1.5)
    assert told_apart.interval.low == pytest.approx(1.2) and told_apart.interval.high == pytest.approx(1.8)
    steady = pairs[("both", "not_relational")]
    assert (
        steady.kappa_pre == steady.kappa_post == pytest.approx(1.0)
        and steady.interval.text() == "0.00 to 0.00"
    )
    assert sum(report.form_means.values()) / 2 == pytest.approx(0.75)  # each trainee sat each form once


def test_without_a_pairing_everyone_is_taken_to_have_sat_the_first_form_first():
    responses, _ = cohort()
    report = gain_report(responses, None, FORMS)
    assert report.first_counts == {FORMS[0]: 10, FORMS[1]: 0}


def test_the_page_shows_the_numbers_intervals_and_the_caveat(tmp_path):
    responses, pairing = cohort()
    responses[FORMS[0]] += sitting("late", 1)  # took only one form: listed, not counted
    folder = write_gain_report(gain_report(responses, pairing, FORMS), tmp_path / "gain")
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Change, not cause." in page and CAVEAT.split(":")[0] in page
    assert "0.75</b>, 95% bootstrap interval\n    0.60 to 0.90." in page
    assert "Left out (took only one of the two forms): late" in page
    assert page.count("data:image/png;base64,") == 2 and not re.search(r"(src|href)=\"https?://", page)
    rows = {row["trainee"]: row for row in csv.DictReader((folder / "trainees.csv").open())}
    assert set(rows) == set(TRAINEES) and rows["t01"]["hake_g"] == "1.000" and rows["t00"]["pre"] == "0.600"
    pairs = {row["pair"]: row for row in csv.DictReader((folder / "pairs.csv").open())}
    assert pairs["attachment/relational"]["kappa_change"] == "1.500"


def test_a_bad_pairing_is_named_with_its_line_and_fix(tmp_path):
    path = tmp_path / "pairing.csv"
    path.write_text("trainee,first\nt00,form-a\nt01,form-c\n", encoding="utf-8")
    with pytest.raises(
        GainError, match=r"pairing.csv: line 3: field 'first' is 'form-c'; it must be 'form-a' or 'form-b'"
    ):
        read_pairing(path, FORMS)
    with pytest.raises(
        GainError, match="no pairing file; write one with `trauma-curriculum gain form-a form-b --plan"
    ):
        read_pairing(tmp_path / "absent.csv", FORMS)
    write_pairing(path, {"t00": "form-a"})
    responses, _ = cohort()
    with pytest.raises(GainError, match="does not say which form t01"):
        gain_report(responses, read_pairing(path, FORMS), FORMS)


def test_the_command_plans_a_counterbalanced_pairing_and_explains_a_missing_gradebook(
    tmp_path, monkeypatch, capsys
):
    course = make_course(tmp_path / "course")
    monkeypatch.chdir(course)
    (course / "roster.txt").write_text("\n".join(TRAINEES) + "\n", encoding="utf-8")
    assert main(["gain", "a2-vignette-sorting", "a2b-vignette-sorting", "--plan", "roster.txt"]) == 0
    assert (
        "5 trainees take a2-vignette-sorting first and 5 take a2b-vignette-sorting first"
        in capsys.readouterr().out
    )
    pairing = read_pairing(
        course / "reports" / "gain-pairing.csv", ("a2-vignette-sorting", "a2b-vignette-sorting")
    )
    assert sorted(pairing) == TRAINEES
    assert main(["gain", "a2-vignette-sorting", "a2b-vignette-sorting"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("trauma-curriculum gain:") and "Traceback" not in error
