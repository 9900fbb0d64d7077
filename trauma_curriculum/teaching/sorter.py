"""The vignette sorter: sort case cards into label bins, with feedback that explains the answer.

The logic is the pure :class:`~.session.SortingSession`; this module is its view, built on the shared
card deck (:class:`~.deck.DeckView`). A notebook cell is one readable line
(``VignetteSorter.for_module("03")``). Feedback always comes from the bank's expert key and from
:func:`~trauma_curriculum.core.definitions.classify`, never from text written here.
"""

from __future__ import annotations

import html
import os
import random
import threading
from collections import Counter
from collections.abc import Iterable, Sequence

import ipywidgets as widgets

from ..core.curriculum import MODULES
from ..core.labels import LABEL_NAMES, LABELS, plain_name
from ..core.vignettes import RISKS, Vignette, load_bank
from . import charts, markup
from .deck import DeckView, Picture, Prose
from .session import SortingSession

#: Set to "1" (as `make present` does) to put every sorter in workshop mode.
WORKSHOP_ENV = "TRAUMA_CURRICULUM_WORKSHOP"

#: The two bins of the introductory sort.
INTRO_LABELS: tuple[str, ...] = ("attachment", "relational")


def _sample_groups(groups: dict[str, list[Vignette]], per_group: int, seed: int) -> list[Vignette]:
    """Up to ``per_group`` vignettes from each group, never the same vignette twice (reproducible)."""
    chooser = random.Random(seed)
    chosen: list[Vignette] = []
    for members in groups.values():
        candidates = [v for v in members if v not in chosen]
        chosen += chooser.sample(candidates, min(per_group, len(candidates)))
    return chosen


def risk_html(vignette: Vignette) -> str:
    """What a clinician does first when the case shows current risk (nothing when it shows none)."""
    risk = vignette.current_risk
    if risk is None:
        return ""
    return (f"<p><b>Current risk ({html.escape(RISKS[risk.kind])}): what a clinician does first.</b> "
            f"{html.escape(risk.first)}</p>")  # fmt: skip


def confusion_alt(records: Sequence[dict], labels: Sequence[str]) -> str:
    """The confusion matrix in words: for each expert label, how many agreed and what the rest were called."""
    parts = []
    for label in labels:
        given = Counter(r["answer"] for r in records if r["expert"] == label)
        if given:
            others = ", ".join(f"{count} as {plain_name(other)}" for other, count in given.items() if other != label)
            parts.append(f"{plain_name(label)}: {given[label]} of {sum(given.values())} agreed"
                         + (f" ({others})" if others else ""))  # fmt: skip
    return "Grid of expert labels (rows) against your labels (columns). " + "; ".join(parts) + "."


def calibration_alt(rated: Sequence[dict]) -> str:
    """The calibration plot in words: at each level of confidence, how often the answer was right."""
    levels = sorted({r["confidence"] for r in rated})
    parts = [f"at {level:.0%} sure, right {sum(r['correct'] for r in rated if r['confidence'] == level)} of "
             f"{sum(r['confidence'] == level for r in rated)}" for level in levels]  # fmt: skip
    return "Calibration plot of how sure you were against how often you were right: " + "; ".join(parts) + "."


class VignetteSorter(DeckView):
    """Sort vignettes one card at a time into bins, with instant feedback that explains the answer.

    ``labels`` are the bins (two in the introductory sort, five in the full one); vignettes whose expert
    label is not a bin are left out. ``confidence`` adds a "how sure are you" slider and a calibration
    summary; ``workshop`` hides feedback until a presenter reveals it and lets them enter the room's votes
    (by default it is on when ``TRAUMA_CURRICULUM_WORKSHOP=1``, as ``make present`` sets it). ``module``
    is where the trainee is: the summary suggests revisiting only modules up to it.
    """

    item_word, score_word = "Item ", "score so far"
    end_focus = ".tc-summary"

    def __init__(self, vignettes: Sequence[Vignette], *, labels: Sequence[str] = LABELS, confidence: bool = False,
                 workshop: bool | None = None, seed: int | None = 0, limit: int | None = None,
                 title: str = "Sort the vignettes", module: str | None = None):  # fmt: skip
        self.session = SortingSession(vignettes, labels, seed, limit)
        self.labels = self.session.labels
        self.vignettes = tuple(v for v in vignettes if v.label in self.labels)
        self.module = module
        self.confidence_enabled = confidence
        # unset: follow the environment, so `make present` shows every sorter in workshop mode
        self.workshop = workshop if workshop is not None else os.environ.get(WORKSHOP_ENV) == "1"
        self._drawing: threading.Thread | None = None
        self.confidence = widgets.IntSlider(value=50, min=0, max=100, step=10, description="How sure (%)",
                                            style={"description_width": "initial"},
                                            layout=widgets.Layout(display=None if confidence else "none"))  # fmt: skip
        self.reveal_button = widgets.Button(description="Reveal answer", button_style="warning",
                                            layout=widgets.Layout(width="auto"))  # fmt: skip
        self.reveal_button.on_click(lambda _: self.reveal())
        self.votes = {label: widgets.BoundedIntText(value=0, min=0, max=10_000, description=plain_name(label),
                                                    style={"description_width": "initial"},
                                                    layout=widgets.Layout(width="16em"))
                      for label in self.labels}  # fmt: skip
        self.show_votes_button = widgets.Button(description="Show the room's votes", layout=widgets.Layout(width="auto"))
        self.show_votes_button.on_click(lambda _: self.show_votes())
        self.chart = Picture(layout=widgets.Layout(display="none"))
        self.summary = Prose()
        self.summary.add_class("tc-summary")
        self.summary_figures = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        workshop_box = widgets.VBox([
            widgets.HTML("<b>Room vote:</b> enter how many people chose each label."),
            widgets.HBox(list(self.votes.values()), layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.show_votes_button, self.reveal_button]),
        ], layout=widgets.Layout(display=None if self.workshop else "none"))  # fmt: skip
        super().__init__(self.session, title, before_buttons=[self.confidence, workshop_box],
                         after=[self.chart, self.summary, self.summary_figures])  # fmt: skip

    # -- constructors that keep a notebook cell to one line ------------------------------------------
    @classmethod
    def from_bank(cls, *, modules: Iterable[str] | None = None, difficulty: Iterable[int] | None = None,
                  labels: Sequence[str] = LABELS, **options) -> VignetteSorter:  # fmt: skip
        """A sorter over the practice bank, filtered by module and difficulty (``limit`` caps the count)."""
        modules = set(modules) if modules is not None else None
        difficulty = set(difficulty) if difficulty is not None else None
        if modules is not None and not modules <= set(MODULES):
            raise ValueError(f"modules {sorted(modules - set(MODULES))} do not exist; use {list(MODULES)}")
        chosen = [v for v in load_bank() if (modules is None or modules & set(v.modules))
                  and (difficulty is None or v.difficulty in difficulty) and v.label in labels]  # fmt: skip
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
        options.setdefault("module", module)
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
        bank = load_bank()
        groups = {module: [v for v in bank if module in v.modules] for module in list(MODULES)[1:]}
        return cls(_sample_groups(groups, per_module, seed), seed=seed, **options)

    @classmethod
    def mixed(cls, per_label: int = 3, seed: int = 0, **options) -> VignetteSorter:
        """A balanced five-label set: ``per_label`` items of each label, mixed together."""
        options.setdefault("title", "A mixed set: five labels")
        bank = load_bank()
        groups = {label: [v for v in bank if v.label == label] for label in LABELS}
        return cls(_sample_groups(groups, per_label, seed), seed=seed, **options)

    @classmethod
    def full(cls, **options) -> VignetteSorter:
        """The five-label sort over the whole practice bank."""
        options.setdefault("title", "The whole bank: five labels")
        return cls.from_bank(**options)

    # -- state, read from the session ------------------------------------------------------------------
    @property
    def order(self) -> list[Vignette]:
        return list(self.session.items)

    @property
    def current(self) -> Vignette | None:
        """The vignette on the card, or None when the set is finished."""
        return self.session.current

    @property
    def bins(self) -> dict[str, widgets.Button]:
        return self.option_buttons

    @property
    def results(self) -> list[dict]:
        """One plain record per checked vignette, in the order sorted (safe to save as CSV or JSON)."""
        return [dict(record) for record in self.session.records]

    def label_accuracy(self) -> dict[str, float]:
        return self.session.label_accuracy()

    def modules_to_revisit(self) -> list[str]:
        return self.session.modules_to_revisit(up_to=self.module)

    # -- the deck's hooks --------------------------------------------------------------------------------
    def options(self, vignette: Vignette) -> list[tuple[str, str, str]]:
        return [(label, LABEL_NAMES[label], LABEL_NAMES[label]) for label in self.labels]

    def card_html(self, vignette: Vignette, record: dict | None) -> str:
        revealed = record is not None and not self.workshop
        text = markup.highlight_cues(vignette.text, vignette.cues) if revealed else html.escape(vignette.text)
        return markup.card(vignette.title, text)

    def check_extra(self) -> dict:
        return {"confidence": self.confidence.value / 100 if self.confidence_enabled else None}

    def show_feedback(self, record: dict) -> None:
        if self.workshop:
            self.feedback.value = "<p><i>Answer recorded. The feedback waits for the presenter's reveal.</i></p>"
        else:
            super().show_feedback(record)

    def feedback_html(self, vignette: Vignette, record: dict | None) -> str:
        expert = LABEL_NAMES[vignette.label]
        if record is None:
            verdict = f"<p><b>The expert label is {expert}.</b></p>"
        else:
            chosen = LABEL_NAMES[record["answer"]]
            verdict = markup.verdict(
                record["credit"], f"<b>Right: {expert}.</b>",
                f"<b>Not this time.</b> You chose {chosen}; the expert label is <b>{expert}</b>.",
                f"<b>Half right.</b> You chose {chosen}; the expert label is <b>{expert}</b>. Naming one layer "
                "of a layered history, or calling a single-layer history <i>both</i>, earns half a point, in "
                "practice as in the graded assignments.",
            )  # fmt: skip
        return (verdict + f"<p><b>Why:</b> {html.escape(vignette.rationale)}</p>" + risk_html(vignette)
                + markup.cue_list(vignette.cues) + markup.reasons(vignette.classification().reasons))  # fmt: skip

    def done_html(self) -> str:
        return "<p><b>All done.</b> Your summary is below.</p>"

    def show_progress(self) -> None:
        if not self.workshop:
            return super().show_progress()
        shown = min(self.session.position + 1, len(self.session.items))
        # a room sees no score: it would give the answer away before the reveal
        self.progress.value = f"<p>Item {shown} of {len(self.session.items)}</p>"

    def show_item(self) -> None:
        self.chart.show(b"", "")
        self.chart.layout.display = "none"
        self.confidence.layout.display = None if self.confidence_enabled and self.current is not None else "none"
        for box in self.votes.values():
            box.value = 0
        super().show_item()

    # -- workshop mode -----------------------------------------------------------------------------------
    def reveal(self) -> None:
        """Workshop mode: show the expert answer, its rationale and the room's votes beside it."""
        vignette = self.current
        if vignette is None:
            return
        record = self.session.records[-1] if self.session.checked else None
        self.card.value = markup.card(vignette.title, markup.highlight_cues(vignette.text, vignette.cues))
        self.feedback.value = self.feedback_html(vignette, record)
        self.show_votes(expert=vignette.label)
        self.next_button.disabled = False
        self.access.move_focus(".tc-next")

    def room_votes(self) -> dict[str, int]:
        """The vote counts the presenter typed in, per label."""
        return {label: box.value for label, box in self.votes.items()}

    def show_votes(self, expert: str | None = None) -> None:
        """Draw the room's votes; the expert label is marked only after the reveal."""
        votes = self.room_votes()
        alt = "Bar chart of the room's votes: " + ", ".join(f"{plain_name(label)} {count}" for label, count in votes.items())
        if expert is not None:
            alt += f". The expert label is {LABEL_NAMES[expert]}."
        self.chart.show(charts.to_png(charts.room_votes_figure(votes, expert=expert)), alt)
        self.chart.layout.display = None

    # -- start again and the summary --------------------------------------------------------------------
    def reset(self) -> None:
        """Start again from the first card, in the same order (the seed fixes it), with no answers."""
        self.wait_for_summary()
        self.summary.value = ""
        self.summary_figures.children = ()
        super().reset()

    def finish(self) -> None:
        """Show the summary text at once; draw its figures in the background.

        Drawing two matplotlib figures takes a few hundred milliseconds, so the click that ends a set
        answers immediately with the text and the figures follow; :meth:`wait_for_summary` waits for them.
        """
        records = self.results
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
        text = (f"<h4>Summary: {total} of {len(records)} agreed with the expert key "
                f"({self.session.score:g} points with half points)</h4>"
                "<table><tr><th>Expert label</th><th>Agreed</th></tr>" + "".join(rows) + "</table>")  # fmt: skip
        brier = self.session.brier()
        if brier is not None:
            text += (f"<p><b>Brier score:</b> {brier:.2f} (0 is perfect; always saying 50% scores 0.25). "
                     "It measures how well your confidence matched your accuracy.</p>")  # fmt: skip
        text += self._revisit_html()
        rated = [r for r in records if r["confidence"] is not None]
        text += ("<p><i>Figure description:</i> a grid of expert labels (rows) against your labels (columns); "
                 "the diagonal counts agreements, and the outlined cells are attachment and relational "
                 "mistaken for each other." + (" Beside it, a calibration plot of confidence against accuracy."
                                                if rated else "") + "</p>")  # fmt: skip
        self.summary.value = text
        self._drawing = threading.Thread(target=self._draw_summary_figures, args=(records, rated), daemon=True)
        self._drawing.start()

    def _draw_summary_figures(self, records: list[dict], rated: list[dict]) -> None:
        confusion = charts.confusion_figure([r["expert"] for r in records], [r["answer"] for r in records], self.labels)
        images = [Picture(charts.to_png(confusion), confusion_alt(records, self.labels))]
        if rated:
            calibration = charts.calibration_figure([r["confidence"] for r in rated], [r["correct"] for r in rated])
            images.append(Picture(charts.to_png(calibration), calibration_alt(rated)))
        self.summary_figures.children = images

    def wait_for_summary(self, timeout: float = 60) -> None:
        """Block until the summary figures are drawn (tests and scripts; a notebook need not wait)."""
        if self._drawing is not None:
            self._drawing.join(timeout)

    def _revisit_html(self) -> str:
        modules = self.modules_to_revisit()
        if not modules:
            return "<p><b>Modules to revisit:</b> none; every answer agreed with the expert key.</p>"
        names = ", ".join(f"{m} {MODULES[m][0]}" for m in modules)
        return f"<p><b>Modules to revisit</b> (the modules your disagreements came from, most first): {names}.</p>"
