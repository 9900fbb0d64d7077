"""Every CSV the project writes for supervisors, written one way, safe to open in a spreadsheet.

Trainee ids, answers and file names come from trainees, and a spreadsheet runs a cell that begins with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula: ``=HYPERLINK(...)``
as a trainee id would become a live link in the supervisor's spreadsheet. Such cells are written with a
leading single quote, as OWASP's CSV-injection guidance recommends, so the spreadsheet shows the text as
typed. Plain numbers (``-0.125``) cannot be formulas and are written as they are, so a negative kappa
stays a number.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

#: The characters a spreadsheet reads as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: object) -> str:
    """The text of one cell, prefixed with ``'`` when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(
    path: Path, rows: Iterable[Mapping[str, object]], fieldnames: Sequence[str] | None = None
) -> None:
    """Write ``rows`` (dicts) as a UTF-8 CSV with a header; columns from ``fieldnames`` or the first row.

    Every cell goes through :func:`neutralise`, the header too.
    """
    rows = list(rows)
    columns = list(fieldnames) if fieldnames is not None else list(rows[0]) if rows else ["empty"]
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([neutralise(name) for name in columns])
        for row in rows:
            writer.writerow([neutralise(row.get(name, "")) for name in columns])
