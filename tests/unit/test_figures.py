"""Every figure renders, has a title, and names its parts."""

import re

import pytest
from matplotlib.figure import Figure

from trauma_curriculum.supervisor.report import charts as report_charts
from trauma_curriculum.teaching import charts, diagrams

DIAGRAMS = sorted(name for name in dir(diagrams) if name.endswith("_figure"))


def named_parts(figure) -> list[str]:
    """Text a reader sees that a person wrote: drawn text, axis labels, legend entries and tick labels
    that are words (automatic numeric ticks are left out: any axes has them)."""
    found = []
    for axes in figure.axes:
        found += [t.get_text() for t in axes.texts] + [axes.get_xlabel(), axes.get_ylabel()]
        found += [t.get_text() for t in axes.get_xticklabels() + axes.get_yticklabels()]
        legend = axes.get_legend()
        found += [t.get_text() for t in legend.get_texts()] if legend else []
    return [text for text in found if re.search(r"[A-Za-z]{3}", text)]


def test_the_labelled_parts_check_cannot_pass_on_bare_axes():
    from matplotlib.figure import Figure as Bare

    bare = Bare()
    bare.subplots().plot([0, 1], [0, 1])
    assert named_parts(bare) == []


@pytest.mark.parametrize("name", DIAGRAMS)
def test_figure_renders_with_a_title(name):
    figure = getattr(diagrams, name)()
    assert isinstance(figure, Figure)
    titles = [axes.get_title() for axes in figure.axes] + [
        figure._suptitle.get_text() if figure._suptitle else ""
    ]
    assert any(titles), name
    assert len(named_parts(figure)) >= 3, f"{name}: its parts are not labelled"
    assert charts.to_png(figure).startswith(b"\x89PNG")


def test_confusion_figure_counts_and_outlines_the_key_confusion():
    figure = charts.confusion_figure(
        ["attachment", "relational", "relational"], ["relational", "relational", "both"]
    )
    axes = figure.axes[0]
    counts = [t.get_text() for t in axes.texts]
    assert counts.count("1") == 3 and len(counts) == 25
    assert len(axes.patches) == 2  # the attachment/relational cells are outlined
    assert axes.get_xlabel() == "Label chosen" and axes.get_ylabel() == "Expert label"


def test_room_votes_marks_the_expert_only_after_the_reveal():
    votes = {"attachment": 4, "relational": 9}
    before = charts.room_votes_figure(votes)
    after = charts.room_votes_figure(votes, expert="relational")
    assert "expert" not in before.axes[0].get_title()
    assert "Relational trauma" in after.axes[0].get_title()
    assert [bar.get_hatch() for bar in after.axes[0].patches] == [None, "//"]


def test_calibration_figure_plots_confidence_against_accuracy():
    figure = charts.calibration_figure([0.9, 0.9, 0.5, 0.5], [True, True, False, True])
    axes = figure.axes[0]
    assert axes.get_xlabel().startswith("How sure") and len(axes.lines) == 2


def test_report_figures_draw_what_they_are_given():
    kappas = report_charts.kappa_distribution_figure([0.1, 0.5, 0.72, float("nan")], mastery=0.7)
    axes = kappas.axes[0]
    assert sum(patch.get_height() for patch in axes.patches) == 3  # the undefined kappa is left out
    assert any(abs(line.get_xdata()[0] - 0.7) < 1e-9 for line in axes.lines)  # the mastery line
    difficulty = report_charts.item_difficulty_figure(["item01", "item02"], [0.9, 0.3], ["both", "attachment"])
    labels = [t.get_text() for t in difficulty.axes[0].get_yticklabels()]
    assert labels == ["item02", "item01"]  # hardest first
    written = report_charts.written_points_figure([0, 2, 2, 3], 3, "w1")
    assert [p.get_height() for p in written.axes[0].patches] == [1, 0, 2, 1]
