"""Presenting a module to a room: reveal.js slides through Voila, with live widgets and no CDN.

A workshop room's network is not to be trusted, so every asset comes from the local server: the slides
use the curriculum's Voila template (``voila_template/``), installed into this environment with the
reveal.js styles that the sphinx-revealjs package ships and the jQuery that nbgrader ships. The sorters
run in workshop mode (``TRAUMA_CURRICULUM_WORKSHOP=1``): feedback waits for the presenter's reveal.
The template lays the deck out for a projector: one flat row of 16:9 slides that the right arrow visits in
order, each scrolling inside itself with the Down arrow when it is taller than the screen.
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
    for part in source.iterdir():  # the template, its configuration, and the styles and script it inlines
        if part.is_file():
            shutil.copyfile(part, target / part.name)
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


#: The slide's logical size: 16:9 like both projector resolutions (1280x720, 1920x1080), so reveal.js
#: scales it to fill the screen with no letterbox; the template's font sizes are set against it.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720


def voila_command(notebook: Path, extra: list[str]) -> list[str]:
    """The Voila command line for slides with local assets only.

    Voila's own scrolling (``scroll``) only reaches sub-slides of a vertical stack; the template's flat deck
    has none and scrolls every slide itself. Slide numbers ("5/18") let a presenter and a guide agree on
    where they are."""
    static = f"/voila/templates/{TEMPLATE}/static"
    reveal = {"url_prefix": f"{static}/revealjs", "scroll": False, "transition": "none", "number": "c/t",
              "width": SLIDE_WIDTH, "height": SLIDE_HEIGHT}  # fmt: skip
    return [
        sys.executable, "-m", "voila", str(notebook), f"--template={TEMPLATE}",
        f"--VoilaConfiguration.resources={ {'reveal': reveal}!r}",  # a Python literal, as Voila documents
        f"--VoilaExporter.jquery_url={static}/jquery.min.js",
        "--VoilaConfiguration.show_tracebacks=False",
        *extra,
    ]  # fmt: skip
