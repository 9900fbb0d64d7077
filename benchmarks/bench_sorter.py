"""How fast the sorter answers a click with the whole practice bank loaded (run: make bench).

A trainee should feel no delay: the target is well under 100 ms per click. These are measurements,
not pass/fail tests; the figures go in the issue notes.
"""

from trauma_curriculum.core.paths import bank_dir
from trauma_curriculum.core.vignettes import PRACTICE_PREFIX, _load_bank, load_bank
from trauma_curriculum.teaching.sorter import VignetteSorter


def _fresh_sorter():
    sorter = VignetteSorter.full(confidence=True)
    return (sorter,), {}


def _check_click(sorter):
    sorter.bins[sorter.current.label].click()
    sorter.check_button.click()


def _check_then_next(sorter):
    _check_click(sorter)
    sorter.next_button.click()


def test_load_bank(benchmark):
    bank = benchmark(_load_bank.__wrapped__, bank_dir(), PRACTICE_PREFIX)  # uncached: a first load
    assert len(bank) >= 60


def test_build_full_sorter(benchmark):
    sorter = benchmark(VignetteSorter.full)
    assert len(sorter.order) == len(load_bank())


def test_choose_and_check_click(benchmark, record):
    benchmark.pedantic(_check_click, setup=_fresh_sorter, rounds=30)
    record("sorter: choose and Check, full bank", benchmark.stats.stats.median, target="under 50 ms")


def test_check_then_next_click(benchmark, record):
    benchmark.pedantic(_check_then_next, setup=_fresh_sorter, rounds=30)
    record("sorter: Check then Next, full bank", benchmark.stats.stats.median, target="under 50 ms")


def _at_last_card():
    """A sorter whose last card has just been checked: the next click ends the set."""
    sorter = VignetteSorter.full(confidence=True, limit=15)
    while sorter.session.position < len(sorter.order) - 1:
        _check_then_next(sorter)
    _check_click(sorter)
    return (sorter,), {}


def test_last_next_click_shows_the_summary(benchmark):
    """The click after the last card: the summary text appears; its figures are drawn in the background."""
    benchmark.pedantic(lambda sorter: sorter.next_button.click(), setup=_at_last_card, rounds=10)


def test_summary_figures_drawn_in_the_background(benchmark):
    """How long after that click the two summary figures (confusion matrix, calibration) appear."""

    def click_and_wait(sorter):
        sorter.next_button.click()
        sorter.wait_for_summary()

    benchmark.pedantic(click_and_wait, setup=_at_last_card, rounds=10)
