"""Practice content besides the vignette bank: module self-checks and the cue-spotting statements.

These are practice items, so they carry their answers; they ship with the package (``content/``). Like
the bank, every file is validated on load and a malformed one raises an error naming file and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .schema import SchemaError, Strict, load_model

#: Practice content ships inside the package (``core/data/``): trainees may read it, keys are never here.
CONTENT_DIR = Path(__file__).resolve().parent / "data"

#: What a client's wording can point to, for the cue spotter of module 05.
SIGNALS: dict[str, str] = {
    "early_organisation": "Early organisation ('always', 'never been able to')",
    "later_rupture": "A later rupture (a before and after)",
    "not_enough": "Not enough to tell (no time frame)",
}


class ContentError(SchemaError):
    """A content file that cannot be loaded: the message names the file and the field."""


class Question(Strict):
    """One multiple-choice self-check question, with its explanation."""

    prompt: Annotated[str, Field(min_length=10)]
    options: Annotated[tuple[str, ...], Field(min_length=2, max_length=5)]
    answer: int
    explanation: Annotated[str, Field(min_length=10)]

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> Question:
        if not 0 <= self.answer < len(self.options):
            raise ValueError(
                f"answer {self.answer} is not the index of an option (0 to {len(self.options) - 1})"
            )
        return self


class SelfCheckFile(Strict):
    module: str
    questions: Annotated[tuple[Question, ...], Field(min_length=3)]


class Statement(Strict):
    """A fictional client's statement, the signal its wording carries, and why."""

    text: Annotated[str, Field(min_length=5)]
    signal: Literal["early_organisation", "later_rupture", "not_enough"]
    explanation: Annotated[str, Field(min_length=10)]


class StatementsFile(Strict):
    statements: Annotated[tuple[Statement, ...], Field(min_length=6)]


def load_self_check(module: str, directory: Path = CONTENT_DIR) -> tuple[Question, ...]:
    """The self-check questions of one module (``selfcheck-NN.yaml``)."""
    path = directory / f"selfcheck-{module}.yaml"
    loaded = load_model(path, SelfCheckFile, ContentError)
    if loaded.module != module:
        raise ContentError(f"{path}: field 'module' is {loaded.module!r}; it must be {module!r}")
    return loaded.questions


def load_statements(directory: Path = CONTENT_DIR) -> tuple[Statement, ...]:
    """The cue spotter's client statements (``cue-statements.yaml``)."""
    return load_model(directory / "cue-statements.yaml", StatementsFile, ContentError).statements
