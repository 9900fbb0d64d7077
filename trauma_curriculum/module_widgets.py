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


@dataclass(frozen=True)
class DrillItem:
    """One card: what is shown, the options (key -> text), the right key, and the explanation."""

    prompt_html: str
    options: dict[str, str]
    answer: str
    explanation_html: str


class ChoiceDrill(widgets.VBox):
    """One item at a time: choose an option, Check for instant feedback, Next; a score at the end."""

    def __init__(self, items: Sequence[DrillItem], title: str, instructions: str = ""):
        if not items:
            raise ValueError(f"{title}: no items to show")
        self.items = tuple(items)
        self.position = 0
        self.answers: list[dict] = []
        self.heading = widgets.HTML(f"<h3>{html.escape(title)}</h3><p>{instructions}</p>")
        self.progress = widgets.HTML()
        self.card = widgets.HTML(layout=widgets.Layout(max_width="46em"))
        self.choices = widgets.RadioButtons(options=[], value=None, layout=widgets.Layout(width="auto"))
        self.check_button = widgets.Button(description="Check", button_style="primary", disabled=True)
        self.next_button = widgets.Button(description="Next", disabled=True)
        self.feedback = widgets.HTML()
        self.choices.observe(lambda _change: self._on_choice(), names="value")
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

    def choose(self, key: str) -> None:
        """Select an option by its key (what clicking a radio button does)."""
        self.choices.value = key

    def check(self) -> None:
        item = self.current
        if item is None or self.choices.value is None:
            return
        correct = self.choices.value == item.answer
        self.answers.append({"item": self.position, "answer": self.choices.value, "correct": correct})
        verdict = (
            "<p style='color:#006400'><b>&#10003; Yes.</b></p>"
            if correct
            else f"<p style='color:#8B0000'><b>&#10007; Not quite.</b> The answer is: "
            f"<b>{html.escape(item.options[item.answer])}</b></p>"
        )
        self.feedback.value = verdict + item.explanation_html
        self.check_button.disabled = True
        self.choices.disabled = True
        self.next_button.disabled = False
        self._show_progress()

    def next(self) -> None:
        if self.current is None:
            return
        self.position += 1
        self._show()

    def _on_choice(self) -> None:
        self.check_button.disabled = (
            self.choices.value is None or self.current is None or self.choices.disabled
        )

    def _show_progress(self) -> None:
        shown = min(self.position + 1, len(self.items))
        self.progress.value = (
            f"<p>{shown} of {len(self.items)} &middot; right so far: {self.score} of {len(self.answers)}</p>"
        )

    def _show(self) -> None:
        item = self.current
        self.feedback.value = ""
        self.next_button.disabled = True
        self.check_button.disabled = True
        if item is None:
            self.card.value = (
                f"<p><b>Done: {self.score} of {len(self.items)} right.</b> "
                "Scroll back up to reread any explanation.</p>"
            )
            self.choices.layout.display = "none"
        else:
            self.card.value = item.prompt_html
            self.choices.disabled = False
            self.choices.options = [(text, key) for key, text in item.options.items()]
            self.choices.value = None
        self._show_progress()


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
        self.result = widgets.HTML(layout=widgets.Layout(max_width="46em"))
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
