"""The interactive pieces that notebooks show: the vignette sorter and the definitions explorer.

A notebook cell is one readable line (``VignetteSorter.for_module("03")``); everything else lives here,
where pytest can drive it by clicking buttons and setting values. Feedback always comes from the bank's
expert key and from :func:`~trauma_curriculum.definitions.classify`, never from text written here.
"""

from __future__ import annotations

import html
import os
import random
import threading
from collections import Counter
from collections.abc import Iterable, Sequence

import ipywidgets as widgets
import traitlets
from sklearn.metrics import brier_score_loss

from . import figures
from .curriculum import MODULES
from .definitions import DEVELOPMENTAL_WINDOW_END, LABEL_NAMES, LABELS, RELATIONSHIPS, classify
from .vignettes import Vignette, load_bank

_PROSE = "<div style='line-height:1.5'>"


class Prose(widgets.HTML):
    """An HTML widget that reads like prose: ipywidgets gives every line of HTML text a fixed 28px
    height, which double-spaces paragraphs; the value is wrapped to restore ordinary line spacing."""

    @traitlets.validate("value")
    def _wrap(self, proposal):
        value = proposal["value"]
        return value if not value or value.startswith(_PROSE) else f"{_PROSE}{value}</div>"


#: Set to "1" (as `make present` does) to put every sorter in workshop mode.
WORKSHOP_ENV = "TRAUMA_CURRICULUM_WORKSHOP"

#: The two bins of the introductory sort.
INTRO_LABELS: tuple[str, ...] = ("attachment", "relational")


def highlight_cues(text: str, cues: Iterable[str]) -> str:
    """The text as HTML with every cue marked, so a trainee sees which words pointed to the answer."""
    marked = html.escape(text)
    for cue in sorted(set(cues), key=len, reverse=True):
        marked = marked.replace(html.escape(cue), f"<mark>{html.escape(cue)}</mark>")
    return marked


def _reasons_html(vignette: Vignette) -> str:
    items = "".join(f"<li>{html.escape(reason)}</li>" for reason in vignette.classification().reasons)
    return f"<p><b>What the definitions say:</b></p><ul>{items}</ul>"


def _sample_groups(groups: dict[str, list[Vignette]], per_group: int, seed: int) -> list[Vignette]:
    """Up to ``per_group`` vignettes from each group, never the same vignette twice (reproducible)."""
    chooser = random.Random(seed)
    chosen: list[Vignette] = []
    for members in groups.values():
        candidates = [v for v in members if v not in chosen]
        chosen += chooser.sample(candidates, min(per_group, len(candidates)))
    return chosen


class VignetteSorter(widgets.VBox):
    """Sort vignettes one card at a time into bins, with instant feedback that explains the answer.

    ``labels`` are the bins (two in the introductory sort, five in the full one); vignettes whose expert
    label is not a bin are left out. ``confidence`` adds a "how sure are you" slider and a calibration
    summary; ``workshop`` hides feedback until a presenter reveals it and lets them enter the room's votes
    (by default it is on when ``TRAUMA_CURRICULUM_WORKSHOP=1``, as ``make present`` sets it).
    """

    def __init__(
        self,
        vignettes: Sequence[Vignette],
        *,
        labels: Sequence[str] = LABELS,
        confidence: bool = False,
        workshop: bool | None = None,
        seed: int | None = 0,
        limit: int | None = None,
        title: str = "Sort the vignettes",
    ):
        unknown = [label for label in labels if label not in LABELS]
        if unknown:
            raise ValueError(f"labels {unknown} are not among the five labels {list(LABELS)}")
        self.labels = tuple(labels)
        self.confidence_enabled = confidence
        # unset: follow the environment, so `make present` shows every sorter in workshop mode
        self.workshop = workshop if workshop is not None else os.environ.get(WORKSHOP_ENV) == "1"
        self.vignettes = tuple(v for v in vignettes if v.label in self.labels)
        if not self.vignettes:
            raise ValueError(f"no vignettes to sort with the bins {list(self.labels)}")
        self.order = list(self.vignettes)
        if seed is not None:
            random.Random(seed).shuffle(self.order)
        self.order = self.order[:limit]
        self._drawing: threading.Thread | None = None

        self.heading = widgets.HTML(f"<h3>{html.escape(title)}</h3>")
        self.progress = widgets.HTML()
        self.card = Prose(layout=widgets.Layout(max_width="46em"))
        self.bins = {
            label: widgets.Button(
                description=LABEL_NAMES[label],
                tooltip=LABEL_NAMES[label],
                layout=widgets.Layout(width="auto"),
            )
            for label in self.labels
        }
        for label, button in self.bins.items():
            button.on_click(lambda _button, label=label: self.choose(label))
        self.confidence = widgets.IntSlider(
            value=50,
            min=0,
            max=100,
            step=10,
            description="How sure (%)",
            style={"description_width": "initial"},
            layout=widgets.Layout(display=None if confidence else "none"),
        )
        self.check_button = widgets.Button(description="Check", button_style="primary", disabled=True)
        self.reveal_button = widgets.Button(description="Reveal answer", button_style="warning",
                                            layout=widgets.Layout(width="auto"))  # fmt: skip
        self.next_button = widgets.Button(description="Next", disabled=True)
        self.reset_button = widgets.Button(description="Start again")
        self.check_button.on_click(lambda _: self.check())
        self.reveal_button.on_click(lambda _: self.reveal())
        self.next_button.on_click(lambda _: self.next())
        self.reset_button.on_click(lambda _: self.reset())
        self.feedback = Prose()
        self.votes = {
            label: widgets.BoundedIntText(
                value=0,
                min=0,
                max=10_000,
                description=LABEL_NAMES[label].split(" (")[0],
                style={"description_width": "initial"},
                layout=widgets.Layout(width="16em"),
            )
            for label in self.labels
        }
        self.show_votes_button = widgets.Button(
            description="Show the room's votes", layout=widgets.Layout(width="auto")
        )
        self.show_votes_button.on_click(lambda _: self.show_votes())
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="40em"))
        self.summary = Prose()
        self.summary_figures = widgets.HBox()
        workshop_box = widgets.VBox(
            [
                widgets.HTML("<b>Room vote:</b> enter how many people chose each label."),
                widgets.HBox(list(self.votes.values()), layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox([self.show_votes_button, self.reveal_button]),
            ],
            layout=widgets.Layout(display=None if self.workshop else "none"),
        )
        super().__init__(
            [
                self.heading,
                self.progress,
                self.card,
                widgets.HBox(list(self.bins.values()), layout=widgets.Layout(flex_flow="row wrap")),
                self.confidence,
                workshop_box,
                widgets.HBox([self.check_button, self.next_button, self.reset_button]),
                self.feedback,
                self.chart,
                self.summary,
                self.summary_figures,
            ]
        )
        self.reset()

    # -- constructors that keep a notebook cell to one line ------------------------------------------
    @classmethod
    def from_bank(
        cls,
        *,
        modules: Iterable[str] | None = None,
        difficulty: Iterable[int] | None = None,
        labels: Sequence[str] = LABELS,
        **options,
    ) -> VignetteSorter:
        """A sorter over the practice bank, filtered by module and difficulty (``limit`` caps the count)."""
        modules = set(modules) if modules is not None else None
        difficulty = set(difficulty) if difficulty is not None else None
        if modules is not None and not modules <= set(MODULES):
            raise ValueError(f"modules {sorted(modules - set(MODULES))} do not exist; use {list(MODULES)}")
        chosen = [
            v
            for v in load_bank()
            if (modules is None or modules & set(v.modules))
            and (difficulty is None or v.difficulty in difficulty)
            and v.label in labels
        ]
        return cls(chosen, labels=labels, **options)

    @classmethod
    def for_module(cls, module: str, **options) -> VignetteSorter:
        """The sorter a teaching module shows: module 00 is the two-bin introductory sort."""
        if module == "00":
            options.setdefault("labels", INTRO_LABELS)
        labels = options.get("labels", LABELS)
        if len(labels) == 2:
            first, second = (LABEL_NAMES[label].lower() for label in labels)
            options.setdefault("title", f"Module {module}: {first} or {second}?")
        else:
            options.setdefault("title", f"Module {module}: sort the vignettes")
        return cls.from_bank(modules=[module], **options)

    @classmethod
    def intro(cls, **options) -> VignetteSorter:
        """The two-bin sort (attachment or relational) over the easiest items of the whole bank."""
        options.setdefault("title", "Warm-up: attachment or relational?")
        return cls.from_bank(labels=INTRO_LABELS, difficulty=[1, 2], **options)

    @classmethod
    def review(cls, per_module: int = 2, seed: int = 0, **options) -> VignetteSorter:
        """An interleaved review: ``per_module`` items from each module 01 to 07, mixed together.

        Returning to earlier modules spaces the practice (Latimier et al., 2021), and mixing them means no
        answer can be guessed from the topic; the summary then names the modules to revisit.
        """
        options.setdefault("title", "Interleaved review: every module, mixed")
        groups = {module: [v for v in load_bank() if module in v.modules] for module in list(MODULES)[1:]}
        return cls(_sample_groups(groups, per_module, seed), seed=seed, **options)

    @classmethod
    def mixed(cls, per_label: int = 3, seed: int = 0, **options) -> VignetteSorter:
        """A balanced five-label set: ``per_label`` items of each label, mixed together."""
        options.setdefault("title", "A mixed set: five labels")
        groups = {label: [v for v in load_bank() if v.label == label] for label in LABELS}
        return cls(_sample_groups(groups, per_label, seed), seed=seed, **options)

    @classmethod
    def full(cls, **options) -> VignetteSorter:
        """The five-label sort over the whole practice bank."""
        options.setdefault("title", "The whole bank: five labels")
        return cls.from_bank(**options)

    # -- state -----------------------------------------------------------------------------------------
    @property
    def current(self) -> Vignette | None:
        """The vignette on the card, or None when the set is finished."""
        return self.order[self.position] if self.position < len(self.order) else None

    @property
    def results(self) -> list[dict]:
        """One plain record per checked vignette, in the order sorted (safe to save as CSV or JSON)."""
        return [dict(record) for record in self._results]

    def reset(self) -> None:
        """Start again from the first card, in the same order (the seed fixes it), with no answers."""
        self.wait_for_summary()
        self.position = 0
        self._results: list[dict] = []
        self.summary.value = ""
        self.summary_figures.children = ()
        self._show_card()

    def choose(self, label: str) -> None:
        """Put the current vignette in a bin (the choice can change until Check)."""
        if label not in self.bins:
            raise ValueError(f"{label!r} is not a bin here; the bins are {list(self.bins)}")
        self.choice = label
        for name, button in self.bins.items():
            button.button_style = "info" if name == label else ""
        self.check_button.disabled = self.current is None

    def check(self) -> None:
        """Record the choice and show feedback (in workshop mode, keep it for the reveal)."""
        vignette = self.current
        if vignette is None or self.choice is None:
            return
        correct = self.choice == vignette.label
        self._results.append(
            {
                "id": vignette.id,
                "title": vignette.title,
                "answer": self.choice,
                "expert": vignette.label,
                "correct": correct,
                "confidence": self.confidence.value / 100 if self.confidence_enabled else None,
            }
        )
        self.check_button.disabled = True
        for button in self.bins.values():
            button.disabled = True
        self.next_button.disabled = False
        if self.workshop:
            self.feedback.value = (
                "<p><i>Answer recorded. The feedback waits for the presenter's reveal.</i></p>"
            )
        else:
            self._show_feedback(correct)
        self._show_progress()

    def reveal(self) -> None:
        """Workshop mode: show the expert answer, its rationale and the room's votes beside it."""
        vignette = self.current
        if vignette is None:
            return
        answered = self._results and self._results[-1]["id"] == vignette.id
        self._show_feedback(self._results[-1]["correct"] if answered else None)
        self.show_votes(expert=vignette.label)
        self.next_button.disabled = False

    def room_votes(self) -> dict[str, int]:
        """The vote counts the presenter typed in, per label."""
        return {label: box.value for label, box in self.votes.items()}

    def show_votes(self, expert: str | None = None) -> None:
        """Draw the room's votes; the expert label is marked only after the reveal."""
        self.chart.value = figures.to_png(figures.room_votes_figure(self.room_votes(), expert=expert))
        self.chart.layout.display = None

    def next(self) -> None:
        """Move to the next card, or to the summary after the last one."""
        if self.current is None:
            return
        self.position += 1
        self._show_card()
        if self.current is None:
            self._show_summary()

    # -- what the trainee sees ------------------------------------------------------------------------
    def _show_progress(self) -> None:
        done = len(self._results)
        right = sum(record["correct"] for record in self._results)
        shown = min(self.position + 1, len(self.order))
        if self.workshop:  # a room sees no score: it would give the answer away before the reveal
            self.progress.value = f"<p>Item {shown} of {len(self.order)}</p>"
            return
        self.progress.value = (
            f"<p>Item {shown} of {len(self.order)} &middot; score so far: {right} of {done}</p>"
        )

    def _show_card(self) -> None:
        self.choice = None
        self.feedback.value = ""
        self.chart.value = b""
        self.chart.layout.display = "none"
        for box in self.votes.values():
            box.value = 0
        vignette = self.current
        for button in self.bins.values():
            button.button_style = ""
            button.disabled = vignette is None
        self.check_button.disabled = True
        self.next_button.disabled = True
        if vignette is None:
            self.card.value = "<p><b>All done.</b> Your summary is below.</p>"
        else:
            self.card.value = (
                f"<div class='tc-card'><h4>{html.escape(vignette.title)}</h4>"
                f"<p>{html.escape(vignette.text)}</p></div>"
            )
        self._show_progress()

    def _show_feedback(self, correct: bool | None) -> None:
        vignette = self.current
        expert = LABEL_NAMES[vignette.label]
        if correct is None:
            verdict = f"<p><b>The expert label is {expert}.</b></p>"
        elif correct:
            verdict = f"<p style='color:#006400'><b>&#10003; Right: {expert}.</b></p>"
        else:
            verdict = (
                f"<p style='color:#8B0000'><b>&#10007; Not this time.</b> You chose "
                f"{LABEL_NAMES[self._results[-1]['answer']]}; the expert label is <b>{expert}</b>.</p>"
            )
        self.card.value = (
            f"<div class='tc-card'><h4>{html.escape(vignette.title)}</h4>"
            f"<p>{highlight_cues(vignette.text, vignette.cues)}</p></div>"
        )
        self.feedback.value = (
            verdict
            + f"<p><b>Why:</b> {html.escape(vignette.rationale)}</p>"
            + "<p><b>Cues</b> are highlighted in the text above.</p>"
            + _reasons_html(vignette)
        )

    def _show_summary(self) -> None:
        """Show the summary text at once; draw its figures in the background.

        Drawing two matplotlib figures takes a few hundred milliseconds, so the click that ends a set
        answers immediately with the text and the figures follow; :meth:`wait_for_summary` waits for them.
        """
        records = list(self._results)
        if not records:
            self.summary.value = "<p>No answers were checked.</p>"
            return
        rows = []
        for label in self.labels:
            mine = [r for r in records if r["expert"] == label]
            if mine:
                right = sum(r["correct"] for r in mine)
                rows.append(f"<tr><td>{LABEL_NAMES[label]}</td><td>{right} of {len(mine)}</td></tr>")
        total = sum(r["correct"] for r in records)
        text = (
            f"<h4>Summary: {total} of {len(records)} agreed with the expert key</h4>"
            "<table><tr><th>Expert label</th><th>Agreed</th></tr>" + "".join(rows) + "</table>"
        )
        rated = [r for r in records if r["confidence"] is not None]
        if rated:
            brier = brier_score_loss([r["correct"] for r in rated], [r["confidence"] for r in rated])
            text += (
                f"<p><b>Brier score:</b> {brier:.2f} (0 is perfect; always saying 50% scores 0.25). "
                "It measures how well your confidence matched your accuracy.</p>"
            )
        text += self._revisit_html()
        text += (
            "<p><i>Figure description:</i> a grid of expert labels (rows) against your labels (columns); "
            "the diagonal counts agreements, and the outlined cells are attachment and relational "
            "mistaken for each other."
            + (" Beside it, a calibration plot of confidence against accuracy." if rated else "")
            + "</p>"
        )
        self.summary.value = text
        self._drawing = threading.Thread(
            target=self._draw_summary_figures, args=(records, rated), daemon=True
        )
        self._drawing.start()

    def _draw_summary_figures(self, records: list[dict], rated: list[dict]) -> None:
        confusion = figures.confusion_figure(
            [r["expert"] for r in records], [r["answer"] for r in records], self.labels
        )
        images = [
            widgets.Image(
                value=figures.to_png(confusion), format="png", layout=widgets.Layout(max_width="32em")
            )
        ]
        if rated:
            calibration = figures.calibration_figure(
                [r["confidence"] for r in rated], [r["correct"] for r in rated]
            )
            images.append(
                widgets.Image(
                    value=figures.to_png(calibration), format="png", layout=widgets.Layout(max_width="26em")
                )
            )
        self.summary_figures.children = images

    def wait_for_summary(self, timeout: float = 60) -> None:
        """Block until the summary figures are drawn (tests and scripts; a notebook need not wait)."""
        if self._drawing is not None:
            self._drawing.join(timeout)

    def modules_to_revisit(self) -> list[str]:
        """Teaching modules of the missed vignettes, most missed first (module 00 left out)."""
        by_id = {v.id: v for v in self.vignettes}
        missed = Counter(
            m for r in self._results if not r["correct"] for m in by_id[r["id"]].modules if m != "00"
        )
        return [module for module, _ in sorted(missed.items(), key=lambda item: (-item[1], item[0]))]

    def _revisit_html(self) -> str:
        modules = self.modules_to_revisit()
        if not modules:
            return "<p><b>Modules to revisit:</b> none; every answer agreed with the expert key.</p>"
        names = ", ".join(f"{m} {MODULES[m][0]}" for m in modules)
        return f"<p><b>Modules to revisit</b> (the modules your disagreements came from, most first): {names}.</p>"

    def label_accuracy(self) -> dict[str, float]:
        """Share of checked items agreed with, per expert label (only labels that came up)."""
        totals = Counter(r["expert"] for r in self._results)
        right = Counter(r["expert"] for r in self._results if r["correct"])
        return {label: right[label] / totals[label] for label in self.labels if totals[label]}


class DefinitionsExplorer(widgets.VBox):
    """Choose who and when for one or two episodes, and watch the label and its reasons change."""

    def __init__(self):
        self.rows = [self._episode_row(1, "primary_caregiver", 3.0), self._episode_row(2, "partner", 30.0)]
        self.second_on = widgets.Checkbox(value=False, description="Add a second episode")
        self.result = Prose()
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
        reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in outcome.reasons)
        self.result.value = f"<h4>Label: {LABEL_NAMES[outcome.label]}</h4><ul>{reasons}</ul>"
