"""The curriculum's figures: matplotlib, colour-blind-safe, each with a title and labelled parts.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot (no global state, nothing
shown twice); a notebook displays it as it is, and :func:`to_png` turns one into bytes for an
``ipywidgets.Image``, so widgets show figures the same way in JupyterLab, Voila and tests.
"""

from __future__ import annotations

import io
import itertools
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from sklearn.calibration import calibration_curve
from sklearn.metrics import confusion_matrix

from .definitions import LABEL_NAMES, LABELS

#: Okabe and Ito's palette, distinguishable with the common colour-vision differences.
LABEL_COLOURS: dict[str, str] = {
    "attachment": "#0072B2",
    "relational": "#E69F00",
    "both": "#009E73",
    "not_relational": "#999999",
    "insufficient_information": "#CC79A7",
}
SHORT_NAMES: dict[str, str] = {
    "attachment": "attachment",
    "relational": "relational",
    "both": "both",
    "not_relational": "not relational",
    "insufficient_information": "insufficient\ninformation",
}


def to_png(figure: Figure, dpi: int = 100) -> bytes:
    """Render a figure to PNG bytes (widgets hold bytes, not live figures)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def confusion_figure(expected: Sequence[str], given: Sequence[str], labels: Sequence[str] = LABELS) -> Figure:
    """Expert label (rows) against the sorted label (columns); the diagonal is agreement.

    The attachment/relational cells are outlined, because that is the confusion this curriculum teaches
    trainees to notice.
    """
    matrix = confusion_matrix(list(expected), list(given), labels=list(labels))
    figure = Figure(figsize=(1.3 * len(labels) + 2.5, 1.1 * len(labels) + 1.8), layout="constrained")
    axes = figure.subplots()
    axes.imshow(matrix, cmap="Blues", vmin=0, vmax=max(1, matrix.max()))
    names = [SHORT_NAMES[label] for label in labels]
    axes.set_xticks(range(len(labels)), names, rotation=30, ha="right")
    axes.set_yticks(range(len(labels)), names)
    axes.set_xlabel("Label chosen")
    axes.set_ylabel("Expert label")
    axes.set_title("Where the sorting agreed with the expert key")
    for row in range(len(labels)):
        for column in range(len(labels)):
            value = matrix[row, column]
            colour = "white" if value > matrix.max() / 2 else "black"
            axes.text(column, row, str(value), ha="center", va="center", color=colour, fontsize=12)
    if {"attachment", "relational"} <= set(labels):
        a, r = labels.index("attachment"), labels.index("relational")
        for row, column in ((a, r), (r, a)):
            axes.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, lw=3, ec="#D55E00"))
    return figure


def calibration_figure(confidence: Sequence[float], correct: Sequence[bool]) -> Figure:
    """How sure the sorter felt (x) against how often they were right (y); the diagonal is perfect calibration."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=int)
    figure = Figure(figsize=(5, 4.5), layout="constrained")
    axes = figure.subplots()
    axes.plot([0, 1], [0, 1], ls="--", color="#666666", label="perfect calibration")
    bins = min(5, max(1, len(np.unique(confidence))))
    observed, predicted = calibration_curve(correct, confidence, n_bins=bins, strategy="uniform")
    axes.plot(predicted, observed, marker="o", color="#0072B2", lw=2, label="your answers")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel("How sure you were (confidence)")
    axes.set_ylabel("How often you were right")
    axes.set_title("Calibration: confidence against accuracy")
    axes.legend(loc="upper left")
    return figure


def room_votes_figure(votes: Mapping[str, int], expert: str | None = None) -> Figure:
    """The room's votes per label as bars; once revealed, the expert label's bar is hatched and named."""
    labels = list(votes)
    counts = [votes[label] for label in labels]
    figure = Figure(figsize=(7, 3.6), layout="constrained")
    axes = figure.subplots()
    bars = axes.bar(
        [SHORT_NAMES[label] for label in labels], counts, color=[LABEL_COLOURS[label] for label in labels]
    )
    if expert is not None:
        bar = bars[labels.index(expert)]
        bar.set_hatch("//")
        bar.set_edgecolor("black")
        bar.set_linewidth(2)
        axes.set_title(f"The room's votes: the expert label is {LABEL_NAMES[expert]}")
    else:
        axes.set_title("The room's votes")
    axes.set_xlabel("Label")
    axes.set_ylabel("Votes")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return figure


def module_map_figure() -> Figure:
    """The route through the curriculum: modules 00 to 07 as numbered stations, in two rows."""
    from .curriculum import MODULES

    figure = Figure(figsize=(11, 4.4), layout="constrained")
    axes = figure.subplots()
    axes.set_xlim(-0.2, 4.2)
    axes.set_ylim(-0.1, 2.1)
    axes.axis("off")
    axes.set_title("The curriculum map: eight modules, from the broad category to integration")
    positions = {number: (index % 4, 1.5 if index < 4 else 0.4) for index, number in enumerate(MODULES)}
    theme = {"00": "#999999", "01": "#E69F00", "02": "#0072B2", "03": "#009E73",
             "04": "#0072B2", "05": "#CC79A7", "06": "#009E73", "07": "#D55E00"}  # fmt: skip
    for number, (title, summary) in MODULES.items():
        x, y = positions[number]
        axes.add_patch(Rectangle((x + 0.02, y - 0.35), 0.9, 0.7, fc=theme[number], alpha=0.18,
                                 ec=theme[number], lw=2))  # fmt: skip
        heading = textwrap.fill(f"{number}  {title}", 24)
        axes.text(x + 0.47, y + 0.17, heading, ha="center", va="center", fontsize=10.5, weight="bold")
        axes.text(x + 0.47, y - 0.16, textwrap.fill(summary, 30), ha="center", va="center", fontsize=8.5)
    for first, second in itertools.pairwise(MODULES):
        (x1, y1), (x2, y2) = positions[first], positions[second]
        start, end = (
            ((x1 + 0.92, y1), (x2 + 0.02, y2))
            if y1 == y2
            else ((x1 + 0.47, y1 - 0.35), (x2 + 0.47, y2 + 0.35))
        )
        axes.annotate(
            "", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "lw": 1.5, "color": "#333333"}
        )
    return figure
