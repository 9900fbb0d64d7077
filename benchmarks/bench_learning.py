"""Learning that lasts (run: make bench): the unfolding case's answer to a click with every case loaded,
today's review scheduling a simulated fortnight of one trainee, and the gain report on a synthetic cohort.

Measurements, not pass/fail tests. Each saves to a private practice record in a temporary Jupyter data
folder, as a trainee's kernel would, so the click includes writing the answer.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from conftest import median_of
from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.core.vignettes import load_bank
from trauma_curriculum.supervisor.report.gain import counterbalanced, gain_report
from trauma_curriculum.supervisor.report.stats import Response
from trauma_curriculum.teaching.review import plan_review, simulate_days
from trauma_curriculum.teaching.store import PracticeStore
from trauma_curriculum.teaching.unfolding import CaseUnfolding


@pytest.fixture(autouse=True)
def private_jupyter_data(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))


def _drill():
    drill = CaseUnfolding.drill()
    drill.bins[drill.current.label].click()
    drill.check_button.click()  # the first save creates the record: measured clicks are ordinary ones
    drill.next_button.click()
    return (drill,), {}


def _commit(drill):
    drill.bins[drill.current.label].click()
    drill.check_button.click()


def test_unfolding_commit_click(benchmark, record):
    benchmark.pedantic(_commit, setup=_drill, rounds=30)
    record("unfolding case: choose and Check (saved), every case loaded", benchmark.stats.stats.median,
           target="under 50 ms")  # fmt: skip


def test_unfolding_next_stage_click(benchmark, record):
    def setup():
        (drill,), _ = _drill()
        _commit(drill)
        return (drill,), {}

    benchmark.pedantic(lambda drill: drill.next_button.click(), setup=setup, rounds=30)
    record(
        "unfolding case: Next stage, every case loaded", benchmark.stats.stats.median, target="under 50 ms"
    )


START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _answer_of(vignette, day):
    """A trainee who calls attachment cases relational for the first ten days."""
    return ("relational", 0.7) if vignette.label == "attachment" and day < 10 else (vignette.label, 0.8)


def test_review_fortnight(benchmark, record, tmp_path):
    bank = load_bank()
    counter = iter(range(1_000))
    plans = benchmark.pedantic(
        lambda: simulate_days(14, _answer_of, PracticeStore(tmp_path / f"r{next(counter)}.sqlite3"), START, bank),
        rounds=5)  # fmt: skip
    record(
        "review: plan and answer 14 daily sets of 10 (140 answers)",
        benchmark.stats.stats.median,
        target="under 2 s",
    )
    store = PracticeStore(tmp_path / "last.sqlite3")
    simulate_days(14, _answer_of, store, START, bank)
    one_day = benchmark.stats.stats.median / 14
    assert len(plans) == 14 and one_day < 1
    record("review: plan one day after a fortnight", median_of(lambda: plan_review(bank, store.answers(), START), 7),
           target="under 100 ms")  # fmt: skip


def _cohort(trainees: int = 40, seed: int = 1) -> tuple[dict[str, list[Response]], dict[str, str]]:
    chooser = random.Random(seed)
    names = [f"trainee{n:02d}" for n in range(trainees)]
    pairing = counterbalanced(names, "A", "B")
    key = [label for _ in range(4) for label in LABELS]
    responses = {"A": [], "B": []}
    for name in names:
        for sitting, right in ((pairing[name], 0.55), ("B" if pairing[name] == "A" else "A", 0.8)):
            for number, expected in enumerate(key, start=1):
                answer = expected if chooser.random() < right else chooser.choice(LABELS)
                responses[sitting].append(Response(name, f"item{number:02d}", answer, expected,
                                                   float(answer == expected), 1.0))  # fmt: skip
    return responses, pairing


def test_gain_report(benchmark, record):
    responses, pairing = _cohort()
    report = benchmark.pedantic(gain_report, args=(responses, pairing, ("A", "B")), rounds=5)
    assert report.first_counts == {"A": 20, "B": 20}
    record("gain report: 40 trainees, two 20-item forms, 2000 resamples", benchmark.stats.stats.median,
           target="under 2 s")  # fmt: skip
