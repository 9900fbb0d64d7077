"""Stable facade: ``trauma_curriculum.grading.score``, as hidden checks of stored assignments call it.

Assignments generated before scoring moved out of the kernel call ``score(assignment, question, answer)``
in their hidden checks; this keeps that call working until such a course regenerates its release and
regrades (see the README). New code scores with :mod:`trauma_curriculum.supervisor.scoring`.
"""

from __future__ import annotations

from .course import keys_dir
from .supervisor.keys import AnswerKeyError, load_key
from .supervisor.scoring import score as score_against

__all__ = ["AnswerKeyError", "score"]


def score(assignment: str, question: str, answer: object) -> float:
    """Points earned by ``answer`` to ``question`` of ``assignment``, from the course's answer keys."""
    key = load_key(assignment, keys_dir())
    if question not in key.questions:
        raise AnswerKeyError(f"{key.path}: no question {question!r}")
    return score_against(key, question, answer)
