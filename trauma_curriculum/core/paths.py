"""Where the curriculum's files are: found from the folder a notebook or command runs in.

Nothing is located from the package's own folder, so an installed wheel (a hub image, ``pip install .``)
finds the bank exactly as an editable install does: by walking up from the working directory to the
curriculum's root, or from ``$TRAUMA_CURRICULUM_ROOT`` when it is set.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT_ENV = "TRAUMA_CURRICULUM_ROOT"
#: The curriculum (a trainee's workspace or a supervisor's course) holds the practice bank here.
BANK = Path("exercises") / "vignettes"
START_NOTEBOOK = "notebooks/00-start-here.ipynb"


class NotInCurriculum(FileNotFoundError):
    """Run outside the curriculum: the message says where to run instead."""


def find_root(marker: str | Path = BANK, start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working directory) that holds ``marker``."""
    if os.environ.get(ROOT_ENV):
        root = Path(os.environ[ROOT_ENV]).resolve()
        if not (root / marker).exists():
            raise NotInCurriculum(f"{ROOT_ENV}={root} holds no {marker}; point it at the curriculum's folder")
        return root
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / marker).exists():
            return folder
    raise NotInCurriculum(
        f"no {marker} at or above {start}: open the notebook or run the command inside the curriculum's "
        f"folder (or set {ROOT_ENV})"
    )


def bank_dir(start: Path | None = None) -> Path:
    """The practice bank of the curriculum this code runs in."""
    return find_root(BANK, start) / BANK


def environment_with_tools(**extra: str) -> dict[str, str]:
    """This environment with its own scripts first on PATH, plus ``extra``.

    JupyterLab, Voila and nbgrader start further programs by name (nbgrader runs ``alembic`` when it
    creates a gradebook, and without this environment's scripts on PATH it leaves a broken gradebook
    that later runs use silently), so every server and nbgrader run gets this environment.
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(extra)
    return env
