"""Stable facade: what graded notebooks load.

``%load_ext trauma_curriculum.answers`` (the locked setup cell of every assignment) registers the
``%%answer`` cell magic, whose body is the trainee's free text, and :func:`check`, the visible check under
each answer. Nothing here scores: scoring happens in the grader's own process
(:mod:`trauma_curriculum.supervisor.preprocessors.scores`), which reads the same cell text.
"""

from __future__ import annotations

import sys

from .core.answers import MAGIC, InvalidAnswer, normalise, read_answer_cell

__all__ = ["InvalidAnswer", "check", "load_ipython_extension", "normalise"]

#: The answer cells' text, by question name, as the magic last saw it in this kernel.
_TYPED: dict[str, str] = {}


def _answer_magic(line: str, cell: str) -> None:
    """``%%answer item01``: keep the cell's text as the answer to item01 (nothing is evaluated)."""
    name = line.strip().split()[0] if line.strip() else ""
    if name:
        _TYPED[name] = cell


def load_ipython_extension(ipython) -> None:
    """Register ``%%answer`` (what ``%load_ext trauma_curriculum.answers`` calls)."""
    ipython.register_magic_function(_answer_magic, magic_kind="cell", magic_name=MAGIC.removeprefix("%%"))


def check(name: str, kind: str, rated: bool = False) -> None:
    """The visible check: one line saying whether the answer above can be graded (never whether it is
    right); on stderr when it cannot, so that *Validate* lists it."""
    if name not in _TYPED:
        print(f"{name}: the answer cell above has not run yet; choose Run \u2192 Run All Cells.", file=sys.stderr)
        return
    reading = read_answer_cell(name, kind, _TYPED[name], rated)
    print(reading.message, file=sys.stdout if reading.status == "valid" else sys.stderr)
