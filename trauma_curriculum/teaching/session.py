"""A sorting session without a screen: which card is up, what was chosen, and what it earned.

The sorter's widgets (:mod:`.sorter`) only show what this model holds, so pytest can drive the logic
directly and the same rules apply in JupyterLab, Voila and tests. Credit follows the graded
assignments' rule (:data:`~trauma_curriculum.core.answers.LAYER_CREDIT`): naming one layer of a layered
history, or calling a single-layer history "both", earns half, in practice as in grading.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from ..core.answers import LAYER_CREDIT
from ..core.labels import LABELS
from ..core.vignettes import Vignette


class Deck:
    """Items shown one at a time: choose, check, next. ``answer_of(item)`` gives an item's key."""

    def __init__(self, items: Sequence, answer_of=lambda item: item.answer):
        if not items:
            raise ValueError("no items to show")
        self.items = tuple(items)
        self._answer_of = answer_of
        self.reset()

    def reset(self) -> None:
        self.position = 0
        self.choice: str | None = None
        self.records: list[dict] = []

    @property
    def current(self):
        """The item on the card, or None when the deck is finished."""
        return self.items[self.position] if self.position < len(self.items) else None

    @property
    def checked(self) -> bool:
        """Whether the current item has been checked (its feedback is due)."""
        return len(self.records) > self.position

    def credit(self, item, choice: str) -> float:
        """What a choice earns: 1 when it is the key, else 0 (a sorting session allows halves)."""
        return float(choice == self._answer_of(item))

    def choose(self, key: str) -> None:
        if self.current is None or self.checked:
            return
        self.choice = key

    def check(self, **extra) -> dict | None:
        """Record the choice with its credit; returns the record (None when there is nothing to check)."""
        item = self.current
        if item is None or self.choice is None or self.checked:
            return None
        credit = self.credit(item, self.choice)
        record = {"answer": self.choice, "expert": self._answer_of(item), "correct": credit == 1.0,
                  "credit": credit, **extra}  # fmt: skip
        self.records.append(record)
        return record

    def next(self) -> None:
        if self.current is None:
            return
        self.position += 1
        self.choice = None

    @property
    def score(self) -> float:
        return sum(record["credit"] for record in self.records)


class SortingSession(Deck):
    """Vignettes sorted into label bins, in a shuffled order fixed by ``seed``."""

    def __init__(self, vignettes: Sequence[Vignette], labels: Sequence[str] = LABELS, seed: int | None = 0,
                 limit: int | None = None):  # fmt: skip
        unknown = [label for label in labels if label not in LABELS]
        if unknown:
            raise ValueError(f"labels {unknown} are not among the five labels {list(LABELS)}")
        self.labels = tuple(labels)
        chosen = [v for v in vignettes if v.label in self.labels]
        if not chosen:
            raise ValueError(f"no vignettes to sort with the bins {list(self.labels)}")
        if seed is not None:
            random.Random(seed).shuffle(chosen)
        super().__init__(chosen[:limit], answer_of=lambda vignette: vignette.label)

    def credit(self, vignette: Vignette, choice: str) -> float:
        if choice == vignette.label:
            return 1.0
        return LAYER_CREDIT.get((vignette.label, choice), 0.0)

    def choose(self, label: str) -> None:
        if label not in self.labels:
            raise ValueError(f"{label!r} is not a bin here; the bins are {list(self.labels)}")
        super().choose(label)

    def check(self, confidence: float | None = None) -> dict | None:
        vignette = self.current
        if vignette is None:
            return None
        return super().check(id=vignette.id, title=vignette.title, confidence=confidence)

    def label_accuracy(self) -> dict[str, float]:
        """Share of checked items agreed with, per expert label (only labels that came up)."""
        totals = Counter(r["expert"] for r in self.records)
        right = Counter(r["expert"] for r in self.records if r["correct"])
        return {label: right[label] / totals[label] for label in self.labels if totals[label]}

    def modules_to_revisit(self, up_to: str | None = None) -> list[str]:
        """Teaching modules of the missed vignettes, most missed first (module 00 left out, and any
        module after ``up_to``, which the trainee has not reached yet)."""
        by_id = {v.id: v for v in self.items}
        missed = Counter(m for r in self.records if not r["correct"] for m in by_id[r["id"]].modules
                         if m != "00" and (up_to is None or m <= up_to))  # fmt: skip
        return [module for module, _ in sorted(missed.items(), key=lambda item: (-item[1], item[0]))]

    def brier(self) -> float | None:
        """The Brier score of the rated answers (0 is perfect; always 50% scores 0.25), or None."""
        rated = [r for r in self.records if r["confidence"] is not None]
        if not rated:
            return None
        from sklearn.metrics import brier_score_loss  # heavy: imported when a summary needs it

        return float(brier_score_loss([r["correct"] for r in rated], [r["confidence"] for r in rated]))
