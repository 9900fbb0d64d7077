"""Today's review: the practice bank scheduled by FSRS, weighted towards the labels this trainee confuses.

Retrieval spaced over days helps learning last (Larsen, Butler & Roediger, 2009, with residents), and
mixing similar categories helps people tell them apart while dissimilar ones are learnt as well in blocks
(Carvalho & Goldstone, 2014); Monteiro et al. (2017) found no benefit of interleaving in one clinical
setting, so the progress page measures accuracy on interleaved and blocked cards rather than assuming.

How a day's set is chosen, from the trainee's private record (:mod:`.store`):

1. Every answer to a practice-bank vignette (in the sorter or here) is replayed through the FSRS
   scheduler (the ``fsrs`` package): a miss rates *Again*, half a point or a right answer held with
   little confidence *Hard*, a right answer *Good*, a right answer at 90% or more *Easy*. Fuzzing is off,
   so replaying the same record always gives the same schedule.
2. Cards due now come first, those of the most confused labels before others; new cards fill the rest
   of the set, drawn with weights that grow with how often each label is part of a confusion.
3. The cards of the pair confused most are interleaved (A, B, A, B ...); the others come in blocks of one
   label each. Each card carries the reason it is in today's set, told after it is answered (told before,
   it would give the answer away).
"""

from __future__ import annotations

import html
import random
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import zip_longest

import ipywidgets as widgets
from fsrs import Card, Rating, Scheduler

from ..core.labels import LABELS, plain_name
from ..core.vignettes import Vignette, load_bank
from .deck import Prose
from .sorter import VignetteSorter
from .store import Answer, PracticeStore, default_store, utc_now

#: Answers to practice-bank vignettes that count as reviews of them.
SCHEDULED_SOURCES = ("sorter", "review")
#: Answers that show which labels a trainee confuses (an unfolding stage too: naming a label too early is
#: a confusion with insufficient information).
LABEL_SOURCES = ("sorter", "review", "unfolding")
SESSION_SIZE = 10
#: How much more likely a new card of the most confused labels is drawn than one of a label never confused.
CONFUSION_WEIGHT = 4.0


def rating(answer: Answer) -> Rating:
    """What an answer tells the scheduler about how well the card was known."""
    if answer.credit <= 0:
        return Rating.Again
    if answer.credit < 1 or (answer.confidence is not None and answer.confidence < 0.5):
        return Rating.Hard
    if answer.confidence is not None and answer.confidence >= 0.9:
        return Rating.Easy
    return Rating.Good


def _scheduler() -> Scheduler:
    return Scheduler(enable_fuzzing=False)  # a replayed record must give the same schedule every time


def card_states(answers: Sequence[Answer], ids: set[str]) -> dict[str, tuple[Card, Answer]]:
    """Each answered vignette's FSRS card after replaying its answers in order, with its last answer."""
    scheduler = _scheduler()
    states: dict[str, tuple[Card, Answer]] = {}
    for answer in sorted(answers, key=lambda a: a.at):
        if answer.source not in SCHEDULED_SOURCES or answer.item not in ids:
            continue
        card = states[answer.item][0] if answer.item in states else Card(card_id=zlib.crc32(answer.item.encode()),
                                                                         due=answer.at)  # fmt: skip
        card, _ = scheduler.review_card(card, rating(answer), answer.at)
        states[answer.item] = (card, answer)
    return states


def confusions(answers: Sequence[Answer]) -> Counter:
    """How often each pair of labels (sorted) was mixed up, over every label answer saved."""
    return Counter(tuple(sorted((a.expert, a.answer))) for a in answers
                   if a.source in LABEL_SOURCES and a.expert in LABELS and a.answer in LABELS and a.expert != a.answer)  # fmt: skip


def label_weights(mixed: Counter) -> dict[str, float]:
    """1 for a label never confused, up to 1 + CONFUSION_WEIGHT for the label most often confused."""
    involved = Counter()
    for (first, second), count in mixed.items():
        involved[first] += count
        involved[second] += count
    top = max(involved.values(), default=0)
    return {label: 1 + (CONFUSION_WEIGHT * involved[label] / top if top else 0) for label in LABELS}


def top_pair(mixed: Counter) -> tuple[tuple[str, str], int] | None:
    """The pair confused most (ties: in teaching order), with its count."""
    if not mixed:
        return None
    order = {label: index for index, label in enumerate(LABELS)}
    pair, count = min(mixed.items(), key=lambda item: (-item[1], [order[label] for label in item[0]]))
    return tuple(sorted(pair, key=order.get)), count


@dataclass(frozen=True)
class ReviewCard:
    """One card of today's set: why it is here (``kind``: missed, spaced or new) and how it is placed."""

    vignette: Vignette
    kind: str
    reason: str  # told after the answer: it may name the label
    mode: str  # interleaved or blocked

    @property
    def hint(self) -> str:
        """What the card says before it is answered (nothing that gives the label away)."""
        return {"missed": "Due again: you missed this one before.", "spaced": "Due: spaced out after a right answer.",
                "new": "New today."}[self.kind]  # fmt: skip


@dataclass(frozen=True)
class ReviewPlan:
    cards: tuple[ReviewCard, ...]
    due_total: int
    pair: tuple[tuple[str, str], int] | None
    next_due: datetime | None

    def lines(self) -> list[str]:
        """What is due and why, in plain sentences (HTML-safe)."""
        kinds = Counter(card.kind for card in self.cards)
        if not self.cards:
            when = (
                f" The next card falls due on {self.next_due:%A %d %B at %H:%M} (UTC)."
                if self.next_due
                else ""
            )
            return [f"Nothing is due today, and every card in the bank has been practised.{when}"]
        lines = []
        due = kinds["missed"] + kinds["spaced"]
        if self.due_total:
            lines.append(f"{self.due_total} card{'s are' if self.due_total != 1 else ' is'} due: "
                         f"{kinds['missed']} you missed before (a miss brings a card back sooner) and "
                         f"{kinds['spaced']} spaced out after a right answer, timed for when it is likely to fade."
                         + (f" Today's set takes the first {due}; the rest wait for the next session."
                            if self.due_total > due else ""))  # fmt: skip
        if kinds["new"]:
            lines.append(f"{kinds['new']} new card{'s fill' if kinds['new'] != 1 else ' fills'} the rest of the set"
                         + (", drawn more often from the labels you confuse." if self.pair else "."))  # fmt: skip
        if self.pair:
            (first, second), count = self.pair
            lines.append(f"The pair you confuse most is {plain_name(first)} and {plain_name(second)} ({count} "
                         f"time{'s' if count != 1 else ''}). Their cards come interleaved, mixed one with the other, "
                         "so you practise telling them apart; the other cards come in blocks of one label.")  # fmt: skip
        else:
            lines.append("No confusions are recorded yet, so the cards come in blocks of one label; once you mix two "
                         "labels up, their cards will be interleaved to help you tell them apart.")  # fmt: skip
        if self.next_due:
            lines.append(f"After today's set, the next card falls due on {self.next_due:%A %d %B} (UTC).")
        return lines


def _weighted_sample(
    items: list[Vignette], weights: dict[str, float], k: int, chooser: random.Random
) -> list[Vignette]:
    """``k`` items without replacement, each drawn with its label's weight (Efraimidis and Spirakis)."""
    keyed = sorted(items, key=lambda v: chooser.random() ** (1 / weights[v.label]), reverse=True)
    return keyed[:k]


def _ordered(cards: list[ReviewCard], pair: tuple[str, str] | None) -> tuple[ReviewCard, ...]:
    """The confused pair's cards interleaved first, then the other cards in blocks of one label."""
    by_label: dict[str, list[ReviewCard]] = {label: [] for label in LABELS}
    for card in cards:
        by_label[card.vignette.label].append(card)
    ordered: list[ReviewCard] = []
    if pair:
        first, second = sorted(pair, key=lambda label: -len(by_label[label]))
        mixed = [c for couple in zip_longest(by_label.pop(first), by_label.pop(second)) for c in couple if c]
        ordered += [ReviewCard(c.vignette, c.kind, c.reason, "interleaved") for c in mixed]
    for block in by_label.values():
        ordered += [ReviewCard(c.vignette, c.kind, c.reason, "blocked") for c in block]
    return tuple(ordered)


def plan_review(bank: Sequence[Vignette], answers: Sequence[Answer], now: datetime, size: int = SESSION_SIZE,
                seed: int = 0) -> ReviewPlan:  # fmt: skip
    """Today's set: due cards first (the most confused labels before others), then new cards, ordered."""
    by_id = {v.id: v for v in bank}
    states = card_states(answers, set(by_id))
    mixed = confusions(answers)
    weights = label_weights(mixed)
    pair = top_pair(mixed)
    due = sorted((item for item, (card, _) in states.items() if card.due <= now),
                 key=lambda item: (-weights[by_id[item].label], states[item][0].due))  # fmt: skip
    cards = []
    for item in due[:size]:
        last = states[item][1]
        if last.correct:
            cards.append(ReviewCard(by_id[item], "spaced", f"You got this one right on {last.at:%d %B}; the scheduler "
                                    "spaced it out to now, when it is likely to start fading.", ""))  # fmt: skip
        else:
            cards.append(ReviewCard(by_id[item], "missed", f"On {last.at:%d %B} you answered {plain_name(last.answer)}; "
                                    f"the key is {plain_name(last.expert)}. A miss brings a card back sooner.", ""))  # fmt: skip
    chooser = random.Random(seed * 100_003 + now.date().toordinal())  # the same set all day
    unseen = [v for v in bank if v.id not in states]
    for vignette in _weighted_sample(unseen, weights, size - len(cards), chooser):
        in_pair = pair is not None and vignette.label in pair[0]
        reason = (f"New: a card from the pair you confuse most ({plain_name(pair[0][0])} and "
                  f"{plain_name(pair[0][1])})." if in_pair else "New: not practised yet.")  # fmt: skip
        cards.append(ReviewCard(vignette, "new", reason, ""))
    chosen = {card.vignette.id for card in cards}
    # the next card due after today's set (a card in today's set is due again only once it is answered)
    upcoming = [card.due for item, (card, _) in states.items() if item not in chosen and card.due > now]
    return ReviewPlan(_ordered(cards, pair[0] if pair else None), len(due), pair, min(upcoming, default=None))


class ReviewSorter(VignetteSorter):
    """The sorter over today's set, in the plan's order; each answer is saved with its placing."""

    practice_source = "review"

    def __init__(self, plan: ReviewPlan, store: PracticeStore):
        self.plan, self.practice_store = plan, store
        self._cards = {card.vignette.id: card for card in plan.cards}
        super().__init__([card.vignette for card in plan.cards], confidence=True, seed=None, workshop=False,
                         title="Today's review")  # fmt: skip

    def practice_fields(self, record: dict) -> dict:
        return {"mode": self._cards[record["id"]].mode}

    def card_html(self, vignette: Vignette, record: dict | None) -> str:
        card = self._cards[vignette.id]
        return f"<p><i>{html.escape(card.hint)}</i></p>" + super().card_html(vignette, record)

    def feedback_html(self, vignette: Vignette, record: dict | None) -> str:
        card = self._cards[vignette.id]
        return (super().feedback_html(vignette, record)
                + f"<p><b>Why this card today:</b> {html.escape(card.reason)}</p>")  # fmt: skip


class TodaysReview(widgets.VBox):
    """What is due and why, then today's set (or, when nothing is due, when to come back)."""

    def __init__(self, store: PracticeStore | None = None, now: datetime | None = None, size: int = SESSION_SIZE,
                 bank: Sequence[Vignette] | None = None):  # fmt: skip
        self.store = store or default_store()
        self.now = now or utc_now()
        self.plan = plan_review(
            bank if bank is not None else load_bank(), self.store.answers(), self.now, size
        )
        listed = "".join(f"<li>{html.escape(line)}</li>" for line in self.plan.lines())
        notice = self.store.take_notice()
        self.header = Prose(f"<h3>Today's review: what is due, and why</h3><ul>{listed}</ul>"
                            + (f"<p><i>{html.escape(notice)}</i></p>" if notice else ""))  # fmt: skip
        self.sorter = ReviewSorter(self.plan, self.store) if self.plan.cards else None
        super().__init__([self.header] + ([self.sorter] if self.sorter else []))


def simulate_days(days: int, answer_of, store: PracticeStore, start: datetime, bank: Sequence[Vignette],
                  size: int = SESSION_SIZE) -> list[ReviewPlan]:  # fmt: skip
    """Run ``days`` daily sessions against ``store`` (its clock is moved along), answering each card with
    ``answer_of(vignette, day) -> (label, confidence)``; returns each day's plan (for tests and the benchmark)."""
    plans = []
    for day in range(days):
        now = start + timedelta(days=day)
        plan = plan_review(bank, store.answers(), now, size)
        for offset, card in enumerate(plan.cards):
            label, confidence = answer_of(card.vignette, day)
            credit = 1.0 if label == card.vignette.label else 0.0
            store.add(Answer(now + timedelta(minutes=offset), "review", card.vignette.id, card.vignette.label, label,
                             credit, confidence, None, card.mode))  # fmt: skip
        plans.append(plan)
    return plans
