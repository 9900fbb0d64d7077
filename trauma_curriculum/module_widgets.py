"""The module-specific exercises: self-checks, the cue spotter, the treatment matcher, and the same
event at different ages.

The first three share one shape (a card, a choice among options, Check, feedback, Next, a score), so
they are all :class:`ChoiceDrill`; only where their items come from differs. Their answers always come
from the curriculum's content and definitions, never from text written here.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from .content import SIGNALS, load_self_check, load_statements
from .curriculum import DEVELOPMENTAL_STAGES
from .definitions import DEVELOPMENTAL_WINDOW_END, LABEL_NAMES, classify
from .treatment import FOCI, FOCUS_FOR_LABEL
from .vignettes import load_bank
from .widgets import Prose


@dataclass(frozen=True)
class DrillItem:
    """One card: what is shown, the options (key -> text), the right key, and the explanation."""

    prompt_html: str
    options: dict[str, str]
    answer: str
    explanation_html: str


class ChoiceDrill(widgets.VBox):
    """One item at a time: choose an option, Check for instant feedback, Next; a score at the end.

    Options are listed as lettered text in the card and chosen with letter buttons, because long option
    text does not wrap inside ipywidgets' radio buttons.
    """

    def __init__(self, items: Sequence[DrillItem], title: str, instructions: str = ""):
        if not items:
            raise ValueError(f"{title}: no items to show")
        self.items = tuple(items)
        self.position = 0
        self.answers: list[dict] = []
        self.selected: str | None = None
        self.heading = widgets.HTML(f"<h3>{html.escape(title)}</h3><p>{instructions}</p>")
        self.progress = widgets.HTML()
        self.card = Prose(layout=widgets.Layout(max_width="46em"))
        self.choices = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.check_button = widgets.Button(description="Check", button_style="primary", disabled=True)
        self.next_button = widgets.Button(description="Next", disabled=True)
        self.feedback = Prose(layout=widgets.Layout(max_width="46em"))
        self.check_button.on_click(lambda _: self.check())
        self.next_button.on_click(lambda _: self.next())
        super().__init__([self.heading, self.progress, self.card, self.choices,
                          widgets.HBox([self.check_button, self.next_button]), self.feedback])  # fmt: skip
        self._show()

    @property
    def current(self) -> DrillItem | None:
        return self.items[self.position] if self.position < len(self.items) else None

    @property
    def score(self) -> int:
        return sum(answer["correct"] for answer in self.answers)

    @property
    def option_buttons(self) -> dict[str, widgets.Button]:
        """The current item's option buttons, by option key."""
        return {button.option_key: button for button in self.choices.children}

    def choose(self, key: str) -> None:
        """Select an option by its key (what clicking its letter button does)."""
        self.option_buttons[key].click()

    def _select(self, key: str) -> None:
        self.selected = key
        for button in self.choices.children:
            button.button_style = "info" if button.option_key == key else ""
        self.check_button.disabled = False

    def check(self) -> None:
        item = self.current
        if item is None or self.selected is None:
            return
        correct = self.selected == item.answer
        self.answers.append({"item": self.position, "answer": self.selected, "correct": correct})
        letter = _LETTERS[list(item.options).index(item.answer)]
        verdict = (
            "<p style='color:#006400'><b>&#10003; Yes.</b></p>"
            if correct
            else f"<p style='color:#8B0000'><b>&#10007; Not quite.</b> The answer is "
            f"<b>{letter}: {html.escape(item.options[item.answer])}</b></p>"
        )
        self.feedback.value = verdict + item.explanation_html
        self.check_button.disabled = True
        for button in self.choices.children:
            button.disabled = True
        self.next_button.disabled = False
        self._show_progress()

    def next(self) -> None:
        if self.current is None:
            return
        self.position += 1
        self._show()

    def _show_progress(self) -> None:
        shown = min(self.position + 1, len(self.items))
        self.progress.value = (
            f"<p>{shown} of {len(self.items)} &middot; right so far: {self.score} of {len(self.answers)}</p>"
        )

    def _show(self) -> None:
        item = self.current
        self.selected = None
        self.feedback.value = ""
        self.next_button.disabled = True
        self.check_button.disabled = True
        if item is None:
            self.card.value = (
                f"<p><b>Done: {self.score} of {len(self.items)} right.</b> "
                "Scroll back up to reread any explanation.</p>"
            )
            self.choices.children = ()
        else:
            listed = "".join(
                f"<li><b>{letter}.</b> {html.escape(text)}</li>"
                for letter, text in zip(_LETTERS, item.options.values(), strict=False)
            )
            self.card.value = (
                f"{item.prompt_html}<ul style='list-style:none;padding-left:0.5em'>{listed}</ul>"
            )
            buttons = []
            for letter, (key, text) in zip(_LETTERS, item.options.items(), strict=False):
                button = widgets.Button(description=letter, tooltip=text, layout=widgets.Layout(width="4em"))
                button.option_key = key
                button.on_click(lambda _button, key=key: self._select(key))
                buttons.append(button)
            self.choices.children = buttons
        self._show_progress()


_LETTERS = "ABCDEFGH"


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


#: Kinds of caregiver failure for the "same event at different ages" exercise.
CAREGIVER_FAILURES: dict[str, str] = {
    "withdrawal": "the parent who raised them withdraws emotionally: present, but no longer responsive",
    "unpredictability": "the parent who raised them becomes frightening and unpredictable",
    "separation": "a long separation from the parent who raised them",
    "neglect": "comfort is repeatedly not given when they are distressed",
}


def stage_at(age: float) -> tuple[str, str]:
    """The developmental stage (name, resources) at an age; adults keep the last stage's resources."""
    for start, end, name, resources in DEVELOPMENTAL_STAGES:
        if start <= age < end:
            return name, resources.replace("\n", " ")
    return "adulthood", "a full narrative, relationships and perspective built up over a lifetime"


class SameEventAtDifferentAges(widgets.VBox):
    """Module 04: one kind of caregiver failure, moved along the lifespan with a slider."""

    def __init__(self):
        self.event = widgets.Dropdown(options=[(text, key) for key, text in CAREGIVER_FAILURES.items()],
                                      description="What happens", style={"description_width": "initial"},
                                      layout=widgets.Layout(width="46em"))  # fmt: skip
        self.age = widgets.IntSlider(value=2, min=0, max=60, description="Age when it begins",
                                     style={"description_width": "initial"}, layout=widgets.Layout(width="36em"))  # fmt: skip
        self.result = Prose(layout=widgets.Layout(max_width="46em"))
        self.event.observe(lambda _change: self.update(), names="value")
        self.age.observe(lambda _change: self.update(), names="value")
        super().__init__([
            widgets.HTML("<h3>The same event at different ages</h3><p>Keep the event, move the age, and "
                         "watch what the definitions say and what the person has available to make sense of it.</p>"),
            self.event, self.age, self.result,
        ])  # fmt: skip
        self.update()

    def update(self) -> None:
        outcome = classify([{"relationship": "primary_caregiver", "age_at_onset": self.age.value}])
        self.classification = outcome
        stage, resources = stage_at(self.age.value)
        inside = self.age.value < DEVELOPMENTAL_WINDOW_END
        reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in outcome.reasons)
        self.result.value = (
            f"<p>From age {self.age.value}, {CAREGIVER_FAILURES[self.event.value]}.</p>"
            f"<h4>What the definitions say: {LABEL_NAMES[outcome.label]}</h4><ul>{reasons}</ul>"
            f"<p><b>Stage:</b> {stage}. <b>Typically available to make sense of it:</b> {resources}.</p>"
            + (
                "<p>Inside the window, what is laid down is mostly a state and a set of expectations about "
                "closeness and distress, before there is a story to hold it.</p>"
                if inside
                else "<p>Outside the window, there is usually more of a story: a before and after, and more "
                "ways to put the experience in context. That makes it different, not less serious.</p>"
            )
        )
