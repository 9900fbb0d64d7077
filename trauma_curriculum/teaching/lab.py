"""Opening the curriculum in JupyterLab (``trauma-curriculum lab``, what ``make lab`` runs).

The server replaces this process (``os.execve``), so a signal sent to the command (a service manager's
SIGTERM, Ctrl+C) reaches JupyterLab itself and nothing is left running when it stops.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from ..core.paths import START_NOTEBOOK

SETTINGS = Path("jupyterlab-settings") / "overrides.json"


def install_lab_overrides(root: Path) -> Path:
    """Copy the project's JupyterLab defaults to where JupyterLab reads overrides in this environment."""
    target = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    source = root / SETTINGS
    json.loads(source.read_text(encoding="utf-8"))  # a broken file fails here, naming nothing worse
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def lab_command(root: Path, extra: list[str]) -> list[str]:
    """The JupyterLab command line that opens the start notebook at the curriculum's root.

    As root (a container, a CI machine) JupyterLab refuses to start without ``--allow-root``.
    """
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", *as_root, *extra, START_NOTEBOOK]


def exec_server(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    """Replace this process with ``command`` (run in ``cwd`` with ``env``); never returns."""
    print("Starting:", " ".join(command), flush=True)
    os.chdir(cwd)
    os.execve(command[0], command, env)
