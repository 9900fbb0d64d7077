"""Keeping the course's generated parts true to their one source (``trauma-curriculum sync``).

- The support block ("Where to find support") of every module, drill and assignment is written from one
  file, ``core/data/support.md``, into the opening cell's content note; teaching notebooks also say
  there how to start their exercises.
- Every written answer's solution in ``source/`` is the key's model answer (one text, not two).
- The sorted items of every sorting assignment (``source/<a>/<a>.ipynb``) are written from its key and the
  assessment pool: a prompt with the vignette's title and text, an answer cell whose solution is the
  vignette's expert label, and a check cell. Nothing of a vignette is pasted by hand.
- Teaching notebooks are edited as MyST markdown (``notebooks/*.md``, ``exercises/*.md``) and paired with
  their ``.ipynb`` by jupytext.

``sync`` writes all of it; ``sync --check`` (what the tests run) only lists what is out of date.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

from ..core.answers import MAGIC
from ..course import keys_dir
from .keys import Key, load_key

SUPPORT_HEAD = "> **Where to find support.**"
#: What a teaching notebook says right after its content note (the exercises need the code to run).
START_LINE = ("**To begin:** choose *Run \u2192 Run All Cells* so that the figures and exercises on this page "
              "appear (a cell that has not run shows only a line of code).")  # fmt: skip
TEACHING = ("notebooks", "exercises")
_ITEM = re.compile(r"^item\d+(first)?-(prompt|answer|check)$")
#: What the release shows in an answer cell where the solution was (``ClearSolutions.code_stub``).
ANSWER_STUB = "answer: "
CONFIDENCE_LINE = "confidence (optional, 0 to 100): "


def support_block() -> str:
    return files("trauma_curriculum.core").joinpath("data", "support.md").read_text(encoding="utf-8").strip()


def with_support(opening: str, teaching: bool) -> str:
    """The opening cell's text with the support block (and, in teaching notebooks, the start line) in place."""
    lines = opening.strip("\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(SUPPORT_HEAD)), None)
    if start is None:  # after the content note's blockquote
        note = next(i for i, line in enumerate(lines) if line.startswith("> **Content note.**"))
        start = next((i for i in range(note, len(lines)) if not lines[i].startswith(">")), len(lines))
        lines[start:start] = [">", "<support>"]
        start += 1
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(">")), len(lines))
    lines[start:end] = support_block().split("\n")
    text = "\n".join(lines)
    if teaching:
        text = text.replace(f"\n\n{START_LINE}", "")
        quote_end = text.index(support_block()) + len(support_block())
        text = text[:quote_end] + f"\n\n{START_LINE}" + text[quote_end:]
    return text


def _grade(cell, grade_id: str, *, solution=False, grade=False, points=None):
    cell.id = grade_id
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": not solution,
                                 "schema_version": 3, "solution": solution, "task": False,
                                 **({"points": points} if points is not None else {})}  # fmt: skip
    return cell


#: The options of every "what comes first?" item: the right one depends on whether the case shows a
#: current risk (B) or not (A); C is never first (trauma-focused therapy follows an assessment).
FIRST_STEP_OPTIONS = (
    ("A", "Carry on with the assessment at the person's pace: who, when and what came before, then agree the "
          "next step with them."),
    ("B", "Assess the current risk now; where someone, a child especially, may be harmed, follow the local "
          "safeguarding or reporting duty; consult a supervisor the same day, before going on."),
    ("C", "Refer for a trauma-focused therapy straight away, before the assessment is complete."),
)  # fmt: skip


def _points(value: float) -> float | int:
    return value if value % 1 else int(value)


def first_step_cells(key: Key, question: str, number: int) -> list:
    """The "what comes first?" item about one sorted item's case."""
    points = key.questions[question].points
    options = "\n".join(f"- **{letter}.** {text}" for letter, text in FIRST_STEP_OPTIONS)
    prompt = (f"**Item {number}, what comes first?** Read the case of item {number} again as the clinician who "
              f"has just heard it. Which of these comes first? Type one letter after `answer:`.\n\n{options}")  # fmt: skip
    return [
        _grade(new_markdown_cell(prompt), f"{question}-prompt"),
        _grade(new_code_cell(f"{MAGIC} {question}\n### BEGIN SOLUTION\nanswer: {key.answer(question)}\n### END SOLUTION"),
               f"{question}-answer", solution=True),
        _grade(new_code_cell(f'check("{question}", "{key.questions[question].kind}")'), f"{question}-check",
               grade=True, points=_points(points)),
    ]  # fmt: skip


def item_cells(key: Key) -> list:
    """The prompt, answer and check cells of every sorted item of ``key``, in key order, each followed by
    its "what comes first?" item where the key has one."""
    firsts = {q.first_step_of: name for name, q in key.questions.items() if q.first_step_of}
    cells = []
    for number, (question, vignette) in enumerate(key.vignettes.items(), start=1):
        points = key.questions[question].points
        cells += [
            _grade(new_markdown_cell(f"## Item {number}: {vignette.title}\n\n{' '.join(vignette.text.split())}"),
                   f"{question}-prompt"),
            _grade(new_code_cell(f"{MAGIC} {question}\n### BEGIN SOLUTION\nanswer: {vignette.label}\n"
                                 f"### END SOLUTION\n{CONFIDENCE_LINE}"), f"{question}-answer", solution=True),
            _grade(new_code_cell(f'check("{question}", "label", rated=True)'), f"{question}-check", grade=True,
                   points=_points(points)),
        ]  # fmt: skip
        if question in firsts:
            cells += first_step_cells(key, firsts[question], number)
    return cells


def synced_source(path: Path, keys: Path) -> nbformat.NotebookNode:
    """An assignment's source notebook with its support block and its sorted items regenerated."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source = with_support(notebook.cells[0].source, teaching=False)
    key = load_key(path.parent.name, keys)
    cells = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in notebook.cells}
    for grade_id, written in key.written.items():
        if grade_id not in cells:
            raise ValueError(f"{path}: the key has a written answer {grade_id!r} that the notebook lacks")
        cells[grade_id].source = f"### BEGIN SOLUTION\n{written.model_answer}\n### END SOLUTION"
    if key.vignettes:
        ids = [cell.metadata.get("nbgrader", {}).get("grade_id", "") for cell in notebook.cells]
        first = next((i for i, grade_id in enumerate(ids) if _ITEM.match(grade_id)), None)
        if first is None:
            raise ValueError(f"{path}: a sorting assignment needs item cells to replace (item01-prompt ...)")
        kept = [cell for cell, grade_id in zip(notebook.cells, ids, strict=True) if not _ITEM.match(grade_id)]
        kept[first:first] = item_cells(key)
        notebook.cells = kept
    return notebook


def _write_if_changed(path: Path, text: str, check: bool, stale: list[str]) -> None:
    if path.read_text(encoding="utf-8") != text:
        stale.append(str(path))
        if not check:
            path.write_text(text, encoding="utf-8")


def sync(root: Path, check: bool = False) -> list[str]:
    """Bring every generated part up to date (or, with ``check``, only list what is stale)."""
    import jupytext

    stale: list[str] = []
    keys = keys_dir(root)
    for path in sorted((root / "source").glob("*/*.ipynb")):
        _write_if_changed(path, nbformat.writes(synced_source(path, keys)) + "\n", check, stale)
    for folder in TEACHING:
        for text_path in sorted((root / folder).glob("*.md")):
            if not text_path.with_suffix(".ipynb").exists():
                continue
            notebook = jupytext.read(text_path)
            notebook.cells[0].source = with_support(notebook.cells[0].source, teaching=True)
            _write_if_changed(text_path, jupytext.writes(notebook, fmt="md:myst"), check, stale)
    pairs = [str(p) for folder in TEACHING for p in sorted((root / folder).glob("*.md"))
             if p.with_suffix(".ipynb").exists()]  # fmt: skip
    if not check and pairs:
        subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", *pairs], check=True, cwd=root)
    return stale
