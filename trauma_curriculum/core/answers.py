"""Answers as trainees type them: normalised, and checked for *validity* (never for correctness).

Trainees are clinicians, not programmers: an answer is a plain value chosen from a stated list. The
visible checks in graded notebooks call :func:`check_answer` so a trainee learns at once that an answer
can be graded (a known label, spelled so it can be read) without learning whether it is right; the
grader-side scoring normalises answers with the same functions, so "Attachment trauma" and
"attachment" are graded alike.
"""

from __future__ import annotations

import re

from .labels import LABELS

#: Other ways trainees write the labels, after lower-casing and turning spaces and hyphens into "_".
_LABEL_SYNONYMS = {
    "attachment_trauma": "attachment",
    "relational_trauma": "relational",
    "attachment_and_relational": "both",
    "attachment_and_relational_trauma": "both",
    "relational_and_attachment": "both",
    "not_relational_trauma": "not_relational",
    "non_relational": "not_relational",
    "nonrelational": "not_relational",
    "insufficient": "insufficient_information",
    "insufficient_info": "insufficient_information",
    "not_enough_information": "insufficient_information",
}

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


class InvalidAnswer(ValueError):
    """An answer that cannot be graded: the message says what to type instead, never what is right."""


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower()).strip("_")


def normalise_label(answer: object) -> str:
    """Return one of :data:`~trauma_curriculum.core.labels.LABELS` for a trainee's answer.

    Raises :class:`InvalidAnswer` when the answer is not text or not a recognisable label.
    """
    if not isinstance(answer, str):
        raise InvalidAnswer(
            f"the answer is {answer!r} ({type(answer).__name__}); type one of the labels in quotes, "
            f'for example "relational". The labels are: {", ".join(LABELS)}'
        )
    key = _key(answer)
    key = _LABEL_SYNONYMS.get(key, key)
    if key not in LABELS:
        raise InvalidAnswer(
            f"{answer!r} is not one of the labels; type one of: {', '.join(LABELS)}"
            + (" (the answer is still empty)" if not key else "")
        )
    return key


def normalise_choice(answer: object, choices: str) -> str:
    """Return a single upper-case letter from ``choices`` (for example ``"ABCD"``)."""
    if isinstance(answer, str) and _key(answer).upper() in choices.upper() and len(_key(answer)) == 1:
        return _key(answer).upper()
    raise InvalidAnswer(f"the answer is {answer!r}; type one letter in quotes, one of: {', '.join(choices)}")


def normalise_bool(answer: object) -> bool:
    """Return True or False from True/False or a word such as "yes" or "false"."""
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, str) and _key(answer) in _TRUE_WORDS | _FALSE_WORDS:
        return _key(answer) in _TRUE_WORDS
    raise InvalidAnswer(f"the answer is {answer!r}; type True or False (without quotes)")


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


def check_answer(name: str, kind: str, answer: object) -> None:
    """The visible check in a graded notebook: say whether ``answer`` can be graded, not whether it is right.

    Raises :class:`InvalidAnswer` (so the trainee, and nbgrader's validation, see it) when it cannot.
    """
    try:
        value = normalise(kind, answer)
    except InvalidAnswer as error:
        raise InvalidAnswer(f"{name}: {error}") from None
    print(
        f"{name}: {value!r} is a valid answer and can be graded (this check does not say whether it is right)."
    )


def check_confidence(name: str, confidence: object) -> None:
    """The visible check of an optional confidence rating: empty, or a whole number from 0 to 100.

    A rating is never graded, so a bad one only prints a reminder (on stdout, never an error) and the
    answer beside it is still graded.
    """
    if confidence is None or confidence == "":
        print(f"{name}: no confidence rating (optional).")
    elif isinstance(confidence, (int, float)) and not isinstance(confidence, bool) and 0 <= confidence <= 100:
        print(f"{name}: confidence {confidence:g}% recorded.")
    else:
        print(
            f"{name}: the confidence rating {confidence!r} is not a number from 0 to 100; it will be ignored."
        )
