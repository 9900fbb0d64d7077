"""The cohort report's statistics, pinned against an independent computation on a synthetic cohort with
known answers. (The report built from an autograded cohort is tests/pipeline/test_report_pipeline.py;
the intervals worked by hand are test_report_uncertainty.py.)"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.supervisor.report.stats import (
    MET,
    NO_ANSWER,
    NOT_MET,
    UNDECIDED,
    WAITING,
    Mastery,
    Response,
    balanced,
    brier,
    confusion_text,
    item_stats,
    kappa_band,
    points_stats,
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
        assert stats[trainee].items == 10
    assert stats["ada"].kappa == pytest.approx(1.0) and stats["ada"].confusion == ""
    assert stats["bo"].agreement == pytest.approx(0.6)
    assert stats["di"].kappa == pytest.approx(0.0) and stats["di"].band == "slight"
    assert stats["cy"].answered == 8


def test_confusions_carry_their_counts_and_ties():
    stats = {s.trainee: s.confusion for s in trainee_stats(responses(), Mastery())}
    assert (
        stats["bo"] == "tie: attachment \u2192 relational; relational \u2192 attachment, 2 each of 4 errors"
    )
    assert stats["cy"] == ("tie: both \u2192 attachment; insufficient information \u2192 no answer; "
                           "not relational \u2192 relational, 2 each of 6 errors")  # fmt: skip
    key = ["attachment"] * 3 + ["relational", "both"]
    assert confusion_text(key, ["relational"] * 3 + ["relational", "both"]) == (
        "attachment \u2192 relational, 3 of 3 errors"
    )
    assert confusion_text(key, ["relational"] * 3 + ["attachment", "both"]) == (
        "attachment \u2192 relational, 3 of 4 errors"
    )
    # a one-off error is never "the" confusion
    assert (
        confusion_text(key, ["attachment"] * 3 + ["both", "both"]) == "one error only: relational \u2192 both"
    )
    assert confusion_text(key, ["attachment", "attachment", "both", "both", "relational"]) == (
        "no repeated error: 3 different (attachment \u2192 both; both \u2192 relational; relational \u2192 both)"
    )
    assert confusion_text(key, key) == ""


def test_labels_read_as_words_not_snake_case():
    stats = trainee_stats(responses(), Mastery())
    items = item_stats(responses())
    shown = " ".join([s.confusion for s in stats] + [i.common_wrong for i in items])
    assert "not relational" in shown and "insufficient information" in shown and "no answer" in shown
    assert "_" not in shown


def test_mastery_is_decided_only_where_the_intervals_clear_the_lines():
    decisions = {s.trainee: s.decision for s in trainee_stats(responses(), Mastery())}
    # ten items: even a perfect score (agreement interval 0.69 to 1) cannot show 80% agreement yet
    assert decisions == {"ada": UNDECIDED, "bo": UNDECIDED, "cy": NOT_MET, "di": NOT_MET}
    lenient = {s.trainee: s.decision for s in trainee_stats(responses(), Mastery(agreement=0.5, kappa=0.4))}
    assert lenient == {"ada": MET, "bo": UNDECIDED, "cy": UNDECIDED, "di": NOT_MET}
    needs_help = {s.trainee for s in trainee_stats(responses(), Mastery()) if s.needs_help}
    assert needs_help == {"bo", "cy", "di"}  # bo is undecided but under the line; ada is not


def test_points_mastery_includes_hand_graded_points_and_waits_for_them():
    key = ["A", "B", "C", "A", "B"]
    given = {"full": key, "half": ["A", "B", "C", "C", "C"], "none": ["C"] * 5}
    cohort = [Response(t, f"s{i + 1}", a, key[i], float(a == key[i]), 1.0) for t, answers in given.items()
              for i, a in enumerate(answers)]  # fmt: skip
    written_max = {"formulation-answer": 5.0, "treatment-answer": 5.0}
    written = {"full": {"formulation-answer": 5.0, "treatment-answer": 3.0},  # 13 of 15: met
               "half": {"formulation-answer": 0.0, "treatment-answer": None},  # at most 8 of 15: not met
               "none": {"formulation-answer": None, "treatment-answer": None}}  # fmt: skip
    stats = {s.trainee: s for s in points_stats(cohort, written, written_max, Mastery())}
    assert (stats["full"].points, stats["full"].max_points, stats["full"].decision) == (13, 15, MET)
    assert (stats["half"].points, stats["half"].decision) == (3, NOT_MET)
    assert stats["half"].missed == [("s4", "C", "A"), ("s5", "C", "B")]
    blank_written = {**written, "full": {"formulation-answer": 0.0, "treatment-answer": 0.0}}
    assert {s.trainee: s.decision for s in points_stats(cohort, blank_written, written_max, Mastery())}[
        "full"
    ] == NOT_MET
    assert stats["none"].decision == NOT_MET  # 0 of 5 so far: even 10 of 10 by hand leaves it at 10 of 15
    hopeful = points_stats(cohort, {"full": {"formulation-answer": None, "treatment-answer": None}},
                           written_max, Mastery())  # fmt: skip
    assert {s.trainee: s.decision for s in hopeful}["full"] == WAITING


def test_a_balanced_key_is_recognised():
    assert balanced(KEY) and not balanced(KEY[:-1]) and not balanced(["both"] * 4)


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
    assert stats["item00"].common_wrong == "relational, 2 of 2 wrong answers"  # bo and di
    assert stats["item04"].common_wrong == "no repeated wrong answer: 2 different (no answer; relational)"


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
