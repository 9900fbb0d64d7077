"""The module drills: self-checks, the cue spotter and the treatment matcher.

All three are a :class:`ChoiceDrill` (the shared card deck with lettered options); only where their
items come from differs. Their answers always come from the curriculum's content and definitions, never
from text written here.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.content import SIGNALS, load_self_check, load_statements
from ..core.labels import LABEL_NAMES
from ..core.vignettes import load_bank
from . import markup
from .deck import DeckView
from .session import Deck
from .treatment import FOCI, FOCUS_FOR_LABEL


@dataclass(frozen=True)
class DrillItem:
    """One card: what is shown, the options (key -> text), the right key, and the explanation."""

    prompt_html: str
    options: dict[str, str]
    answer: str
    explanation_html: str


_LETTERS = "ABCDEFGH"


class ChoiceDrill(DeckView):
    """One item at a time: choose an option, Check for instant feedback, Next; a score at the end.

    Options are listed as lettered text in the card and chosen with letter buttons, because long option
    text does not wrap inside ipywidgets' buttons.
    """

    def __init__(self, items: Sequence[DrillItem], title: str, instructions: str = ""):
        if not items:
            raise ValueError(f"{title}: no items to show")
        super().__init__(Deck(items), title, instructions)

    @property
    def items(self) -> tuple[DrillItem, ...]:
        return self.deck.items

    @property
    def position(self) -> int:
        return self.deck.position

    @property
    def current(self) -> DrillItem | None:
        return self.deck.current

    @property
    def answers(self) -> list[dict]:
        return self.deck.records

    @property
    def score(self) -> float:
        return self.deck.score

    def options(self, item: DrillItem) -> list[tuple[str, str, str]]:
        return [(key, letter, text) for letter, (key, text) in zip(_LETTERS, item.options.items(), strict=False)]

    def card_html(self, item: DrillItem, record: dict | None) -> str:
        listed = "".join(f"<li><b>{letter}.</b> {html.escape(text)}</li>"
                         for letter, text in zip(_LETTERS, item.options.values(), strict=False))  # fmt: skip
        return f"{item.prompt_html}<ul style='list-style:none;padding-left:0.5em'>{listed}</ul>"

    def feedback_html(self, item: DrillItem, record: dict) -> str:
        letter = _LETTERS[list(item.options).index(item.answer)]
        answer = f"<b>{letter}: {html.escape(item.options[item.answer])}</b>"
        return markup.verdict(record["credit"], "<b>Yes.</b>", f"<b>Not quite.</b> The answer is {answer}.") + (
            item.explanation_html)

    def done_html(self) -> str:
        return f"<p><b>Done: {self.score:g} of {len(self.items)} right.</b></p>"


class SelfCheck(ChoiceDrill):
    """A module's short self-check: multiple choice with instant feedback, nothing recorded or sent."""

    @classmethod
    def for_module(cls, module: str) -> SelfCheck:
        items = [
            DrillItem(
                prompt_html=f"<p>{html.escape(q.prompt)}</p>",
                options={str(index): option for index, option in enumerate(q.options)},
                answer=str(q.answer),
                explanation_html=f"<p>{html.escape(q.explanation)}</p>",
            )
            for q in load_self_check(module)
        ]
        return cls(
            items, f"Self-check: module {module}", "Choose an answer, then Check. Nothing is recorded."
        )


class CueSpotter(ChoiceDrill):
    """Module 05: what does a client's wording point to? A lead to explore in the history, never proof."""

    def __init__(self):
        items = [
            DrillItem(
                prompt_html=f"<blockquote><p><i>&ldquo;{html.escape(s.text)}&rdquo;</i></p></blockquote>",
                options=dict(SIGNALS),
                answer=s.signal,
                explanation_html=f"<p>{html.escape(s.explanation)}</p><p><i>Wording is a lead to explore in "
                "the history (who, and when), never proof of either kind of wound.</i></p>",
            )
            for s in load_statements()
        ]
        super().__init__(items, "Cue spotter: what does the wording point to?",
                         "Read what a fictional client says. Which signal does the wording carry?")  # fmt: skip


class TreatmentMatcher(ChoiceDrill):
    """Module 06: match a case to the focus of treatment its history implies (a teaching summary)."""

    def __init__(self, module: str = "06", limit: int | None = 8):
        by_focus: dict[str, list] = {}
        for vignette in load_bank():
            if module in vignette.modules:
                by_focus.setdefault(FOCUS_FOR_LABEL[vignette.label], []).append(vignette)
        # round robin over the foci, so a short set still shows every kind of answer
        vignettes = [v for group in itertools.zip_longest(*by_focus.values()) for v in group if v][:limit]
        items = [
            DrillItem(
                prompt_html=f"<h4>{html.escape(v.title)}</h4><p>{html.escape(v.text)}</p>",
                options={key: name for key, (name, _) in FOCI.items()},
                answer=FOCUS_FOR_LABEL[v.label],
                explanation_html=(
                    f"<p>The history points to <b>{LABEL_NAMES[v.label]}</b>. {html.escape(v.rationale)}</p>"
                    f"<p><b>{FOCI[FOCUS_FOR_LABEL[v.label]][0]}:</b> {FOCI[FOCUS_FOR_LABEL[v.label]][1]}</p>"
                    "<p><i>A teaching summary, not a treatment plan: real decisions belong to a supervised "
                    "clinical assessment.</i></p>"
                ),
            )
            for v in vignettes
        ]
        super().__init__(items, "Treatment matcher: which focus does the history imply?",
                         "Read the case, then choose where treatment would most likely focus.")  # fmt: skip
