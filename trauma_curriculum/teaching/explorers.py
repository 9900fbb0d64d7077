"""Explorers: move the facts and watch the definitions answer (no key, nothing scored).

:class:`DefinitionsExplorer` sets who and when for one or two episodes; :class:`SameEventAtDifferentAges`
moves one kind of caregiver failure along the lifespan. Both show what
:func:`~trauma_curriculum.core.definitions.classify` says, with its reasons, in a live region (a screen
reader reads the new label out as the facts change).
"""

from __future__ import annotations

import ipywidgets as widgets

from ..core.curriculum import DEVELOPMENTAL_STAGES
from ..core.definitions import DEVELOPMENTAL_WINDOW_END, RELATIONSHIPS, classify
from ..core.labels import LABEL_NAMES
from . import markup
from .access import accessible
from .deck import Prose


class DefinitionsExplorer(widgets.VBox):
    """Choose who and when for one or two episodes, and watch the label and its reasons change."""

    def __init__(self):
        self.rows = [self._episode_row(1, "primary_caregiver", 3.0), self._episode_row(2, "partner", 30.0)]
        self.second_on = widgets.Checkbox(value=False, description="Add a second episode")
        self.result = Prose()
        self.result.add_class("tc-live")
        self.what_if_3 = widgets.Button(description="What if it happened at 3?")
        self.what_if_30 = widgets.Button(description="What if it happened at 30?")
        self.what_if_3.on_click(lambda _: self.set_first(age=3))
        self.what_if_30.on_click(lambda _: self.set_first(age=30))
        for row in self.rows:
            for control in row["controls"]:
                control.observe(lambda _change: self.update(), names="value")
        self.second_on.observe(lambda _change: self.update(), names="value")
        super().__init__(
            [
                widgets.HTML(
                    "<h3>Explore the definitions</h3><p>Choose who harmed or failed the person and at what age "
                    f"it began. The developmental window ends at {DEVELOPMENTAL_WINDOW_END} in this curriculum: "
                    "a teaching choice, not a settled fact.</p>"
                ),
                self.rows[0]["box"],
                widgets.HBox([self.what_if_3, self.what_if_30]),
                self.second_on,
                self.rows[1]["box"],
                self.result,
            ]
        )
        self.access = accessible(self)
        self.update()

    @staticmethod
    def _episode_row(number: int, relationship: str, age: float) -> dict:
        who = widgets.Dropdown(
            options=[(text.split(" (")[0], key) for key, text in RELATIONSHIPS.items()],
            value=relationship,
            description=f"Episode {number}: who",
            style={"description_width": "initial"},
        )
        age_slider = widgets.FloatSlider(
            value=age,
            min=0,
            max=90,
            step=1,
            description="age at onset",
            style={"description_width": "initial"},
        )
        unknown_age = widgets.Checkbox(value=False, description="age unknown")
        return {
            "who": who,
            "age": age_slider,
            "unknown_age": unknown_age,
            "controls": (who, age_slider, unknown_age),
            "box": widgets.HBox([who, age_slider, unknown_age]),
        }

    def set_first(self, *, relationship: str | None = None, age: float | None = None) -> None:
        """Change the first episode (the "what if" buttons use this)."""
        row = self.rows[0]
        if relationship is not None:
            row["who"].value = relationship
        if age is not None:
            row["unknown_age"].value = False
            row["age"].value = age

    def episodes(self) -> list[dict]:
        """The episodes as chosen, in the form :func:`classify` takes."""
        active = self.rows if self.second_on.value else self.rows[:1]
        return [
            {
                "relationship": row["who"].value,
                "age_at_onset": None if row["unknown_age"].value else row["age"].value,
            }
            for row in active
        ]

    def update(self) -> None:
        """Recompute the label and its reasons from the chosen episodes."""
        self.rows[1]["box"].layout.display = None if self.second_on.value else "none"
        for row in self.rows:
            row["age"].disabled = row["unknown_age"].value
        outcome = classify(self.episodes())
        self.classification = outcome
        self.result.value = f"<h4>Label: {LABEL_NAMES[outcome.label]}</h4>" + markup.reasons(outcome.reasons, "Why:")


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
        self.result.add_class("tc-live")
        self.event.observe(lambda _change: self.update(), names="value")
        self.age.observe(lambda _change: self.update(), names="value")
        super().__init__([
            widgets.HTML("<h3>The same event at different ages</h3><p>Keep the event, move the age, and "
                         "watch what the definitions say and what the person has available to make sense of it.</p>"),
            self.event, self.age, self.result,
        ])  # fmt: skip
        self.access = accessible(self)
        self.update()

    def update(self) -> None:
        outcome = classify([{"relationship": "primary_caregiver", "age_at_onset": self.age.value}])
        self.classification = outcome
        stage, resources = stage_at(self.age.value)
        inside = self.age.value < DEVELOPMENTAL_WINDOW_END
        self.result.value = (
            f"<p>From age {self.age.value}, {CAREGIVER_FAILURES[self.event.value]}.</p>"
            f"<h4>What the definitions say: {LABEL_NAMES[outcome.label]}</h4>" + markup.reasons(outcome.reasons, "Why:")
            + f"<p><b>Stage:</b> {stage}. <b>Typically available to make sense of it:</b> {resources}.</p>"
            + (
                "<p>Inside the window, what is laid down is mostly a state and a set of expectations about "
                "closeness and distress, before there is a story to hold it.</p>"
                if inside
                else "<p>Outside the window, there is usually more of a story: a before and after, and more "
                "ways to put the experience in context. That makes it different, not less serious.</p>"
            )
        )
