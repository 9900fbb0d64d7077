"""Choice questions must not give their keys away: not by the keyed option's length, and not by its letter.

A test-wise trainee who always picks the longest option would otherwise score well without reading the
question. The rule is about one question in three per module and overall (what chance gives with three
or four options), and the fix must not swing the other way and make the key the shortest.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import nbformat
import pytest

from conftest import ROOT
from trauma_curriculum.core.content import CONTENT_DIR, load_self_check
from trauma_curriculum.supervisor.keys import load_key

MODULES = sorted(path.stem.removeprefix("selfcheck-") for path in CONTENT_DIR.glob("selfcheck-*.yaml"))
A1 = "a1-foundations"

Item = tuple[tuple[str, ...], int]  # (options, index of the keyed option)


def keyed_longest(items: list[Item]) -> int:
    """How many items have the keyed option as the longest (a tie counts: it does not hide the key)."""
    return sum(len(options[key]) >= max(map(len, options)) for options, key in items)


def keyed_shortest(items: list[Item]) -> int:
    return sum(len(options[key]) <= min(map(len, options)) for options, key in items)


def allowed(count: int) -> int:
    """About one in three: for 4 questions 1, for 5 to 7 questions 2, for 8 questions 3 (never 0)."""
    return max(1, round(count / 3))


def self_check(module: str) -> list[Item]:
    return [(question.options, question.answer) for question in load_self_check(module)]


def a1_choices() -> list[Item]:
    """A1's multiple-choice questions, read as a trainee sees them (``- **A.** ...`` lines in the prompt)."""
    key = load_key(A1, ROOT / "answer-keys")
    notebook = nbformat.read(ROOT / "source" / A1 / f"{A1}.ipynb", as_version=4)
    prompts = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source for cell in notebook.cells}
    items = []
    for name, question in key.questions.items():
        if question.kind.startswith("choice:"):
            options = re.findall(r"^- \*\*([A-Z])\.\*\* (.+)$", prompts[f"{name}-prompt"], re.MULTILINE)
            letters = [letter for letter, _ in options]
            assert letters == list(question.kind.removeprefix("choice:")), f"{name}: options {letters}"
            items.append((tuple(text for _, text in options), letters.index(key.answer(name))))
    return items


ALL = [item for module in MODULES for item in self_check(module)]


def test_the_checks_catch_a_set_that_leaks_its_keys():
    leaky = [(("short", "the keyed, much longer option"), 1)] * 6
    assert keyed_longest(leaky) == 6 > allowed(6)
    assert keyed_shortest([(("key", "a longer distractor"), 0)] * 4) == 4
    assert keyed_longest([(("same", "size"), 0)]) == 1  # a tie gives the key away too


@pytest.mark.parametrize("module", MODULES)
def test_the_keyed_option_is_rarely_the_longest_in_a_module(module):
    items = self_check(module)
    assert keyed_longest(items) <= allowed(len(items)), (
        f"selfcheck-{module}.yaml: the keyed option is the longest in {keyed_longest(items)} of "
        f"{len(items)} questions; shorten it or lengthen the distractors"
    )


def test_the_keyed_option_is_rarely_the_longest_overall():
    assert keyed_longest(ALL) <= len(ALL) / 3, f"{keyed_longest(ALL)} of {len(ALL)}"


@pytest.mark.parametrize("module", MODULES)
def test_nor_is_it_usually_the_shortest(module):
    items = self_check(module)
    assert keyed_shortest(items) <= math.ceil(len(items) / 2), f"selfcheck-{module}.yaml"


def test_nor_the_shortest_overall():
    assert keyed_shortest(ALL) <= 0.4 * len(ALL), f"{keyed_shortest(ALL)} of {len(ALL)}"


def test_no_letter_holds_most_of_the_keys():
    positions = Counter(key for _, key in ALL)
    assert max(positions.values()) <= len(ALL) / 2, positions


def test_a1_choice_questions_do_not_leak_their_keys_either():
    items = a1_choices()
    assert len(items) >= 4
    assert keyed_longest(items) <= allowed(len(items)), f"A1: {keyed_longest(items)} of {len(items)}"
    assert keyed_shortest(items) <= math.ceil(len(items) / 2)


NUMBERS = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


@pytest.mark.parametrize("module", MODULES)
def test_a_module_that_counts_its_self_check_questions_counts_them_right(module):
    (text_path,) = (ROOT / "notebooks").glob(f"{module}-*.md")
    section = text_path.read_text(encoding="utf-8").split("## Self-check", 1)[1]
    stated = re.match(r"\s*(\w+)", section).group(1).lower()
    if stated in NUMBERS:
        assert NUMBERS[stated] == len(load_self_check(module)), f"{text_path.name} says {stated} questions"
