"""My progress: what the trainee's private practice record shows, drawn in their own kernel.

Accuracy per label over time, calibration (how sure against how often right), the most frequent
confusion, and whether interleaved review cards went better than blocked ones (measured, not assumed:
Monteiro et al., 2017, found no benefit in one clinical setting). Nothing leaves the machine.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Sequence

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..core.labels import LABEL_TABLE, LABELS, plain_name
from . import charts
from .deck import Picture, Prose
from .review import LABEL_SOURCES
from .store import Answer, PracticeStore, default_store

#: A marker per label, so the lines are told apart without colour.
MARKERS = dict(zip(LABELS, ("o", "s", "^", "D", "v"), strict=True))


def label_answers(answers: Sequence[Answer]) -> list[Answer]:
    """The answers that sorted a case into one of the five labels (sorter, review, unfolding stages)."""
    return [a for a in answers if a.source in LABEL_SOURCES and a.expert in LABELS and a.answer in LABELS]


def accuracy_by_day(answers: Sequence[Answer]) -> dict[str, list[tuple[object, float, int]]]:
    """Per expert label: (day, share right, how many answers) for each practice day, in order."""
    counts: dict[str, dict[object, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for answer in answers:
        cell = counts[answer.expert][answer.at.date()]
        cell[0] += answer.correct
        cell[1] += 1
    return {label: [(day, right / total, total) for day, (right, total) in sorted(counts[label].items())]
            for label in LABELS if label in counts}  # fmt: skip


def accuracy_over_time_figure(answers: Sequence[Answer]) -> Figure:
    """Share right per expert label on each practice day: one line (colour and marker) per label."""
    figure = Figure(figsize=(7.5, 4), layout="constrained")
    axes = figure.subplots()
    for label, points in accuracy_by_day(answers).items():
        days, shares = [p[0] for p in points], [p[1] for p in points]
        axes.plot(days, shares, marker=MARKERS[label], color=LABEL_TABLE[label].colour, lw=2, ms=7,
                  label=LABEL_TABLE[label].short.replace("\n", " "))  # fmt: skip
    axes.set_ylim(-0.05, 1.05)
    axes.set_xlabel("Practice day")
    axes.set_ylabel("Share right")
    axes.set_title("Accuracy per expert label, day by day")
    axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9)
    figure.autofmt_xdate()
    return figure


def accuracy_alt(answers: Sequence[Answer]) -> str:
    parts = []
    for label, points in accuracy_by_day(answers).items():
        first, last = points[0], points[-1]
        parts.append(f"{plain_name(label)}: {first[1]:.0%} on {first[0]:%d %B}" + (
            f", {last[1]:.0%} on {last[0]:%d %B}" if len(points) > 1 else ""))  # fmt: skip
    return "Line chart of the share right per expert label on each practice day. " + "; ".join(parts) + "."


def most_frequent_confusion(answers: Sequence[Answer]) -> tuple[str, str, int] | None:
    """The (expert label, label given, count) mix-up that happened most often, or None."""
    wrong = Counter((a.expert, a.answer) for a in answers if a.expert != a.answer)
    if not wrong:
        return None
    (expert, given), count = wrong.most_common(1)[0]
    return expert, given, count


def mode_accuracy(answers: Sequence[Answer]) -> dict[str, tuple[int, int]]:
    """Review cards only: (right, answered) for interleaved and for blocked cards."""
    found = {}
    for mode in ("interleaved", "blocked"):
        mine = [a for a in answers if a.source == "review" and a.mode == mode]
        if mine:
            found[mode] = (sum(a.correct for a in mine), len(mine))
    return found


class MyProgress(widgets.VBox):
    """The progress page: a summary in words, then the figures (each with its description in words)."""

    def __init__(self, store: PracticeStore | None = None):
        self.store = store or default_store()
        answers = label_answers(self.store.answers())
        self.summary = Prose(self.summary_html(answers))
        self.figures = widgets.VBox()
        if answers:
            self.figures.children = self._figures(answers)
        super().__init__([self.summary, self.figures])

    @staticmethod
    def summary_html(answers: Sequence[Answer]) -> str:
        if not answers:
            return ("<p><b>No practice saved yet.</b> Sort some vignettes, work through an unfolding case or take "
                    "today's review, then run this cell again.</p>")  # fmt: skip
        days = sorted({a.at.date() for a in answers})
        rows = "".join(f"<tr><td>{plain_name(label)}</td><td>{sum(a.correct for a in mine)} of {len(mine)}</td></tr>"
                       for label in LABELS if (mine := [a for a in answers if a.expert == label]))  # fmt: skip
        text = (f"<p>{len(answers)} sorted answers over {len(days)} practice day{'s' if len(days) != 1 else ''}, "
                f"{days[0]:%d %B %Y} to {days[-1]:%d %B %Y}.</p><table><tr><th>Expert label</th><th>Right</th></tr>"
                f"{rows}</table>")  # fmt: skip
        confusion = most_frequent_confusion(answers)
        if confusion:
            expert, given, count = confusion
            text += (f"<p><b>Your most frequent confusion:</b> {plain_name(expert)} answered as {plain_name(given)} "
                     f"({count} time{'s' if count != 1 else ''}). Today's review weights its cards towards this pair.</p>")  # fmt: skip
        rated = [a for a in answers if a.confidence is not None]
        if rated:
            mean_sure = sum(a.confidence for a in rated) / len(rated)
            mean_right = sum(a.correct for a in rated) / len(rated)
            text += (f"<p><b>Calibration:</b> on average you were {mean_sure:.0%} sure and {mean_right:.0%} right "
                     f"({'over' if mean_sure > mean_right + 0.05 else 'under' if mean_sure < mean_right - 0.05 else 'well '}"
                     "confident, over the rated answers).</p>")  # fmt: skip
        modes = mode_accuracy(answers)
        if len(modes) == 2:
            (ri, ni), (rb, nb) = modes["interleaved"], modes["blocked"]
            text += (f"<p><b>Interleaved or blocked?</b> In today's review you got {ri} of {ni} interleaved cards "
                     f"({ri / ni:.0%}) and {rb} of {nb} blocked cards ({rb / nb:.0%}) right. The interleaved cards are "
                     "the pair you confuse, so they are harder by design: compare them over weeks, not days.</p>")  # fmt: skip
        return text

    @staticmethod
    def _figures(answers: Sequence[Answer]) -> list:
        from .sorter import calibration_alt, confusion_alt

        records = [{"expert": a.expert, "answer": a.answer, "correct": a.correct, "confidence": a.confidence}
                   for a in answers]  # fmt: skip
        shown = [Prose("<p><i>Figure description:</i> " + html.escape(accuracy_alt(answers)) + "</p>"),
                 Picture(charts.to_png(accuracy_over_time_figure(answers)), accuracy_alt(answers))]  # fmt: skip
        confusion = charts.confusion_figure([a.expert for a in answers], [a.answer for a in answers])
        shown += [Prose("<p><i>Figure description:</i> " + html.escape(confusion_alt(records, LABELS)) + "</p>"),
                  Picture(charts.to_png(confusion), confusion_alt(records, LABELS))]  # fmt: skip
        rated = [r for r in records if r["confidence"] is not None]
        if rated:
            calibration = charts.calibration_figure(
                [r["confidence"] for r in rated], [r["correct"] for r in rated]
            )
            shown += [Prose("<p><i>Figure description:</i> " + html.escape(calibration_alt(rated)) + "</p>"),
                      Picture(charts.to_png(calibration), calibration_alt(rated))]  # fmt: skip
        return shown
