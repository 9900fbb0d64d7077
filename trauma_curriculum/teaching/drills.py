"""The module drills: self-checks, the cue spotter and the treatment matcher.

The self-checks and the cue spotter are a :class:`ChoiceDrill` (the shared card deck with lettered
options, one answer); the treatment matcher shares the deck but takes a set of foci, judged from a
case's formulation (:mod:`.treatment`). Their answers always come from the curriculum's content and
definitions, never from text written here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.content import SIGNALS, load_self_check, load_statements
from . import markup
from .deck import TICK, DeckView
from .session import Deck
from .treatment import FOCI, GUIDELINES, FociDeck, FormulationCase, describe, judge, load_cases, missed_safety


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

    @staticmethod
    def option_html(item: DrillItem, key: str) -> str:
        """An option as its letter and text, in bold ("B: ...")."""
        return f"<b>{_LETTERS[list(item.options).index(key)]}: {html.escape(item.options[key])}</b>"

    def feedback_html(self, item: DrillItem, record: dict) -> str:
        answer = self.option_html(item, item.answer)
        return markup.verdict(record["credit"], "<b>Yes.</b>", f"<b>Not quite.</b> The answer is {answer}.") + (
            item.explanation_html)

    def done_html(self) -> str:
        """The score, then every item again with the answer chosen, the answer and its explanation (the
        feedback of each item is gone by now), and how to try again."""
        review = "".join(
            f"<li>{item.prompt_html}<p>You chose {self.option_html(item, record['answer'])}.</p>"
            f"{self.feedback_html(item, record)}</li>" for item, record in zip(self.items, self.answers, strict=False)
        )  # fmt: skip
        return (f"<p><b>Done: {self.score:g} of {len(self.items)} right.</b> Each question is listed again below "
                "with your answer and the explanation. To try them afresh, choose <i>Start again</i> at the "
                f"end.</p><h4>Review</h4><ol>{review}</ol>")  # fmt: skip


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
            items, f"Self-check: module {module}", "Choose an answer, then Check. Nothing is graded; answers stay in your private practice record."
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


class TreatmentMatcher(DeckView):
    """Module 06: which foci does a case's *formulation* call for? Choose every one that fits.

    The answer comes from the case's facts through :func:`.treatment.judge` (symptoms and their severity,
    risk, dissociation, what the person wants, the base to draw on, and the label as one input), never from
    the label alone; several foci can fit, and the feedback explains every focus, chosen or not. Unlike the
    other drills, a choice is a set, so option buttons toggle.
    """

    def __init__(self, cases: Sequence[FormulationCase] | None = None):
        super().__init__(FociDeck(cases if cases is not None else load_cases()),
                         "Treatment matcher: what does the formulation call for?",
                         "Read the case and its formulation, choose <b>every</b> focus that fits (one or more), "
                         "then Check.")  # fmt: skip

    @property
    def items(self) -> tuple[FormulationCase, ...]:
        return self.deck.items

    @property
    def current(self) -> FormulationCase | None:
        return self.deck.current

    @property
    def score(self) -> float:
        return self.deck.score

    def options(self, case: FormulationCase) -> list[tuple[str, str, str]]:
        return [(key, letter, focus.name) for letter, (key, focus) in zip(_LETTERS, FOCI.items(), strict=False)]

    def choose(self, key: str) -> None:
        """Add a focus to the choice, or take it out again (what clicking its letter does)."""
        self.deck.toggle(key)
        chosen = self.deck.choice or frozenset()
        for option, button in self.option_buttons.items():
            button.button_style = "info" if option in chosen else ""
            button.description = (TICK if option in chosen else "") + button.plain_text
            (button.add_class if option in chosen else button.remove_class)("tc-chosen")
        self.check_button.disabled = not chosen or self.deck.checked

    def card_html(self, case: FormulationCase, record: dict | None) -> str:
        rows = "".join(f"<li><b>{html.escape(what)}:</b> {html.escape(value)}</li>" for what, value in describe(case))
        listed = "".join(f"<li><b>{letter}.</b> {html.escape(focus.name)}</li>"
                         for letter, focus in zip(_LETTERS, FOCI.values(), strict=False))  # fmt: skip
        return (markup.card(case.title, html.escape(case.text)) + f"<p><b>The formulation so far</b> (what assessment has found)</p><ul>{rows}</ul>"
                f"<p><b>Which foci does it call for?</b></p><ul style='list-style:none;padding-left:0.5em'>{listed}</ul>")  # fmt: skip

    def feedback_html(self, case: FormulationCase, record: dict) -> str:
        chosen = record["answer"]
        lines = []
        for letter, (key, verdict) in zip(_LETTERS, judge(case).items(), strict=False):
            mark = "&#10003; fits" if verdict.fits else "&#10007; does not fit now"
            picked = "you chose it" if key in chosen else "you left it out"
            meaning = f" <i>{html.escape(FOCI[key].meaning)}</i>" if verdict.fits else ""
            lines.append(f"<li><b>{letter}. {html.escape(FOCI[key].name)}</b> ({mark}; {picked}). "
                         f"{html.escape(verdict.why)}{meaning}</li>")  # fmt: skip
        verdict_line = markup.verdict(record["credit"], "<b>Yes:</b> exactly the foci this formulation calls for.",
                                      "<b>Not quite.</b> See which foci fit, and why.",
                                      "<b>Nearly:</b> one focus is missing or extra (half a point).")  # fmt: skip
        note = f"<p>{html.escape(case.note)}</p>" if case.note else ""
        if missed_safety(case, chosen):
            verdict_line += ("<p><b>No credit: <i>Safety first</i> was left out.</b> This case shows current risk, "
                             "and assessing it and following the safeguarding duty come before any choice of "
                             "therapy, so a plan without it scores 0.</p>")  # fmt: skip
        return (verdict_line + f"<ul>{''.join(lines)}</ul>" + note
                + "<p><i>A teaching summary, not a treatment plan: the label never selects a treatment by itself, "
                f"and a real plan belongs to a supervised clinical assessment ({GUIDELINES}).</i></p>")  # fmt: skip

    def done_html(self) -> str:
        return f"<p><b>Done: {self.score:g} of {len(self.items)}.</b></p>"
