"""Every teaching notebook and drill, run from the trainee pack as a trainee would get it.

nbval only checks that cells run; this checks what they show, and that they run from the pack with the
pack's own copy of the package: every figure cell draws an image (not ``<Figure size ...>``), every
exercise cell shows a live widget, and nothing prints an error or a warning to the trainee.
"""

import re
import zipfile

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_modules_and_drills_run_from_the_trainee_pack_and_show_figures_and_exercises(
    pack, tmp_path, monkeypatch
):
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(tmp_path)
    workspace = tmp_path / "trainee-workspace"
    monkeypatch.setenv("PYTHONPATH", str(workspace))  # the kernel imports the pack's own package
    notebooks = sorted((workspace / "notebooks").glob("*.ipynb")) + sorted(
        (workspace / "exercises").glob("*.ipynb")
    )
    assert len(notebooks) >= 12
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.append(
            nbformat.v4.new_code_cell("import trauma_curriculum; print(trauma_curriculum.__file__)")
        )
        NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        assert notebook.cells.pop().outputs[0]["text"].startswith(str(workspace)), path.name
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            kinds = {key for output in cell.outputs for key in output.get("data", {})}
            assert not [o for o in cell.outputs if o.output_type == "error"], (path.name, cell.source)
            assert not [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"], (
                path.name,
                cell.source,
            )
            if re.match(r"^\w+_figure\(", cell.source):
                assert "image/png" in kinds, f"{path.name}: {cell.source} shows no image"
            elif not cell.source.startswith("from "):
                assert WIDGET_VIEW in kinds, f"{path.name}: {cell.source} shows no widget"
