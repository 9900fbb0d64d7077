"""Offline handouts: every module executed (so its figures are in it) and exported to one HTML file.

A handout must open in a room with no network, so nothing may load from a CDN: MathJax, require.js and
Mermaid are switched off (the modules use none of them), code is hidden, and each live exercise, which
cannot work without a kernel, is replaced by a note saying where to use it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

DEFAULT_TARGET = Path("dist") / "handouts"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
EXERCISE_NOTE = (
    "<p><i>An interactive exercise appears here in the notebook. Open this module in JupyterLab "
    "(<code>make lab</code>) to use it.</i></p>"
)


def _without_live_widgets(notebook) -> None:
    notebook.metadata.pop("widgets", None)  # otherwise the HTML loads a widget manager from a CDN
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if any(WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", [])):
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": EXERCISE_NOTE})]


def exporter() -> HTMLExporter:
    """nbconvert's lab template with every network-loaded script switched off and code hidden."""
    html = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True)  # fmt: skip
    html.mathjax_url = ""
    html.require_js_url = ""
    html.mermaid_js_url = ""
    html.mermaid_layout_elk_js_url = ""
    html.jquery_url = ""
    return html


def build_handout(notebook_path: Path, target_dir: Path) -> Path:
    """Execute one module and write its offline HTML handout; return the file written."""
    notebook = nbformat.read(notebook_path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook_path.parent)}}).execute()  # fmt: skip
    _without_live_widgets(notebook)
    body, _ = exporter().from_notebook_node(notebook, resources={"metadata": {"name": notebook_path.stem}})
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{notebook_path.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target
