"""The charts only the cohort report draws: kappas, item difficulty, points given by hand."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ...core.labels import LABEL_TABLE


def kappa_distribution_figure(kappas: Sequence[float], mastery: float) -> Figure:
    """How the cohort's kappas spread, with the mastery line this program chose."""
    values = [k for k in kappas if not np.isnan(k)]
    figure = Figure(figsize=(7, 3.8), layout="constrained")
    axes = figure.subplots()
    axes.hist(values, bins=np.linspace(-0.2, 1.0, 13), color="#56B4E9", edgecolor="black")
    axes.axvline(mastery, color="#D55E00", lw=2.5, ls="--", label=f"mastery line (kappa {mastery:.2f})")
    axes.set_xlabel("Cohen's kappa with the expert key")
    axes.set_ylabel("Trainees")
    axes.set_title("Agreement beyond chance, trainee by trainee")
    axes.legend(loc="upper left")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return figure


def item_difficulty_figure(
    items: Sequence[str], proportions: Sequence[float], expected: Sequence[str]
) -> Figure:
    """Proportion of the cohort right on each item, hardest first, coloured by the expected answer.

    The legend sits outside the axes, to the right: inside, it covers the longest (easiest) bars.
    """
    order = np.argsort(proportions)
    figure = Figure(figsize=(10, 0.32 * len(items) + 1.6), layout="constrained")
    axes = figure.subplots()
    colours = [LABEL_TABLE[expected[i]].colour if expected[i] in LABEL_TABLE else "#0072B2" for i in order]
    axes.barh([items[i] for i in order], [proportions[i] for i in order], color=colours, edgecolor="black")
    axes.set_xlim(0, 1)
    axes.set_xlabel("Proportion of the cohort right")
    axes.set_ylabel("Item")
    axes.set_title("Item difficulty: hardest at the top")
    axes.invert_yaxis()
    shown = [label for label in LABEL_TABLE if label in expected]
    if shown:
        axes.legend([Rectangle((0, 0), 1, 1, color=LABEL_TABLE[label].colour) for label in shown],
                    [LABEL_TABLE[label].short.replace("\n", " ") for label in shown], title="expected answer",
                    loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0, fontsize=8)  # fmt: skip
    return figure


def written_points_figure(points: Sequence[float], maximum: float, title: str) -> Figure:
    """How many trainees got each number of points for a written answer graded by hand."""
    figure = Figure(figsize=(5.5, 3.4), layout="constrained")
    axes = figure.subplots()
    values = np.arange(0, maximum + 0.5, 0.5 if any(p % 1 for p in points) else 1)
    counts = [sum(abs(p - v) < 1e-9 for p in points) for v in values]
    axes.bar([f"{v:g}" for v in values], counts, color="#009E73", edgecolor="black")
    axes.set_xlabel(f"Points given by hand (of {maximum:g})")
    axes.set_ylabel("Trainees")
    axes.set_title(title)
    axes.yaxis.get_major_locator().set_params(integer=True)
    return figure
