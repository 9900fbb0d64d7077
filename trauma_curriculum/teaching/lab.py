"""Opening the curriculum in JupyterLab (``trauma-curriculum lab``, what ``make lab`` runs).

The server replaces this process (``os.execve``), so a signal sent to the command (a service manager's
SIGTERM, Ctrl+C) reaches JupyterLab itself and nothing is left running when it stops.

Notebooks saved from this JupyterLab keep no live widgets (:func:`without_widgets`, the server's
pre-save hook): a widget's view only works while its kernel runs, and a reopened notebook would show
"Error displaying widget: model not found" where the exercise was. It shows a line saying how to start
the exercise instead.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from ..core.paths import START_NOTEBOOK

SETTINGS = Path("jupyterlab-settings") / "overrides.json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: What a saved notebook shows where a live exercise was.
RUN_NOTE = "Run \u2192 Run All Cells to start this exercise."
PRE_SAVE_HOOK = "--ContentsManager.pre_save_hook=trauma_curriculum.teaching.lab.without_widgets"


def _note() -> dict:
    return {"output_type": "display_data", "metadata": {"trauma_curriculum": "widget-placeholder"},
            "data": {"text/plain": RUN_NOTE, "text/html": f"<p><i>{RUN_NOTE}</i></p>"}}  # fmt: skip


def without_widgets(model: dict, **_context) -> None:
    """The server's pre-save hook: drop the widget state and put :data:`RUN_NOTE` in place of each
    widget view (other outputs stay), in the notebook model about to be written."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    notebook = model["content"]
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook.get("cells", []):
        outputs = cell.get("outputs") or []
        if any(WIDGET_VIEW in output.get("data", {}) for output in outputs):
            cell["outputs"] = [_note() if WIDGET_VIEW in output.get("data", {}) else output for output in outputs]


def install_lab_overrides(root: Path) -> Path:
    """Copy the project's JupyterLab defaults to where JupyterLab reads overrides in this environment."""
    target = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    source = root / SETTINGS
    json.loads(source.read_text(encoding="utf-8"))  # a broken file fails here, naming nothing worse
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def lab_command(root: Path, extra: list[str]) -> list[str]:
    """The JupyterLab command line that opens the start notebook at the curriculum's root, saving
    notebooks without live widgets (:func:`without_widgets`).

    As root (a container, a CI machine) JupyterLab refuses to start without ``--allow-root``.
    """
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", PRE_SAVE_HOOK, *as_root, *extra,
            START_NOTEBOOK]  # fmt: skip


def exec_server(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    """Replace this process with ``command`` (run in ``cwd`` with ``env``); never returns."""
    print("Starting:", " ".join(command), flush=True)
    os.chdir(cwd)
    os.execve(command[0], command, env)
