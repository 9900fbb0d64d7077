"""Every figure renders, has a title, and names its parts."""

import pytest
from matplotlib.figure import Figure

from trauma_curriculum import figures

pytestmark = pytest.mark.unit
FIGURES = [name for name in dir(figures) if name.endswith("_figure")]
NEED_ARGUMENTS = {"confusion_figure", "calibration_figure", "room_votes_figure", "kappa_distribution_figure",
                  "item_difficulty_figure", "written_points_figure"}  # fmt: skip


@pytest.mark.parametrize("name", sorted(set(FIGURES) - NEED_ARGUMENTS))
def test_figure_renders_with_a_title(name):
    figure = getattr(figures, name)()
    assert isinstance(figure, Figure)
    titles = [axes.get_title() for axes in figure.axes] + [
        figure._suptitle.get_text() if figure._suptitle else ""
    ]
    assert any(titles), name
    texts = [t.get_text() for axes in figure.axes for t in axes.texts] + [
        label.get_text() for axes in figure.axes for label in axes.get_yticklabels() + axes.get_xticklabels()
    ]
    assert sum(bool(t.strip()) for t in texts) >= 3, f"{name}: its parts are not labelled"
    assert figures.to_png(figure).startswith(b"\x89PNG")


def test_confusion_figure_counts_and_outlines_the_key_confusion():
    figure = figures.confusion_figure(
        ["attachment", "relational", "relational"], ["relational", "relational", "both"]
    )
    axes = figure.axes[0]
    counts = [t.get_text() for t in axes.texts]
    assert counts.count("1") == 3 and len(counts) == 25
    assert len(axes.patches) == 2  # the attachment/relational cells are outlined
    assert axes.get_xlabel() == "Label chosen" and axes.get_ylabel() == "Expert label"


def test_room_votes_marks_the_expert_only_after_the_reveal():
    votes = {"attachment": 4, "relational": 9}
    before = figures.room_votes_figure(votes)
    after = figures.room_votes_figure(votes, expert="relational")
    assert "expert" not in before.axes[0].get_title()
    assert "Relational trauma" in after.axes[0].get_title()
    assert [bar.get_hatch() for bar in after.axes[0].patches] == [None, "//"]


def test_calibration_figure_plots_confidence_against_accuracy():
    figure = figures.calibration_figure([0.9, 0.9, 0.5, 0.5], [True, True, False, True])
    axes = figure.axes[0]
    assert axes.get_xlabel().startswith("How sure") and len(axes.lines) == 2


def test_report_figures_draw_what_they_are_given():
    kappas = figures.kappa_distribution_figure([0.1, 0.5, 0.72, float("nan")], mastery=0.7)
    axes = kappas.axes[0]
    assert sum(patch.get_height() for patch in axes.patches) == 3  # the undefined kappa is left out
    assert any(abs(line.get_xdata()[0] - 0.7) < 1e-9 for line in axes.lines)  # the mastery line
    difficulty = figures.item_difficulty_figure(["item01", "item02"], [0.9, 0.3], ["both", "attachment"])
    labels = [t.get_text() for t in difficulty.axes[0].get_yticklabels()]
    assert labels == ["item02", "item01"]  # hardest first
    written = figures.written_points_figure([0, 2, 2, 3], 3, "w1")
    assert [p.get_height() for p in written.axes[0].patches] == [1, 0, 2, 1]
