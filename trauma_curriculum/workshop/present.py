"""Presenting a module to a room: reveal.js slides through Voila, with live widgets and no CDN.

A workshop room's network is not to be trusted, so every asset comes from the local server: the slides
use the curriculum's Voila template (``voila_template/``), installed into this environment with the
reveal.js styles that the sphinx-revealjs package ships and the jQuery that nbgrader ships. The sorters
run in workshop mode (``TRAUMA_CURRICULUM_WORKSHOP=1``): feedback waits for the presenter's reveal.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

TEMPLATE = "curriculum-reveal"


def _assets() -> dict[str, Path]:
    import nbgrader
    import sphinx_revealjs

    return {
        "revealjs": Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs",
        "jquery.min.js": Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "static"
        / "node_modules" / "jquery" / "dist" / "jquery.min.js",
    }  # fmt: skip


def install_template(prefix: Path = Path(sys.prefix)) -> Path:
    """Install the slide template and its local assets where Voila looks for templates; return its folder."""
    target = prefix / "share" / "jupyter" / "voila" / "templates" / TEMPLATE
    static = target / "static"
    static.mkdir(parents=True, exist_ok=True)
    source = Path(__file__).parent / "voila_template"
    for name in ("conf.json", "index.html.j2"):
        shutil.copyfile(source / name, target / name)
    for name, path in _assets().items():
        if path.is_dir():
            for part in ("dist", "plugin/notes"):
                shutil.copytree(path / part, static / name / part, dirs_exist_ok=True)
        else:
            shutil.copyfile(path, static / name)
    return target


def find_module(root: Path, module: str) -> Path:
    """The teaching notebook of a module number ("03") or name prefix."""
    matches = sorted((root / "notebooks").glob(f"{module}*.ipynb"))
    if not matches:
        available = ", ".join(p.stem for p in sorted((root / "notebooks").glob("*.ipynb")))
        raise SystemExit(f"trauma-curriculum present: no module {module!r}; the modules are: {available}")
    return matches[0]


def voila_command(notebook: Path, extra: list[str]) -> list[str]:
    """The Voila command line for slides with local assets only."""
    static = f"/voila/templates/{TEMPLATE}/static"
    reveal = {"url_prefix": f"{static}/revealjs", "scroll": True, "transition": "none"}
    return [
        sys.executable, "-m", "voila", str(notebook), f"--template={TEMPLATE}",
        f"--VoilaConfiguration.resources={ {'reveal': reveal}!r}",  # a Python literal, as Voila documents
        f"--VoilaExporter.jquery_url={static}/jquery.min.js",
        "--VoilaConfiguration.show_tracebacks=False",
        *extra,
    ]  # fmt: skip
