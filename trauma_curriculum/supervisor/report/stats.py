"""The cohort statistics behind the report: agreement, kappa, confusions, item difficulty, discrimination
and calibration, computed by well-kept libraries (scikit-learn, SciPy) from a plain table of responses.

Kept apart from the gradebook and notebooks so that it can be checked against an independent computation
on a synthetic cohort with known answers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import pointbiserialr
from sklearn.metrics import brier_score_loss, cohen_kappa_score

from ...core.labels import LABELS

NO_ANSWER = "no_answer"
#: Landis and Koch's (1977) conventional bands for kappa, by upper bound. Conventions, not standards:
#: McHugh (2012) argues they are lenient for health work, and the report says so.
KAPPA_BANDS = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.00, "almost perfect"),
)


@dataclass(frozen=True)
class Mastery:
    """A program's choice of what counts as mastery, not a fact: the report states which it used."""

    agreement: float = 0.80
    kappa: float = 0.70


@dataclass
class Response:
    """One trainee's answer to one autograded item."""

    trainee: str
    item: str
    answer: str  # a normalised answer, or NO_ANSWER when blank or unreadable
    expected: str
    points: float
    max_points: float
    confidence: float | None = None  # 0 to 1, sorting items only


@dataclass
class TraineeStats:
    trainee: str
    points: float
    max_points: float
    agreement: float
    kappa: float
    band: str
    confusion: str
    mastery: bool
    answered: int = 0
    notes: list[str] = field(default_factory=list)


def kappa_band(kappa: float) -> str:
    """Landis and Koch's name for a kappa value: below 0 "poor", then slight to almost perfect."""
    if math.isnan(kappa):
        return "undefined"
    if kappa < 0:
        return "poor"
    return next(name for upper, name in KAPPA_BANDS if kappa <= upper)


def trainee_stats(
    responses: Sequence[Response], mastery: Mastery, labels: Sequence[str] = LABELS
) -> list[TraineeStats]:
    """Per trainee, over sorting items: points, agreement, kappa with its band, top confusion, mastery."""
    by_trainee: dict[str, list[Response]] = {}
    for response in responses:
        by_trainee.setdefault(response.trainee, []).append(response)
    stats = []
    for trainee, mine in sorted(by_trainee.items()):
        expected = [r.expected for r in mine]
        given = [r.answer for r in mine]
        agreement = float(np.mean([e == g for e, g in zip(expected, given, strict=True)]))
        kappa = float(cohen_kappa_score(expected, given, labels=[*labels, NO_ANSWER]))
        wrong = Counter((e, g) for e, g in zip(expected, given, strict=True) if e != g)
        confusion = f"{wrong.most_common(1)[0][0][0]} -> {wrong.most_common(1)[0][0][1]}" if wrong else ""
        kappa_ok = not math.isnan(kappa) and kappa >= mastery.kappa
        stats.append(TraineeStats(
            trainee, sum(r.points for r in mine), sum(r.max_points for r in mine), agreement,
            kappa, kappa_band(kappa), confusion, agreement >= mastery.agreement and kappa_ok,
            answered=sum(g != NO_ANSWER for g in given),
        ))  # fmt: skip
    return stats


@dataclass
class ItemStats:
    item: str
    expected: str
    proportion_correct: float
    common_wrong: str
    discrimination: float
    n: int


def item_stats(responses: Sequence[Response]) -> list[ItemStats]:
    """Per item: proportion correct, the most common wrong answer, and discrimination.

    Discrimination is the point-biserial correlation between getting the item right and the trainee's
    score on the *other* items (the corrected item-total correlation): positive when stronger trainees
    get it right more often than weaker ones.
    """
    trainees = sorted({r.trainee for r in responses})
    items = sorted({r.item for r in responses})
    correct = {(r.trainee, r.item): float(r.answer == r.expected) for r in responses}
    totals = {t: sum(correct.get((t, i), 0.0) for i in items) for t in trainees}
    stats = []
    for item in items:
        mine = [r for r in responses if r.item == item]
        right = np.array([correct[(r.trainee, item)] for r in mine])
        rest = np.array([totals[r.trainee] - correct[(r.trainee, item)] for r in mine])
        varied = right.std() > 0 and rest.std() > 0
        discrimination = float(pointbiserialr(right, rest).statistic) if varied else float("nan")
        wrong = Counter(r.answer for r in mine if r.answer != r.expected)
        stats.append(ItemStats(item, mine[0].expected, float(right.mean()),
                               wrong.most_common(1)[0][0] if wrong else "", discrimination, len(mine)))  # fmt: skip
    return stats


def brier(responses: Sequence[Response]) -> float | None:
    """The cohort's Brier score over rated answers (None when nobody rated their confidence)."""
    rated = [r for r in responses if r.confidence is not None]
    if not rated:
        return None
    return float(brier_score_loss([r.answer == r.expected for r in rated], [r.confidence for r in rated]))
