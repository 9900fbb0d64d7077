"""The package's shape: the journeys' import rules, the stable facades, and the generated parts in sync."""

from __future__ import annotations

import subprocess
import sys

import jupytext
import nbformat
import pytest

from conftest import ROOT

CORE_MODULES = sorted(p.stem for p in (ROOT / "trauma_curriculum" / "core").glob("*.py") if p.stem != "__init__")
SCREEN = ("ipywidgets", "matplotlib", "IPython", "jupyter_client", "nbformat", "nbgrader")


def imported_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    return set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                              cwd=ROOT).stdout.split())  # fmt: skip


def test_core_knows_no_screen():
    loaded = imported_after("; ".join(f"import trauma_curriculum.core.{name}" for name in CORE_MODULES))
    assert not {m for m in loaded if m.split(".")[0] in SCREEN}
    assert not {m for m in loaded if m.startswith(("trauma_curriculum.teaching", "trauma_curriculum.supervisor",
                                                    "trauma_curriculum.workshop"))}  # fmt: skip


def test_teaching_never_imports_the_supervisor_or_the_workshop():
    loaded = imported_after("import trauma_curriculum.notebook")
    assert not {m for m in loaded if m.startswith(("trauma_curriculum.supervisor", "trauma_curriculum.workshop"))}


def test_a_notebook_starts_without_the_heavy_statistics_libraries():
    """sklearn is imported when a chart is drawn, not when a teaching notebook's first cell runs."""
    loaded = imported_after("import trauma_curriculum.notebook")
    assert not {m for m in loaded if m.split(".")[0] in ("sklearn", "scipy")}


def test_the_stable_facades_still_answer_to_their_old_names():
    from trauma_curriculum import answers, grading, notebook

    assert {"VignetteSorter", "SelfCheck", "DefinitionsExplorer", "subset_figure"} <= set(notebook.__all__)
    assert callable(answers.check) and callable(answers.load_ipython_extension)
    assert callable(grading.score)


@pytest.mark.parametrize("text", sorted((ROOT / "notebooks").glob("*.md")) + sorted((ROOT / "exercises").glob("*.md")),
                         ids=lambda p: str(p.relative_to(ROOT)))  # fmt: skip
def test_every_myst_notebook_and_its_ipynb_are_in_sync(text):
    paired = text.with_suffix(".ipynb")
    assert paired.exists(), f"{text.name} has no .ipynb: run make sync"
    ours, theirs = jupytext.read(text), nbformat.read(paired, as_version=4)
    as_cells = lambda nb: [(c.cell_type, c.source, {k: v for k, v in c.metadata.items()}) for c in nb.cells]  # noqa: E731
    assert as_cells(ours) == as_cells(theirs), f"{text.name} and {paired.name} differ: run make sync"


def test_the_generated_parts_are_up_to_date():
    """Support blocks and the sorted items of every sorting assignment come from their one source."""
    result = subprocess.run([sys.executable, "-m", "trauma_curriculum.cli", "sync", "--check"], cwd=ROOT,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_test_file_has_its_own_name():
    """The test folders have no __init__.py, so two test files with one name collide when pytest collects
    them in one process (xdist puts unrelated files on one worker)."""
    names = [path.name for path in (ROOT / "tests").rglob("test_*.py")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
