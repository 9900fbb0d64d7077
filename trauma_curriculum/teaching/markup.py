"""The HTML every card-based exercise writes: a card, a verdict, the definitions' reasons, the cues.

One place for the markup, so the sorter, the drills and the explorers show a verdict, a card and a list
of reasons the same way: never by colour alone (a tick or a cross and a word come first), with
everything a trainee or an author typed escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

RIGHT, WRONG, HALF = "#006400", "#8B0000", "#7A4A00"


def card(title: str, body_html: str) -> str:
    """A titled case card (``body_html`` is already HTML; the title is escaped)."""
    return f"<div class='tc-card'><h4>{html.escape(title)}</h4><p>{body_html}</p></div>"


def verdict(credit: float | None, right_html: str, wrong_html: str, half_html: str = "") -> str:
    """The verdict line: a tick, a half mark or a cross before the (HTML) text for that outcome, so the
    verdict is never told by colour alone; ``credit`` None shows ``right_html`` with no mark (a reveal)."""
    if credit is None:
        return f"<p>{right_html}</p>"
    if credit >= 1:
        return f"<p style='color:{RIGHT}'><b>&#10003;</b> {right_html}</p>"
    if credit > 0:
        return f"<p style='color:{HALF}'><b>&#189;</b> {half_html}</p>"
    return f"<p style='color:{WRONG}'><b>&#10007;</b> {wrong_html}</p>"


def reasons(items: Iterable[str], heading: str = "What the definitions say:") -> str:
    """A heading and a bulleted list of the definitions' reasons."""
    listed = "".join(f"<li>{html.escape(reason)}</li>" for reason in items)
    return f"<p><b>{html.escape(heading)}</b></p><ul>{listed}</ul>"


def highlight_cues(text: str, cues: Iterable[str]) -> str:
    """The text as HTML with every cue marked, so a trainee sees which words pointed to the answer."""
    marked = html.escape(text)
    for cue in sorted(set(cues), key=len, reverse=True):
        marked = marked.replace(html.escape(cue), f"<mark>{html.escape(cue)}</mark>")
    return marked


def cue_list(cues: Iterable[str]) -> str:
    """The cues in words too (a screen reader does not announce highlighting)."""
    quoted = "; ".join(f"&ldquo;{html.escape(cue)}&rdquo;" for cue in cues)
    return f"<p><b>Cues</b> (highlighted in the text above): {quoted}.</p>"
