"""The cohort statistics behind the report: agreement and kappa with their 95% intervals, the mastery
decision they allow, confusions with their counts, item difficulty, discrimination and calibration,
computed by well-kept libraries (scikit-learn, SciPy) from a plain table of responses.

Kept apart from the gradebook and notebooks so that it can be checked against an independent computation
on a synthetic cohort with known answers.

Uncertainty. Twenty items are a small sample of a trainee's judgement, so no mastery decision is called
from a point estimate alone:

- agreement (the share of items matching the key) gets the exact Clopper-Pearson binomial interval
  (``scipy.stats.binomtest``), which stays honest at the edges: 20 of 20 right still leaves a lower
  bound of 0.83, and 10 of 10 one of 0.69;
- Cohen's kappa gets a percentile bootstrap interval over items (``scipy.stats.bootstrap``: the
  trainee's items resampled with replacement, each with its key label, 9,999 times with a fixed seed, so
  the same cohort always gives the same page). A trainee with no error has nothing to resample, and the
  bootstrap interval is then the point 1.00; the agreement interval still bounds that trainee's decision.

Mastery is *met* when both intervals lie wholly on or above their lines, *not met* when either lies
wholly below its line, and otherwise *not yet decidable: needs more items*.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import binomtest, bootstrap, pointbiserialr
from sklearn.metrics import brier_score_loss, cohen_kappa_score

from ...core.labels import LABEL_TABLE, LABELS

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
CONFIDENCE_LEVEL = 0.95
RESAMPLES = 9_999
SEED = 2026  # fixed, so a report is reproducible

MET = "met"
NOT_MET = "not met"
UNDECIDED = "not yet decidable: needs more items"
WAITING = "not yet decidable: written answers not yet graded"


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


@dataclass(frozen=True)
class Interval:
    """A 95% interval, and which side of a line it lies on."""

    low: float
    high: float

    def against(self, line: float) -> bool | None:
        """True when the whole interval is on or above ``line``, False when wholly below, else None."""
        if math.isnan(self.low) or math.isnan(self.high):
            return None
        if self.low >= line:
            return True
        return False if self.high < line else None

    def __str__(self) -> str:
        return "n/a" if math.isnan(self.low) else f"{self.low:.2f} to {self.high:.2f}"


@dataclass
class TraineeStats:
    trainee: str
    points: float
    max_points: float
    agreement: float
    decision: str
    items: int = 0
    answered: int = 0
    agreement_interval: Interval | None = None
    kappa: float = math.nan
    kappa_interval: Interval | None = None
    band: str = ""
    confusion: str = ""
    below_line: bool = False  # the point estimate is under a line (decided or not)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (item, answer given, key), not sorting
    written: dict[str, float | None] = field(default_factory=dict)  # hand-graded points, None if waiting

    @property
    def mastery(self) -> bool:
        return self.decision == MET

    @property
    def needs_help(self) -> bool:
        """Decided as not met, or not yet decidable with the point estimate under the line."""
        return self.decision == NOT_MET or (self.decision != MET and self.below_line)


def name(answer: str) -> str:
    """An answer as a supervisor reads it: "not relational", "no answer"; letters and words as they are."""
    if answer == NO_ANSWER:
        return "no answer"
    label = LABEL_TABLE.get(answer)
    return label.short.replace("\n", " ") if label else answer


def most_frequent(counts: Counter, noun: str, shown: int = 3) -> str:
    """The most frequent entry with its count out of all ("attachment → relational, 3 of 4 errors").

    A tie lists every leader ("tie: A; B, 2 each of 5 errors"), and an entry seen once is never
    named as *the* most frequent: one error is "one error only: ...", several different ones are
    "no repeated error: 3 different (...)". Empty when there is nothing to count.
    """
    total = sum(counts.values())
    if not total:
        return ""
    top = max(counts.values())
    leaders = sorted(entry for entry, n in counts.items() if n == top)
    if total == 1:
        return f"one {noun} only: {leaders[0]}"
    if top == 1:
        listed = "; ".join(leaders[:shown]) + ("; ..." if len(leaders) > shown else "")
        return f"no repeated {noun}: {total} different ({listed})"
    if len(leaders) == 1:
        return f"{leaders[0]}, {top} of {total} {noun}s"
    return f"tie: {'; '.join(leaders)}, {top} each of {total} {noun}s"


def confusion_text(expected: Sequence[str], given: Sequence[str]) -> str:
    """A trainee's most frequent confusion (expert label → answer), with counts and ties."""
    wrong = Counter(f"{name(e)} \u2192 {name(g)}" for e, g in zip(expected, given, strict=True) if e != g)
    return most_frequent(wrong, "error")


def kappa_band(kappa: float) -> str:
    """Landis and Koch's name for a kappa value: below 0 "poor", then slight to almost perfect."""
    if math.isnan(kappa):
        return "undefined"
    if kappa < 0:
        return "poor"
    return next(name for upper, name in KAPPA_BANDS if kappa <= upper)


def balanced(expected: Sequence[str]) -> bool:
    """Whether every label appears equally often in the key, so that for anyone who answers every item
    chance agreement is 1/k and kappa is exactly (agreement - 1/k) / (1 - 1/k)."""
    counts = Counter(expected)
    return len(counts) > 1 and len(set(counts.values())) == 1


def agreement_interval(right: int, items: int) -> Interval:
    """The exact (Clopper-Pearson) 95% interval of the share of items a trainee gets right."""
    found = binomtest(right, items).proportion_ci(confidence_level=CONFIDENCE_LEVEL, method="exact")
    return Interval(float(found.low), float(found.high))


def _kappa_vectorised(expected: np.ndarray, given: np.ndarray, axis: int = -1) -> np.ndarray:
    """Cohen's kappa of integer-coded answers along ``axis`` (many resamples at once).

    A resample holding one label only, answered as that label throughout, has chance agreement 1 and
    no defined kappa; it counts as 1 (its agreement is perfect). With 20 items it is vanishingly rare.
    """
    expected, given = np.moveaxis(expected, axis, -1), np.moveaxis(given, axis, -1)
    categories = np.arange(max(int(expected.max()), int(given.max())) + 1)
    observed = (expected == given).mean(axis=-1)
    chance = (
        (expected[..., None] == categories).mean(axis=-2) * (given[..., None] == categories).mean(axis=-2)
    ).sum(-1)
    undefined = chance >= 1 - 1e-12
    return np.where(undefined, 1.0, (observed - chance) / np.where(undefined, 1.0, 1 - chance))


def kappa_interval(expected: Sequence[str], given: Sequence[str], seed: int = SEED) -> Interval:
    """A percentile bootstrap 95% interval of Cohen's kappa, resampling items with their key labels."""
    if len(expected) < 2:
        return Interval(math.nan, math.nan)
    codes = {answer: code for code, answer in enumerate(dict.fromkeys([*expected, *given]))}
    data = (np.array([codes[e] for e in expected]), np.array([codes[g] for g in given]))
    found = bootstrap(data, _kappa_vectorised, paired=True, vectorized=True, n_resamples=RESAMPLES,
                      confidence_level=CONFIDENCE_LEVEL, method="percentile", rng=np.random.default_rng(seed))  # fmt: skip
    return Interval(float(found.confidence_interval.low), float(found.confidence_interval.high))


def decide(agreement: Interval, kappa: Interval, mastery: Mastery) -> str:
    """Met, not met, or not yet decidable, from where both intervals lie against their lines."""
    sides = [agreement.against(mastery.agreement), kappa.against(mastery.kappa)]
    if False in sides:
        return NOT_MET
    return MET if all(sides) else UNDECIDED


def trainee_stats(
    responses: Sequence[Response], mastery: Mastery, labels: Sequence[str] = LABELS
) -> list[TraineeStats]:
    """Per trainee, over sorting items: agreement and kappa with intervals, top confusion, decision."""
    stats = []
    for trainee, mine in sorted(_by_trainee(responses).items()):
        expected = [r.expected for r in mine]
        given = [r.answer for r in mine]
        right = sum(e == g for e, g in zip(expected, given, strict=True))
        agreement = right / len(mine)
        kappa = float(cohen_kappa_score(expected, given, labels=[*labels, NO_ANSWER]))
        intervals = agreement_interval(right, len(mine)), kappa_interval(expected, given)
        below = agreement < mastery.agreement or not kappa >= mastery.kappa
        stats.append(TraineeStats(
            trainee, sum(r.points for r in mine), sum(r.max_points for r in mine), agreement,
            decide(*intervals, mastery), items=len(mine), answered=sum(g != NO_ANSWER for g in given),
            agreement_interval=intervals[0], kappa=kappa, kappa_interval=intervals[1], band=kappa_band(kappa),
            confusion=confusion_text(expected, given), below_line=below,
        ))  # fmt: skip
    return stats


def points_stats(
    responses: Sequence[Response], written: Mapping[str, Mapping[str, float | None]],
    written_max: Mapping[str, float], mastery: Mastery,
) -> list[TraineeStats]:  # fmt: skip
    """Per trainee, for assignments without sorting items: points, hand-graded ones included.

    Mastery is a pass mark on all the points (``mastery.agreement`` of them), not an estimate from a
    sample of cases, so it has no interval; while written answers wait for grading it is decided only
    when the points still to come cannot change it.
    """
    stats = []
    full = sum(written_max.values())
    for trainee, mine in sorted(_by_trainee(responses).items()):
        scores = {grade_id: written.get(trainee, {}).get(grade_id) for grade_id in written_max}
        points = sum(r.points for r in mine) + sum(s for s in scores.values() if s is not None)
        maximum = sum(r.max_points for r in mine) + full
        pending = sum(written_max[g] for g, s in scores.items() if s is None)
        if points / maximum >= mastery.agreement:
            decision = MET
        elif (points + pending) / maximum < mastery.agreement:
            decision = NOT_MET
        else:
            decision = WAITING
        stats.append(TraineeStats(
            trainee, points, maximum, sum(r.answer == r.expected for r in mine) / len(mine), decision,
            items=len(mine), answered=sum(r.answer != NO_ANSWER for r in mine),
            below_line=points / (maximum - pending) < mastery.agreement,  # on what is graded so far
            missed=[(r.item, r.answer, r.expected) for r in mine if r.answer != r.expected], written=scores,
        ))  # fmt: skip
    return stats


def _by_trainee(responses: Sequence[Response]) -> dict[str, list[Response]]:
    found: dict[str, list[Response]] = {}
    for response in responses:
        found.setdefault(response.trainee, []).append(response)
    return found


@dataclass
class ItemStats:
    item: str
    expected: str
    proportion_correct: float
    common_wrong: str
    discrimination: float
    n: int


def item_stats(responses: Sequence[Response]) -> list[ItemStats]:
    """Per item: proportion correct, the most common wrong answer (with counts and ties), discrimination.

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
        wrong = Counter(name(r.answer) for r in mine if r.answer != r.expected)
        stats.append(ItemStats(item, mine[0].expected, float(right.mean()), most_frequent(wrong, "wrong answer"),
                               discrimination, len(mine)))  # fmt: skip
    return stats


def brier(responses: Sequence[Response]) -> float | None:
    """The cohort's Brier score over rated answers (None when nobody rated their confidence)."""
    rated = [r for r in responses if r.confidence is not None]
    if not rated:
        return None
    return float(brier_score_loss([r.answer == r.expected for r in rated], [r.confidence for r in rated]))
