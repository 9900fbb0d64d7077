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
from matplotlib.patches import Circle, Polygon, Rectangle
from sklearn.calibration import calibration_curve
from sklearn.metrics import confusion_matrix

from .curriculum import DEVELOPMENTAL_STAGES, MODULES
from .definitions import DEVELOPMENTAL_WINDOW_END, LABEL_NAMES, LABELS

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


def calibration_figure(
    confidence: Sequence[float], correct: Sequence[bool], who: str = "your answers"
) -> Figure:
    """How sure the sorter felt (x) against how often they were right (y); the diagonal is perfect calibration."""
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


def _diagram(
    size: tuple[float, float], xlim=(0, 10), ylim=(0, 6), equal: bool = True
) -> tuple[Figure, object]:
    """A figure with one blank drawing area (no axes shown), for maps, houses and circle diagrams."""
    figure = Figure(figsize=size, layout="constrained")
    axes = figure.subplots()
    axes.set_xlim(*xlim)
    axes.set_ylim(*ylim)
    if equal:
        axes.set_aspect("equal")
    axes.axis("off")
    return figure, axes


def module_map_figure() -> Figure:
    """The route through the curriculum: modules 00 to 07 as numbered stations, in two rows."""
    figure, axes = _diagram((11, 4.4), xlim=(-0.2, 4.2), ylim=(-0.1, 2.1), equal=False)
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


#: Relationships of trust across a lifespan, in years: (who, from, to). Spans are illustrative.
_LIFESPAN_BARS = (
    ("Primary caregivers", 0, 80),
    ("Other family", 0, 80),
    ("Friends and peers", 3, 80),
    ("Teachers, coaches, mentors", 4, 30),
    ("Partners", 14, 80),
    ("Colleagues and supervisors", 16, 70),
    ("Professionals and helpers", 0, 80),
)


def lifespan_contexts_figure() -> Figure:
    """Where relational trauma can happen across a life; the attachment window marked on the caregiver bar."""
    figure = Figure(figsize=(10, 4.6), layout="constrained")
    axes = figure.subplots()
    window = axes.axvspan(0, DEVELOPMENTAL_WINDOW_END, color="#0072B2", alpha=0.12)
    for row, (who, start, end) in enumerate(reversed(_LIFESPAN_BARS)):
        axes.barh(row, end - start, left=start, height=0.55, color=LABEL_COLOURS["relational"], alpha=0.85)
        if who == "Primary caregivers":
            axes.barh(row, DEVELOPMENTAL_WINDOW_END, left=0, height=0.55, color=LABEL_COLOURS["attachment"])
            axes.text(DEVELOPMENTAL_WINDOW_END + 0.8, row, "attachment (in the window)", va="center",
                      fontsize=9, color="white", weight="bold")  # fmt: skip
    axes.set_yticks(range(len(_LIFESPAN_BARS)), [who for who, _, _ in reversed(_LIFESPAN_BARS)])
    axes.set_xlim(0, 80)
    axes.set_xlabel("Age (years)")
    axes.set_title("Relationships of trust across a lifespan: where relational trauma can happen")
    axes.legend(
        [window, Rectangle((0, 0), 1, 1, color=LABEL_COLOURS["relational"])],
        [f"developmental window (teaching choice: before {DEVELOPMENTAL_WINDOW_END})", "relational"],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=2,
    )
    return figure


def _person(axes, x: float, y: float, label: str, colour: str, size: float = 0.09) -> None:
    axes.add_patch(Circle((x, y), size, fc=colour, ec="black", lw=1.5, alpha=0.9))
    axes.text(x, y - size - 0.06, label, ha="center", va="top", fontsize=10)


def _arrow(axes, start, end, text: str, colour: str, text_y: float) -> None:
    axes.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "lw": 2, "color": colour,
                                                        "connectionstyle": "arc3,rad=0.3"})  # fmt: skip
    axes.text((start[0] + end[0]) / 2, text_y, text, ha="center", va="center", fontsize=9, color=colour)


def safe_haven_figure() -> Figure:
    """Secure base and safe haven, beside fright without solution (Hesse and Main, 2000)."""
    figure = Figure(figsize=(11, 4.4), layout="constrained")
    left, right = figure.subplots(1, 2)
    for axes in (left, right):
        axes.set_xlim(0, 1)
        axes.set_ylim(0, 1)
        axes.set_aspect("equal")
        axes.axis("off")
    left.set_title("Secure base and safe haven")
    _person(left, 0.25, 0.55, "caregiver", LABEL_COLOURS["attachment"])
    _person(left, 0.7, 0.55, "child", "#F0E442", size=0.06)
    _arrow(left, (0.64, 0.62), (0.36, 0.62), "alarmed: moves closer", "#D55E00", 0.82)
    _arrow(left, (0.36, 0.48), (0.64, 0.48), "comforted: returns to explore", "#007A5A", 0.28)
    left.text(
        0.5, 0.12, "The caregiver is the safe place to return to.", ha="center", fontsize=10, style="italic"
    )
    right.set_title("Fright without solution")
    _person(right, 0.25, 0.55, "caregiver", "#CC79A7")
    _person(right, 0.7, 0.55, "child", "#F0E442", size=0.06)
    _arrow(right, (0.64, 0.62), (0.36, 0.62), "urge to approach the only haven", "#0072B2", 0.82)
    _arrow(right, (0.36, 0.48), (0.64, 0.48), "the same person is the source of alarm", "#D55E00", 0.28)
    right.text(
        0.5, 0.12, "Approach and flight collide: no strategy works.", ha="center", fontsize=10, style="italic"
    )
    figure.suptitle("The caregiver as safe haven, and as both danger and the only safety", fontsize=12)
    return figure


def _region(axes, centre: tuple[float, float], radius: float, label: str, alpha: float) -> None:
    """A shaded circle in a label's colour."""
    colour = LABEL_COLOURS[label]
    axes.add_patch(Circle(centre, radius, fc=colour, alpha=alpha, ec=colour, lw=2.5))


def subset_figure() -> Figure:
    """Attachment trauma as a subset of relational trauma; not-relational trauma outside both."""
    figure, axes = _diagram((9, 5.2))
    _region(axes, (3.6, 3), 2.8, "relational", 0.25)
    _region(axes, (3.6, 2.2), 1.35, "attachment", 0.35)
    axes.text(3.6, 4.6, "Relational trauma", ha="center", fontsize=13, weight="bold")
    axes.text(
        3.6,
        4.05,
        "a wound inside any relationship\nof trust or dependence, at any age",
        ha="center",
        fontsize=9.5,
    )
    axes.text(3.6, 2.55, "Attachment trauma", ha="center", fontsize=11.5, weight="bold")
    axes.text(
        3.6,
        1.75,
        "inside the early caregiver-child\nbond, within the developmental\nwindow",
        ha="center",
        fontsize=8.5,
    )
    axes.add_patch(
        Rectangle((7.0, 2.1), 2.8, 1.8, fc=LABEL_COLOURS["not_relational"], alpha=0.3, ec="#555555", lw=2)
    )
    axes.text(8.4, 3.35, "Not relational", ha="center", fontsize=11.5, weight="bold")
    axes.text(8.4, 2.6, "disaster, accident,\nstranger", ha="center", fontsize=9.5)
    axes.set_title("All attachment trauma is relational; not all relational trauma is attachment trauma")
    return figure


def _house(axes, x: float, foundation_cracked: bool, caption: str) -> None:
    axes.add_patch(
        Rectangle((x, 0.6), 3, 0.8, fc=LABEL_COLOURS["attachment"], alpha=0.45, ec="black", lw=1.5)
    )
    axes.text(x + 1.5, 1.0, "foundation: the attachment blueprint", ha="center", va="center", fontsize=8.5)
    for floor in range(2):
        axes.add_patch(Rectangle((x + 0.2, 1.4 + floor * 1.1), 2.6, 1.1, fc=LABEL_COLOURS["relational"], alpha=0.3,
                                 ec="black", lw=1.5))  # fmt: skip
    axes.text(x + 1.5, 2.0, "later relationships", ha="center", fontsize=8.5)
    axes.add_patch(
        Polygon([(x, 3.6), (x + 1.5, 4.5), (x + 3, 3.6)], closed=True, fc="#DDDDDD", ec="black", lw=1.5)
    )
    axes.plot([x + 1.9, x + 2.1, x + 1.95, x + 2.2], [3.5, 3.15, 2.9, 2.6], color="#D55E00", lw=3)
    axes.text(x + 2.3, 3.1, "later wound", fontsize=8.5, color="#D55E00")
    if foundation_cracked:
        axes.plot([x + 0.6, x + 0.85, x + 0.7, x + 1.0], [1.4, 1.15, 0.95, 0.6], color="#D55E00", lw=3)
        axes.text(x + 1.1, 0.35, "early wound", fontsize=8.5, color="#D55E00")
    axes.text(x + 1.5, -0.2, caption, ha="center", va="top", fontsize=10, style="italic")


def blueprint_figure() -> Figure:
    """The blueprint and the structure built on it: a later wound on a sound base, and on a cracked one."""
    figure, axes = _diagram((10, 5), xlim=(-0.5, 8.5), ylim=(-1.0, 4.8))
    _house(axes, 0.2, False, "relational wound on a secure base")
    _house(axes, 4.8, True, "both: an attachment wound,\nand a later wound on top of it")
    axes.set_title("The blueprint and the structure built on it")
    return figure


def developmental_timeline_figure() -> Figure:
    """A timeline from birth to 25 of the resources for making sense of experience, with the window shaded."""
    figure = Figure(figsize=(11, 3.8), layout="constrained")
    axes = figure.subplots()
    axes.axvspan(0, DEVELOPMENTAL_WINDOW_END, color=LABEL_COLOURS["attachment"], alpha=0.15)
    axes.text(DEVELOPMENTAL_WINDOW_END / 2, 2.55, f"developmental window\n(before {DEVELOPMENTAL_WINDOW_END}: a teaching choice)",
              ha="center", va="center", fontsize=9, color=LABEL_COLOURS["attachment"], weight="bold")  # fmt: skip
    shades = ("#E8E8E8", "#D8D8D8", "#C8C8C8", "#B8B8B8")
    for (start, end, name, resources), shade in zip(DEVELOPMENTAL_STAGES, shades, strict=True):
        axes.barh(1.2, end - start, left=start, height=1.1, color=shade, ec="white", lw=2)
        axes.text((start + end) / 2, 1.45, name, ha="center", va="center", fontsize=9.5, weight="bold")
        axes.text(
            (start + end) / 2,
            0.98,
            resources,
            ha="center",
            va="center",
            fontsize=7.5 if end - start < 3 else 8,
        )
    axes.annotate("", xy=(25, 0.35), xytext=(0, 0.35), arrowprops={"arrowstyle": "->", "lw": 1.5})
    axes.text(
        12.5,
        0.12,
        "more narrative, context and scaffolding to make sense of a wound",
        ha="center",
        fontsize=9,
    )
    axes.set_xlim(0, 25)
    axes.set_ylim(0, 3)
    axes.set_yticks([])
    axes.set_xlabel("Age (years); change is gradual, the boundaries are approximate")
    axes.set_title("What a person has available to make sense of a relational wound, by age")
    return figure


def symptom_overlap_figure() -> Figure:
    """For each symptom, the share of the bank's attachment and relational vignettes that list it."""
    from .vignettes import SYMPTOMS, load_bank

    bank = load_bank()
    groups = {label: [v for v in bank if v.label == label] for label in ("attachment", "relational")}
    symptoms = list(SYMPTOMS)
    shares = {
        label: [sum(s in v.symptoms for v in items) / len(items) for s in symptoms]
        for label, items in groups.items()
    }
    figure = Figure(figsize=(9, 6), layout="constrained")
    axes = figure.subplots()
    rows = np.arange(len(symptoms))
    for offset, label in ((-0.2, "attachment"), (0.2, "relational")):
        axes.barh(rows + offset, shares[label], height=0.38, color=LABEL_COLOURS[label],
                  label=f"{LABEL_NAMES[label]} ({len(groups[label])} vignettes)")  # fmt: skip
    axes.set_yticks(rows, [SYMPTOMS[s] for s in symptoms])
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xlabel("Share of the practice vignettes that list the symptom")
    axes.set_title("The symptoms overlap: most appear with both kinds of history")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    return figure


def treatment_arcs_figure() -> Figure:
    """A schematic (not data) of felt safety over the course of therapy for three kinds of history."""
    sessions = np.linspace(0, 1, 200)
    attachment = 0.15 + 0.7 * sessions**1.6 + 0.05 * np.sin(sessions * 40) * (1 - sessions)
    secure_base = 0.3 + 0.6 * (1 - np.exp(-5 * sessions))
    both = (
        0.15
        + 0.6 * sessions**1.4
        - 0.18 * np.exp(-((sessions - 0.45) ** 2) / 0.004)
        + 0.04 * np.sin(sessions * 30)
    )
    figure = Figure(figsize=(9, 4.8), layout="constrained")
    axes = figure.subplots()
    axes.plot(
        sessions,
        attachment,
        lw=2.5,
        color=LABEL_COLOURS["attachment"],
        label="attachment trauma: a longer arc, ruptures and repairs",
    )
    axes.plot(
        sessions,
        secure_base,
        lw=2.5,
        ls="--",
        color=LABEL_COLOURS["relational"],
        label="relational trauma on a secure base: a shorter arc",
    )
    axes.plot(
        sessions,
        both,
        lw=2.5,
        ls=":",
        color=LABEL_COLOURS["both"],
        label="both: a later wound reactivates an earlier one",
    )
    axes.annotate(
        "reactivation", xy=(0.45, both[90]), xytext=(0.5, 0.08), arrowprops={"arrowstyle": "->"}, fontsize=9
    )
    axes.set_xticks([0, 1], ["start of therapy", "later"])
    axes.set_yticks([0, 1], ["low", "high"])
    axes.set_ylim(0, 1.05)
    axes.set_xlabel("Course of therapy")
    axes.set_ylabel("Felt safety in relationships")
    axes.set_title("Treatment arcs compared (schematic, not data)")
    axes.legend(loc="upper left", fontsize=8.5)
    return figure


#: What both kinds of wound share, in this curriculum's words (after Leal's list).
SHARED_TERRAIN = (
    "held in the body and nervous system\nas states, not only as stories",
    "shame: the wound read as proof\nthat something is wrong with the self",
    "relational patterns that feel\nautomatic and unchosen",
    "healing needs a new relational\nexperience, not insight alone",
    "both can reorganise:\nneither is permanent",
)


def shared_terrain_figure() -> Figure:
    """Two overlapping circles; the overlap lists what attachment and relational trauma share."""
    figure, axes = _diagram((10, 5.6))
    _region(axes, (3.9, 3), 2.8, "attachment", 0.2)
    _region(axes, (6.1, 3), 2.8, "relational", 0.2)
    axes.text(
        1.9,
        5.3,
        "Attachment trauma",
        ha="center",
        fontsize=12,
        weight="bold",
        color=LABEL_COLOURS["attachment"],
    )
    axes.text(8.1, 5.3, "Relational trauma", ha="center", fontsize=12, weight="bold", color="#9A6A00")
    axes.text(1.9, 3.0, "early; feels like\n'how I am'", ha="center", fontsize=9)
    axes.text(8.1, 3.0, "any age; often a\nbefore and after", ha="center", fontsize=9)
    for index, item in enumerate(SHARED_TERRAIN):
        axes.text(5, 4.6 - index * 0.8, item, ha="center", va="center", fontsize=8)
    axes.set_title("The shared terrain: what both wounds have in common")
    return figure


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
    """Proportion of the cohort right on each item, hardest first, coloured by the expected answer."""
    order = np.argsort(proportions)
    figure = Figure(figsize=(8, 0.32 * len(items) + 1.6), layout="constrained")
    axes = figure.subplots()
    colours = [LABEL_COLOURS.get(expected[i], "#0072B2") for i in order]
    axes.barh([items[i] for i in order], [proportions[i] for i in order], color=colours, edgecolor="black")
    axes.set_xlim(0, 1)
    axes.set_xlabel("Proportion of the cohort right")
    axes.set_ylabel("Item")
    axes.set_title("Item difficulty: hardest at the top")
    axes.invert_yaxis()
    shown = [label for label in LABEL_COLOURS if label in expected]
    if shown:
        axes.legend([Rectangle((0, 0), 1, 1, color=LABEL_COLOURS[label]) for label in shown],
                    [SHORT_NAMES[label].replace("\n", " ") for label in shown], title="expected answer",
                    loc="lower right", fontsize=8)  # fmt: skip
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
