"""The drills that remember (today's review, my progress, unfolding cases): each runs in a kernel and
shows its exercise, with a private data folder so nothing reaches the developer's own record."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DRILLS = {"05-todays-review": ["TodaysReview()"], "06-my-progress": ["MyProgress()", "PracticeRecordView()"],
          "07-unfolding-cases": ["CaseUnfolding.drill()"]}  # fmt: skip


@pytest.mark.parametrize("name", sorted(DRILLS))
def test_the_drill_runs_and_shows_its_exercise(name, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    path = ROOT / "exercises" / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code[1:]] == DRILLS[name]
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()  # fmt: skip
    for cell in code[1:]:
        assert not [o for o in cell.outputs if o.output_type == "error" or o.get("name") == "stderr"], (
            cell.outputs
        )
        assert WIDGET_VIEW in {key for output in cell.outputs for key in output.get("data", {})}, cell.source


def test_the_pages_say_where_the_record_is_and_how_to_delete_it():
    progress = (ROOT / "exercises" / "06-my-progress.md").read_text(encoding="utf-8")
    assert (
        "never sent" in progress and "Delete my practice record" in progress and "Export as CSV" in progress
    )
    review = (ROOT / "exercises" / "05-todays-review.md").read_text(encoding="utf-8")
    assert "interleaved" in review and "Monteiro" in review and "not an assessment" in review
