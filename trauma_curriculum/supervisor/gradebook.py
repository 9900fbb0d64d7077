"""Whether the course's gradebook can be used, asked before any command opens it.

nbgrader's ``Gradebook`` creates a database wherever it is pointed, so a command that merely reads
(``problems``, ``report``, ``export``, ``feedback``) would write a fresh schema into a missing or
zero-byte gradebook and carry on as if the cohort had no grades; a corrupt or locked one ends in a
SQLAlchemy traceback. :func:`require_gradebook` turns each of these into one line naming the file and
what to do, using :func:`~trauma_curriculum.supervisor.autograde.check_gradebook` (the check autograde
makes) for everything but a missing file.
"""

from __future__ import annotations

from pathlib import Path

from .autograde import CannotGrade, check_gradebook


def gradebook_file(db_url: str) -> Path | None:
    """The SQLite file behind ``db_url`` (None for a server database such as PostgreSQL)."""
    if not db_url.startswith("sqlite:///"):
        return None
    return Path(db_url.removeprefix("sqlite:///").split("?")[0])


def require_gradebook(db_url: str, missing: str = "autograde first (`make grade`)") -> None:
    """Raise :class:`CannotGrade` with one line unless the gradebook exists, is readable and is not locked;
    ``missing`` says what to do when there is no gradebook yet."""
    path = gradebook_file(db_url)
    if path is not None and not path.exists():
        raise CannotGrade(f"{path}: no gradebook yet; {missing}")
    check_gradebook(db_url)
