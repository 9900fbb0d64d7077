"""The assessment blueprint (answer-keys/blueprint.yaml): every objective of every module is assessed.

The objectives are read from the modules as committed, so a module that changes an objective without
changing the blueprint fails here; every item the blueprint names must exist in a self-check or in a
graded assignment's key, and every self-check question and A1 item must assess some objective.
"""

from __future__ import annotations

import copy
import re

import nbformat
import pytest
import yaml

from conftest import ROOT
from trauma_curriculum.core.content import CONTENT_DIR, load_self_check
from trauma_curriculum.core.curriculum import MODULES
from trauma_curriculum.supervisor.keys import load_key

KEYS = ROOT / "answer-keys"
ASSIGNMENTS = sorted(path.name for path in (ROOT / "source").iterdir() if path.is_dir())


def plain(text: str) -> str:
    return " ".join(text.split()).rstrip(";.")


def objectives(module: str) -> list[str]:
    """A module's "Learning objectives" bullets, as the trainee reads them."""
    (path,) = (ROOT / "notebooks").glob(f"{module}-*.ipynb")
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and "## Learning objectives" in cell.source:
            listed = cell.source.split("## Learning objectives", 1)[1]
            return [plain(item) for item in re.findall(r"^- (.*(?:\n  .*)*)", listed, re.MULTILINE)]
    raise AssertionError(f"{path.name}: no Learning objectives")


def known_items() -> set[str]:
    """Every item a blueprint may name: self-check questions, key questions and written answers, and
    ``<assignment>:label=<label>`` for each expert label among an assignment's sorted items."""
    items = set()
    for path in CONTENT_DIR.glob("selfcheck-*.yaml"):
        module = path.stem.removeprefix("selfcheck-")
        items |= {f"selfcheck-{module}:{k}" for k in range(1, len(load_self_check(module)) + 1)}
    for assignment in ASSIGNMENTS:
        key = load_key(assignment, KEYS)
        items |= {f"{assignment}:{name}" for name in [*key.questions, *key.written]}
        items |= {f"{assignment}:label={key.answer(name)}" for name in key.vignettes}
    return items


def problems(blueprint: dict, items: set[str]) -> list[str]:
    """One line per way the blueprint fails the curriculum (empty when it is complete and correct)."""
    found = []
    listed = blueprint.get("modules") or {}
    if sorted(listed) != sorted(MODULES):
        found.append(f"modules: the blueprint lists {sorted(listed)}; the curriculum has {sorted(MODULES)}")
    for module in MODULES:
        entries = listed.get(module) or []
        stated = [plain(entry.get("objective", "")) for entry in entries]
        if stated != objectives(module):
            found.append(
                f"module {module}: the objectives differ from the module's; copy them from the module"
            )
        for entry in entries:
            assessed = entry.get("assessed_by") or []
            if not assessed:
                found.append(f"module {module}: {entry.get('objective', '')[:50]!r} is assessed by no item")
            found += [f"module {module}: no item {item!r}" for item in assessed if item not in items]
    return found


@pytest.fixture(scope="module")
def blueprint() -> dict:
    return yaml.safe_load((KEYS / "blueprint.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def items() -> set[str]:
    return known_items()


def named(blueprint: dict) -> set[str]:
    return {item for entries in blueprint["modules"].values() for e in entries for item in e["assessed_by"]}


def test_every_objective_of_every_module_is_assessed_by_items_that_exist(blueprint, items):
    assert problems(blueprint, items) == []


def test_the_check_finds_a_changed_objective_an_unassessed_one_and_an_unknown_item(blueprint, items):
    broken = copy.deepcopy(blueprint)
    first, second = broken["modules"]["02"][:2]
    first["objective"] += " and something new"
    second["assessed_by"] = []
    broken["modules"]["03"][0]["assessed_by"].append("selfcheck-03:99")
    del broken["modules"]["07"]
    found = problems(broken, items)
    assert any("module 02: the objectives differ" in line for line in found)
    assert any("module 02:" in line and "assessed by no item" in line for line in found)
    assert "module 03: no item 'selfcheck-03:99'" in found
    assert any(line.startswith("modules:") for line in found)


def test_every_self_check_question_and_a1_item_assesses_some_objective(blueprint, items):
    own = {item for item in items if item.startswith(("selfcheck-", "a1-foundations:"))}
    assert own - named(blueprint) == set()


def test_every_module_is_assessed_by_at_least_one_graded_item(blueprint):
    for module, entries in blueprint["modules"].items():
        graded = [item for e in entries for item in e["assessed_by"] if not item.startswith("selfcheck-")]
        assert graded, f"module {module} is assessed only by its self-check"
