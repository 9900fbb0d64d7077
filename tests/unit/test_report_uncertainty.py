"""The report's 95% intervals and mastery decisions, worked by hand on a tiny cohort.

Three trainees sort ten vignettes (two per label). By hand means without the library the report uses:
the Clopper-Pearson bounds are checked through the binomial tail they are defined by (math.comb), and
the bootstrap interval of kappa against the *exact* bootstrap distribution, enumerated over every way
of drawing ten items with replacement (grouped by how many of each kind of answer a draw holds, with
multinomial weights), of which the report's 9,999 seeded resamples are a Monte Carlo estimate.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest

from trauma_curriculum.supervisor.report.stats import (
    MET,
    NOT_MET,
    UNDECIDED,
    Interval,
    Mastery,
    Response,
    agreement_interval,
    decide,
    kappa_interval,
    trainee_stats,
)

KEY = ["attachment", "relational", "both", "not_relational", "insufficient_information"] * 2
ANSWERS = {
    "ada": list(KEY),  # all ten right
    "bo": ["relational", "relational", "both", "not_relational", "insufficient_information"] * 2,  # 8 of 10
    "di": ["relational"] * 10,  # 2 of 10
}


def kappa_by_hand(expected: list[str], given: list[str]) -> float:
    """Cohen's kappa from its definition; a draw of one label only, matched throughout, counts as 1."""
    n = len(expected)
    observed = sum(e == g for e, g in zip(expected, given, strict=True)) / n
    e_counts, g_counts = Counter(expected), Counter(given)
    chance = sum(e_counts[c] * g_counts[c] for c in set(expected) | set(given)) / n**2
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def binomial_tail(n: int, p: float, at_least: int) -> float:
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(at_least, n + 1))


def exact_bootstrap(expected: list[str], given: list[str]) -> dict[float, float]:
    """kappa -> probability over every resample of the items (with replacement), enumerated exactly."""
    kinds = Counter(zip(expected, given, strict=True))
    pairs, n = list(kinds), len(expected)
    found: Counter = Counter()
    for cuts in itertools.combinations(range(n + len(pairs) - 1), len(pairs) - 1):  # stars and bars
        counts = [b - a - 1 for a, b in zip((-1, *cuts), (*cuts, n + len(pairs) - 1), strict=True)]
        weight = math.factorial(n) / math.prod(math.factorial(c) for c in counts)
        weight *= math.prod((kinds[p] / n) ** c for p, c in zip(pairs, counts, strict=True))
        drawn = [p for p, c in zip(pairs, counts, strict=True) for _ in range(c)]
        found[round(kappa_by_hand([e for e, _ in drawn], [g for _, g in drawn]), 12)] += weight
    return dict(found)


def quantile(distribution: dict[float, float], q: float) -> float:
    total = 0.0
    for value in sorted(distribution):
        total += distribution[value]
        if total >= q:
            return value
    return max(distribution)


def test_agreement_intervals_are_the_exact_binomial_bounds():
    low, high = agreement_interval(8, 10).low, agreement_interval(8, 10).high
    assert (low, high) == pytest.approx((0.4439, 0.9748), abs=1e-4)  # pinned
    assert binomial_tail(10, low, 8) == pytest.approx(0.025)  # P(8 or more right | low) = 2.5%
    assert 1 - binomial_tail(10, high, 9) == pytest.approx(0.025)  # P(8 or fewer right | high) = 2.5%
    # all right: the lower bound is 0.025 ** (1/n), below 80% for ten items, above it for twenty
    assert (
        agreement_interval(10, 10).low == pytest.approx(0.025 ** (1 / 10)) == pytest.approx(0.6915, abs=1e-4)
    )
    assert (
        agreement_interval(20, 20).low == pytest.approx(0.025 ** (1 / 20)) == pytest.approx(0.8316, abs=1e-4)
    )
    assert agreement_interval(2, 10).high == pytest.approx(0.5561, abs=1e-4)


def test_kappa_interval_matches_the_exact_bootstrap_distribution():
    exact = exact_bootstrap(KEY, ANSWERS["bo"])
    assert sum(exact.values()) == pytest.approx(1.0)
    by_hand = quantile(exact, 0.025), quantile(exact, 0.975)
    assert by_hand == pytest.approx((0.4186, 1.0), abs=1e-4)  # 20 of 43 kappa 0.42; no error drawn: 1.0
    found = kappa_interval(KEY, ANSWERS["bo"])
    assert (found.low, found.high) == pytest.approx(by_hand, abs=0.03)  # Monte Carlo, 9,999 resamples
    assert (found.low, found.high) == pytest.approx((17 / 42, 1.0), abs=1e-9)  # pinned by the fixed seed
    assert kappa_interval(KEY, ANSWERS["bo"]) == found  # the same page every time


def test_kappa_interval_at_the_edges():
    assert kappa_interval(KEY, ANSWERS["ada"]) == Interval(1.0, 1.0)  # no error to resample
    assert kappa_interval(KEY, ANSWERS["di"]) == Interval(
        0.0, 0.0
    )  # one answer for everything: never beyond chance
    assert math.isnan(kappa_interval(["both"], ["both"]).low)


def test_decisions_on_the_tiny_cohort():
    cohort = [Response(t, f"item{i:02d}", a, KEY[i], float(a == KEY[i]), 1.0)
              for t, answers in ANSWERS.items() for i, a in enumerate(answers)]  # fmt: skip
    stats = {s.trainee: s for s in trainee_stats(cohort, Mastery())}
    # ada: kappa 1 (interval 1 to 1) but agreement 0.69 to 1 straddles 80%: ten items cannot show it
    assert stats["ada"].decision == UNDECIDED and not stats["ada"].needs_help
    # bo: kappa 0.75 by hand, interval 0.40 to 1, agreement 0.44 to 0.97: both straddle their lines;
    # bo's own figures sit on the lines (80%, 0.75), so bo is not listed as needing help
    assert stats["bo"].kappa == pytest.approx(kappa_by_hand(KEY, ANSWERS["bo"])) == pytest.approx(0.75)
    assert stats["bo"].decision == UNDECIDED and not stats["bo"].needs_help
    assert stats["bo"].confusion == "attachment \u2192 relational, 2 of 2 errors"
    # di: agreement at most 0.56: decided, not met
    assert stats["di"].decision == NOT_MET and stats["di"].needs_help


@pytest.mark.parametrize(("agreement", "kappa", "decision"), [
    (Interval(0.83, 1.0), Interval(0.75, 1.0), MET),
    (Interval(0.83, 1.0), Interval(0.65, 1.0), UNDECIDED),
    (Interval(0.70, 0.95), Interval(0.75, 1.0), UNDECIDED),
    (Interval(0.40, 0.79), Interval(0.65, 1.0), NOT_MET),
    (Interval(0.83, 1.0), Interval(0.30, 0.69), NOT_MET),
    (Interval(0.83, 1.0), Interval(math.nan, math.nan), UNDECIDED),
])  # fmt: skip
def test_a_decision_needs_both_intervals_clear_of_their_lines(agreement, kappa, decision):
    assert decide(agreement, kappa, Mastery(agreement=0.80, kappa=0.70)) == decision
