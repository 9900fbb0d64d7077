"""The five labels, in one table: the name a trainee reads, a short name for charts, and a colour.

Every widget, chart, report and answer check reads this table, so a label is named and coloured the
same way everywhere. The colours are Okabe and Ito's palette, distinguishable with the common
colour-vision differences; no label is ever shown by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    key: str
    name: str  # how the label reads to a trainee, in full
    short: str  # for chart axes and tables (may hold a line break)
    colour: str


_TABLE = (
    Label("attachment", "Attachment trauma", "attachment", "#0072B2"),
    Label("relational", "Relational trauma", "relational", "#E69F00"),
    Label("both", "Both (attachment, with relational trauma layered on it)", "both", "#009E73"),
    Label("not_relational", "Not relational", "not relational", "#999999"),
    Label("insufficient_information", "Insufficient information", "insufficient\ninformation", "#CC79A7"),
)

#: The label keys, in teaching order.
LABELS: tuple[str, ...] = tuple(label.key for label in _TABLE)
#: Key -> :class:`Label`.
LABEL_TABLE: dict[str, Label] = {label.key: label for label in _TABLE}
#: Key -> full name (the form most prose needs).
LABEL_NAMES: dict[str, str] = {label.key: label.name for label in _TABLE}


def plain_name(key: str) -> str:
    """The label's name on one line, without the explanatory bracket ("Both", not "Both (...)")."""
    return LABEL_TABLE[key].name.split(" (")[0]
