"""Every CSV the supervisor tools write opens in a spreadsheet as text, never as a formula; and the report's
difficulty chart keeps its legend off the bars."""

from __future__ import annotations

import csv

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from trauma_curriculum.supervisor.problems import Problem
from trauma_curriculum.supervisor.problems import write_csv as write_problems
from trauma_curriculum.supervisor.report import charts
from trauma_curriculum.supervisor.tables import neutralise, write_csv

HOSTILE = '=HYPERLINK("x")'


@pytest.mark.parametrize(
    "cell", [HOSTILE, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-", "=", "-cmd|' /C calc'!A0"]
)
def test_a_cell_a_spreadsheet_would_run_is_quoted(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(("cell", "written"), [("-0.125", "-0.125"), ("+3", "+3"), ("1e-3", "1e-3"), (-0.5, "-0.5"),
                                               (3, "3"), (None, ""), ("trainee01", "trainee01"),
                                               ("attachment \u2192 relational", "attachment \u2192 relational")])  # fmt: skip
def test_text_and_plain_numbers_are_written_as_they_are(cell, written):
    assert neutralise(cell) == written


def test_write_csv_neutralises_every_cell_and_reads_back(tmp_path):
    path = tmp_path / "trainees.csv"
    write_csv(
        path, [{"trainee": HOSTILE, "kappa": -0.125, "note": 'a, b "c"'}, {"trainee": "ok", "kappa": 1}]
    )
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows == [{"trainee": "'" + HOSTILE, "kappa": "-0.125", "note": 'a, b "c"'},
                    {"trainee": "ok", "kappa": "1", "note": ""}]  # fmt: skip
    empty = tmp_path / "empty.csv"
    write_csv(empty, [], fieldnames=["trainee", "kind"])
    assert empty.read_text(encoding="utf-8").splitlines() == ["trainee,kind"]


def test_the_problems_list_csv_neutralises_trainee_ids_and_file_names(tmp_path):
    path = tmp_path / "problems.csv"
    write_problems([Problem(HOSTILE, "a2-vignette-sorting", "extra_file", "@evil.txt")], path)
    (row,) = list(csv.DictReader(path.open(encoding="utf-8")))
    assert row["trainee"] == "'" + HOSTILE and row["detail"] == "'@evil.txt" and row["kind"] == "extra_file"
    assert row["action"].startswith("A file that is not part")


def test_the_difficulty_legend_covers_no_bar():
    items = [f"Item {n}: a title of some length" for n in range(1, 21)]
    proportions = [1.0, 0.95, 0.9, 0.3] + [0.6] * 16  # the easiest bars are the longest, at the bottom
    expected = ["attachment", "relational", "both", "not_relational", "insufficient_information"] * 4
    figure = charts.item_difficulty_figure(items, proportions, expected)
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    axes = figure.axes[0]
    legend = axes.get_legend().get_window_extent(renderer)
    bars = [bar.get_window_extent(renderer) for bar in axes.patches]
    assert len(bars) == 20
    assert not any(legend.overlaps(bar) for bar in bars)
    assert [t.get_text() for t in axes.get_yticklabels()][
        0
    ] == "Item 4: a title of some length"  # hardest first
