"""Charts of how someone sorted: shared by the sorter's feedback, the workshop's room vote and the
cohort report, so a trainee and a supervisor read the same picture the same way.

:func:`to_png` turns a figure into bytes for an ``ipywidgets.Image`` or an HTML page, so figures look
the same in JupyterLab, Voila, tests and reports.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..core.labels import LABEL_NAMES, LABEL_TABLE, LABELS


def to_png(figure: Figure, dpi: int = 100) -> bytes:
    """Render a figure to PNG bytes (widgets hold bytes, not live figures)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def confusion_figure(expected: Sequence[str], given: Sequence[str], labels: Sequence[str] = LABELS) -> Figure:
    """Expert label (rows) against the sorted label (columns); the diagonal is agreement.

    The attachment/relational cells are outlined, because that is the confusion this curriculum teaches
    trainees to notice. It is drawn at the size it is shown (about 100 pixels per inch, 520 pixels wide
    with five labels, which fits beside the calibration plot), so its 11-point tick labels read at 15
    pixels on screen instead of being scaled down.
    """
    from sklearn.metrics import confusion_matrix  # imported when a chart is drawn, not when a notebook starts

    matrix = confusion_matrix(list(expected), list(given), labels=list(labels))
    figure = Figure(figsize=(0.64 * len(labels) + 2.0, 0.56 * len(labels) + 2.0), layout="constrained")
    axes = figure.subplots()
    axes.imshow(matrix, cmap="Blues", vmin=0, vmax=max(1, matrix.max()))
    names = [LABEL_TABLE[label].short for label in labels]
    axes.set_xticks(range(len(labels)), names, rotation=35, ha="right", rotation_mode="anchor", fontsize=11)
    axes.set_yticks(range(len(labels)), names, fontsize=11)
    axes.set_xlabel("Label chosen", fontsize=11)
    axes.set_ylabel("Expert label", fontsize=11)
    axes.set_title("Where the sorting agreed\nwith the expert key", fontsize=12)
    for row in range(len(labels)):
        for column in range(len(labels)):
            value = matrix[row, column]
            colour = "white" if value > matrix.max() / 2 else "black"
            axes.text(column, row, str(value), ha="center", va="center", color=colour, fontsize=13)
    if {"attachment", "relational"} <= set(labels):
        a, r = labels.index("attachment"), labels.index("relational")
        for row, column in ((a, r), (r, a)):
            axes.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, lw=3, ec="#D55E00"))
    return figure


def calibration_figure(
    confidence: Sequence[float], correct: Sequence[bool], who: str = "your answers"
) -> Figure:
    """How sure the sorter felt (x) against how often they were right (y); the diagonal is perfect calibration."""
    from sklearn.calibration import calibration_curve  # heavy: imported only when a curve is drawn

    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=int)
    figure = Figure(figsize=(5, 4.5), layout="constrained")
    axes = figure.subplots()
    axes.plot([0, 1], [0, 1], ls="--", color="#666666", label="perfect calibration")
    bins = min(5, max(1, len(np.unique(confidence))))
    observed, predicted = calibration_curve(correct, confidence, n_bins=bins, strategy="uniform")
    axes.plot(predicted, observed, marker="o", color="#0072B2", lw=2, label=who)
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
        [LABEL_TABLE[label].short for label in labels], counts, color=[LABEL_TABLE[label].colour for label in labels]
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
