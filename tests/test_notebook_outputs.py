"""What each teaching notebook shows when run: nbval only checks that cells run, this checks what they show.

Every figure cell must draw an image (not print ``<Figure size ...>``), every exercise cell must show a
live widget, and nothing may print an error or a warning to the trainee.
"""

import re

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

pytestmark = pytest.mark.notebooks
TEACHING = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: str(p.relative_to(ROOT)))
def test_figures_draw_and_exercises_are_live(path):
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kinds = {key for output in cell.outputs for key in output.get("data", {})}
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
        assert not [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"], cell.source
        if re.match(r"^\w+_figure\(", cell.source):
            assert "image/png" in kinds, f"{cell.source} shows no image"
        elif not cell.source.startswith("from "):
            assert WIDGET_VIEW in kinds, f"{cell.source} shows no widget"
