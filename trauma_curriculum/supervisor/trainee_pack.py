"""The trainee workspace zip, for supervisors who do not use nbgrader's exchange.

What a trainee gets: the modules, the drills and the practice bank, ``release/``, the package, and a
short README. What a trainee never gets: ``source/``, ``answer-keys/`` (keys, rubrics, assessment
vignettes' labels), the tests. The zip is built from an explicit list of what to include, never by
excluding from everything, so a new supervisor-only folder cannot slip in.
"""

from __future__ import annotations

import zipfile
from fnmatch import fnmatch
from pathlib import Path

#: The package's top-level modules a trainee's notebooks and command use (the supervisor's facades,
#: grading.py and course.py, stay behind).
FACADES = ("__init__.py", "notebook.py", "answers.py", "cli.py")
#: (folder or file, the file patterns to take from it), relative to the course root.
INCLUDED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("notebooks", ("*.ipynb",)),
    ("exercises", ("*.ipynb", "README.md")),
    ("exercises/vignettes", ("*.yaml", "README.md")),
    ("exercises/unfolding", ("*.yaml", "README.md")),
    ("release", ("**/*",)),
    ("trauma_curriculum", FACADES),
    # whole journeys, so a module added to one can never be left out: a trainee runs core and teaching
    ("trauma_curriculum/core", ("**/*.py", "data/*.yaml")),
    ("trauma_curriculum/teaching", ("**/*.py",)),
    ("jupyterlab-settings", ("*.json",)),
    (".", ("pyproject.toml", "constraints.txt", "environment.yml")),
)
DEFAULT_TARGET = Path("dist") / "trainee-workspace.zip"
#: Files written from trainee-pack/ to the root of the workspace.
TEMPLATES = ("README.md", "Makefile")
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # the same bytes for the same content


def pack_files(root: Path) -> dict[str, Path]:
    """Name in the zip -> file on disk, for everything a trainee receives."""
    files: dict[str, Path] = {}
    for folder, patterns in INCLUDED:
        for pattern in patterns:
            for path in sorted((root / folder).glob(pattern)):
                if (
                    path.is_file()
                    and ".ipynb_checkpoints" not in path.parts
                    and "__pycache__" not in path.parts
                ):
                    files[str(path.relative_to(root))] = path
    for name in TEMPLATES:
        files[name] = root / "trainee-pack" / name
    return dict(sorted(files.items()))


def stray_files(root: Path) -> list[Path]:
    """Files in ``source/<a>/`` or ``release/<a>/`` that are not notebooks. nbgrader copies every file of
    ``source/<a>/`` into ``release/<a>/`` (all but the patterns of its ``CourseDirectory.ignore``), and
    the pack ships ``release/`` whole, so a note or a draft left there reaches every trainee."""
    from nbgrader.coursedir import CourseDirectory

    ignored = CourseDirectory.class_traits()["ignore"].default()
    found = []
    for folder in (root / "source", root / "release"):
        for path in sorted(folder.glob("*/**/*")):
            parts = path.relative_to(folder).parts
            if path.is_file() and not (len(parts) == 2 and path.suffix == ".ipynb") and not any(
                fnmatch(part, pattern) for part in parts for pattern in ignored
            ):
                found.append(path)
    return found


def build_trainee_pack(root: Path, target: Path) -> Path:
    """Write the workspace zip to ``target`` (under ``trainee-workspace/`` inside it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path in pack_files(root).items():
            info = zipfile.ZipInfo(f"trainee-workspace/{name}", date_time=_FIXED_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return target
