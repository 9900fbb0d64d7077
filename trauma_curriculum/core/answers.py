"""Answers as trainees type them, in plain words: read from an answer cell, normalised, and checked
for *validity* (never for correctness).

Trainees are clinicians, not programmers. A graded answer cell holds free text under a cell magic
(``%%answer item01``) with an ``answer:`` line and, for sorted vignettes, an optional ``confidence:``
line, so no quoting or syntax can fail: ``attachment``, ``Attachment trauma``, ``insufficient info``,
``80%`` are all read as a clinician means them. The visible check under each answer prints one line
saying whether the answer can be graded, never whether it is right. The grader reads the same cell text
with the same functions (:func:`read_answer_cell`), outside the trainee's kernel, so what the trainee
sees checked is exactly what is scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .labels import LABELS

#: Other ways trainees write the labels, after lower-casing and turning spaces and hyphens into "_".
_LABEL_SYNONYMS = {
    "attachment_trauma": "attachment",
    "relational_trauma": "relational",
    "attachment_and_relational": "both",
    "attachment_and_relational_trauma": "both",
    "relational_and_attachment": "both",
    "both_attachment_and_relational": "both",
    "both_trauma": "both",
    "not_relational_trauma": "not_relational",
    "non_relational": "not_relational",
    "nonrelational": "not_relational",
    "non_relational_trauma": "not_relational",
    "insufficient": "insufficient_information",
    "insufficient_info": "insufficient_information",
    "insufficient_information": "insufficient_information",
    "not_enough_information": "insufficient_information",
    "not_enough_info": "insufficient_information",
}
#: The labels as a trainee types them, for messages.
TYPED_LABELS = "attachment, relational, both, not relational, insufficient information"

#: Partial credit between labels, by (expected, given): naming one layer of a layered ("both") history,
#: or calling a single-layer history "both", earns half. Graded assignments and the practice sorter's
#: feedback both follow it, so practice teaches the rule that grading applies.
LAYER_CREDIT: dict[tuple[str, str], float] = {
    ("both", "attachment"): 0.5,
    ("both", "relational"): 0.5,
    ("attachment", "both"): 0.5,
    ("relational", "both"): 0.5,
}

_TRUE_WORDS = {"true", "t", "yes", "y"}
_FALSE_WORDS = {"false", "f", "no", "n"}

#: The first line of every answer cell; its name is for the trainee's eyes, the grader goes by grade_id.
MAGIC = "%%answer"
_FIELD = re.compile(r"^\s*(answer|label|confidence)[^:]*:\s*(.*)$", re.IGNORECASE)


class InvalidAnswer(ValueError):
    """An answer that cannot be graded: the message says what to type instead, never what is right."""


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower()).strip("_")


def _plain(text: str) -> str:
    """Text as typed, without surrounding quotes, brackets or a final full stop."""
    return text.strip().strip("\"'`\u201c\u201d\u2018\u2019()[]").strip().rstrip(".!").strip()


def normalise_label(answer: object) -> str:
    """Return one of :data:`~trauma_curriculum.core.labels.LABELS` for a trainee's answer."""
    if not isinstance(answer, str):
        raise InvalidAnswer(f"{answer!r} is not one of the labels; type one of: {TYPED_LABELS}")
    key = _key(_plain(answer))
    key = _LABEL_SYNONYMS.get(key, key)
    if not key:
        raise InvalidAnswer(f"no answer yet; type one of: {TYPED_LABELS}")
    if key not in LABELS:
        raise InvalidAnswer(f"\u201c{_plain(answer)[:60]}\u201d is not one of the labels; type one of: {TYPED_LABELS} "
                            "(ordinary spellings such as \u201cattachment trauma\u201d are fine)")  # fmt: skip
    return key


def normalise_choice(answer: object, choices: str) -> str:
    """Return a single upper-case letter from ``choices`` (for example ``"ABCD"``)."""
    text = _plain(answer) if isinstance(answer, str) else ""
    if len(text) == 1 and text.upper() in choices.upper():
        return text.upper()
    shown = f"\u201c{text[:60]}\u201d" if text else "no answer yet"
    raise InvalidAnswer(f"{shown}: type one letter, one of: {', '.join(choices)}")


def normalise_bool(answer: object) -> bool:
    """Return True or False from True/False or a word such as "yes" or "false"."""
    if isinstance(answer, bool):
        return answer
    text = _key(_plain(answer)) if isinstance(answer, str) else ""
    if text in _TRUE_WORDS | _FALSE_WORDS:
        return text in _TRUE_WORDS
    shown = f"\u201c{_plain(answer)[:60]}\u201d" if text else "no answer yet"
    raise InvalidAnswer(f"{shown}: type true or false")


_NORMALISERS = {
    "label": normalise_label,
    "bool": normalise_bool,
}

#: The answer kinds a key may use (besides ``choice:<letters>``).
KINDS: tuple[str, ...] = tuple(_NORMALISERS)


def normalise(kind: str, answer: object) -> object:
    """Normalise an answer of a given kind: ``"label"``, ``"bool"`` or ``"choice:ABCD"``."""
    if kind.startswith("choice:"):
        return normalise_choice(answer, kind.removeprefix("choice:"))
    try:
        return _NORMALISERS[kind](answer)
    except KeyError:
        raise ValueError(f"unknown answer kind {kind!r}; use 'label', 'bool' or 'choice:<letters>'") from None


def parse_confidence(text: str) -> float | None:
    """A confidence rating as typed ("80", "80%", "80 %") as a share from 0 to 1; None when empty.

    Raises :class:`InvalidAnswer` for anything that is not a number from 0 to 100.
    """
    plain = _plain(text).replace("%", "").replace(",", ".").strip()
    if not plain:
        return None
    try:
        value = float(plain)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 100:  # nan fails too
        raise InvalidAnswer(f"the confidence \u201c{_plain(text)[:30]}\u201d is not a number from 0 to 100, so it is "
                            "ignored (the answer is still graded)")  # fmt: skip
    return value / 100


@dataclass(frozen=True)
class Reading:
    """What an answer cell says, read as the grader reads it."""

    status: str  # "valid", "empty" or "invalid"
    value: object | None  # the normalised answer when valid
    typed: str  # the answer as typed
    message: str  # the one line the trainee sees
    confidence: float | None = None


def answer_fields(source: str) -> tuple[str, str]:
    """(answer, confidence) as typed in an answer cell's text.

    The magic line and comment lines are skipped; ``answer:`` (or ``label:``) and ``confidence:`` lines
    give their fields, and a line with no field name is the answer when none was given yet.
    """
    answer, confidence = None, ""
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%%", "%")):
            continue
        field = _FIELD.match(line)
        if field and field.group(1).lower() == "confidence":
            confidence = field.group(2)
        elif field and answer is None:
            answer = field.group(2)
        elif answer is None or not answer.strip():
            answer = stripped
    return _plain(answer or ""), confidence.strip()


def read_answer_cell(name: str, kind: str, source: str, rated: bool = False) -> Reading:
    """Read one answer cell: its status, normalised value and the one line to show the trainee."""
    typed, confidence_text = answer_fields(source)
    try:
        value = normalise(kind, typed)
        status, message = "valid", f"{name}: \u201c{typed}\u201d is recorded and can be graded (this check does not say whether it is right)."
    except InvalidAnswer as error:
        value, status = None, "empty" if not typed else "invalid"
        message = f"{name}: {error}."
    confidence = None
    if rated:
        try:
            confidence = parse_confidence(confidence_text)
            message += f" Confidence {confidence:.0%} recorded." if confidence is not None else " No confidence rating (optional)."
        except InvalidAnswer as error:
            message += f" Note: {error}."
    return Reading(status, value, typed, message, confidence)
