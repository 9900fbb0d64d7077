"""The teaching diagrams the modules show: maps, timelines, circle diagrams and schematics.

Matplotlib, colour-blind-safe, each with a title and labelled parts. Every function returns a
:class:`matplotlib.figure.Figure` built without pyplot (no global state, nothing shown twice), which a
notebook displays as it is. Their content (stages, lifespans, the shared terrain) comes from
:mod:`trauma_curriculum.core.curriculum`; the charts that feedback and the report share are in
:mod:`.charts`.
"""

from __future__ import annotations

import itertools
import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Polygon, Rectangle

from ..core.curriculum import DEVELOPMENTAL_STAGES, LIFESPAN_BARS, MODULES, SHARED_TERRAIN
from ..core.definitions import DEVELOPMENTAL_WINDOW_END
from ..core.labels import LABEL_NAMES, LABEL_TABLE


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


def lifespan_contexts_figure() -> Figure:
    """Where relational trauma can happen across a life; the attachment window marked on the caregiver bar."""
    figure = Figure(figsize=(10, 4.6), layout="constrained")
    axes = figure.subplots()
    window = axes.axvspan(0, DEVELOPMENTAL_WINDOW_END, color="#0072B2", alpha=0.12)
    for row, (who, start, end) in enumerate(reversed(LIFESPAN_BARS)):
        axes.barh(row, end - start, left=start, height=0.55, color=LABEL_TABLE["relational"].colour, alpha=0.85)
        if who == "Primary caregivers":
            axes.barh(row, DEVELOPMENTAL_WINDOW_END, left=0, height=0.55, color=LABEL_TABLE["attachment"].colour)
            axes.text(DEVELOPMENTAL_WINDOW_END + 0.8, row, "attachment (in the window)", va="center",
                      fontsize=9, color="white", weight="bold")  # fmt: skip
    axes.set_yticks(range(len(LIFESPAN_BARS)), [who for who, _, _ in reversed(LIFESPAN_BARS)])
    axes.set_xlim(0, 80)
    axes.set_xlabel("Age (years)")
    axes.set_title("Relationships of trust across a lifespan: where relational trauma can happen")
    axes.legend(
        [window, Rectangle((0, 0), 1, 1, color=LABEL_TABLE["relational"].colour)],
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
    _person(left, 0.25, 0.55, "caregiver", LABEL_TABLE["attachment"].colour)
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
    colour = LABEL_TABLE[label].colour
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
        Rectangle((7.0, 2.1), 2.8, 1.8, fc=LABEL_TABLE["not_relational"].colour, alpha=0.3, ec="#555555", lw=2)
    )
    axes.text(8.4, 3.35, "Not relational", ha="center", fontsize=11.5, weight="bold")
    axes.text(8.4, 2.6, "disaster, accident,\nstranger", ha="center", fontsize=9.5)
    axes.set_title("All attachment trauma is relational; not all relational trauma is attachment trauma")
    return figure


def _house(axes, x: float, foundation_cracked: bool, caption: str) -> None:
    axes.add_patch(
        Rectangle((x, 0.6), 3, 0.8, fc=LABEL_TABLE["attachment"].colour, alpha=0.45, ec="black", lw=1.5)
    )
    axes.text(x + 1.5, 1.0, "foundation: the attachment blueprint", ha="center", va="center", fontsize=8.5)
    for floor in range(2):
        axes.add_patch(Rectangle((x + 0.2, 1.4 + floor * 1.1), 2.6, 1.1, fc=LABEL_TABLE["relational"].colour, alpha=0.3,
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
    axes.axvspan(0, DEVELOPMENTAL_WINDOW_END, color=LABEL_TABLE["attachment"].colour, alpha=0.15)
    axes.text(DEVELOPMENTAL_WINDOW_END / 2, 2.55, f"developmental window\n(before {DEVELOPMENTAL_WINDOW_END}: a teaching choice)",
              ha="center", va="center", fontsize=9, color=LABEL_TABLE["attachment"].colour, weight="bold")  # fmt: skip
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
    from ..core.vignettes import SYMPTOMS, load_bank

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
        axes.barh(rows + offset, shares[label], height=0.38, color=LABEL_TABLE[label].colour,
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
    arcs = (
        (attachment, "-", "attachment", "attachment trauma: a longer arc, ruptures and repairs"),
        (secure_base, "--", "relational", "relational trauma on a secure base: a shorter arc"),
        (both, ":", "both", "both: a later wound reactivates an earlier one"),
    )
    for values, style, label, text in arcs:
        axes.plot(sessions, values, lw=2.5, ls=style, color=LABEL_TABLE[label].colour, label=text)
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
        color=LABEL_TABLE["attachment"].colour,
    )
    axes.text(8.1, 5.3, "Relational trauma", ha="center", fontsize=12, weight="bold", color="#9A6A00")
    axes.text(1.9, 3.0, "early; feels like\n'how I am'", ha="center", fontsize=9)
    axes.text(8.1, 3.0, "any age; often a\nbefore and after", ha="center", fontsize=9)
    for index, item in enumerate(SHARED_TERRAIN):
        axes.text(5, 4.6 - index * 0.8, item, ha="center", va="center", fontsize=8)
    axes.set_title("The shared terrain: what both wounds have in common")
    return figure


