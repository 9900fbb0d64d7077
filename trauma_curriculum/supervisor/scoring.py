"""Scoring an answer against the key: in the grader's own process, never in a trainee's kernel.

Partial credit for sorting (``partial: layers`` in a key): "both" shares one layer with "attachment" and
one with "relational", so naming one of the two layers of a layered history, or calling a single-layer
history "both", earns half. A grading choice of this curriculum, stated in the README; the practice
sorter's feedback follows the same rule (:data:`trauma_curriculum.core.answers.LAYER_CREDIT`). A wrong
or unreadable answer earns 0 and never raises.
"""

from __future__ import annotations

from ..core.answers import LAYER_CREDIT, InvalidAnswer, normalise
from .keys import Key


def score(key: Key, question: str, answer: object) -> float:
    """Points earned by ``answer`` (as typed) to ``question`` of ``key``."""
    item = key.questions[question]
    try:
        given = normalise(item.kind, answer)
    except InvalidAnswer:
        return 0.0
    expected = key.answer(question)
    if given == expected:
        return float(item.points)
    if item.partial == "layers":
        return float(item.points) * LAYER_CREDIT.get((expected, given), 0.0)
    return 0.0
