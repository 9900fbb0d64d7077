"""Practice content besides the vignette bank: module self-checks and the cue-spotting statements.

These are practice items, so they carry their answers; they ship with the package (``content/``). Like
the bank, every file is validated on load and a malformed one raises an error naming file and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

CONTENT_DIR = Path(__file__).resolve().parent / "content"

#: What a client's wording can point to, for the cue spotter of module 05.
SIGNALS: dict[str, str] = {
    "early_organisation": "Early organisation ('always', 'never been able to')",
    "later_rupture": "A later rupture (a before and after)",
    "not_enough": "Not enough to tell (no time frame)",
}


class ContentError(ValueError):
    """A content file that cannot be loaded: the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Strict):
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


class SelfCheckFile(_Strict):
    module: str
    questions: Annotated[tuple[Question, ...], Field(min_length=3)]


class Statement(_Strict):
    """A fictional client's statement, the signal its wording carries, and why."""

    text: Annotated[str, Field(min_length=5)]
    signal: Literal["early_organisation", "later_rupture", "not_enough"]
    explanation: Annotated[str, Field(min_length=10)]


class StatementsFile(_Strict):
    statements: Annotated[tuple[Statement, ...], Field(min_length=6)]


def _load(path: Path, model: type[BaseModel]):
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML ({error})") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"field '{'.'.join(map(str, item['loc'])) or '(whole file)'}': {item['msg'].removeprefix('Value error, ')}"
            for item in error.errors()
        )
        raise ContentError(f"{path}: {problems}") from None


def load_self_check(module: str, directory: Path = CONTENT_DIR) -> tuple[Question, ...]:
    """The self-check questions of one module (``selfcheck-NN.yaml``)."""
    path = directory / f"selfcheck-{module}.yaml"
    loaded = _load(path, SelfCheckFile)
    if loaded.module != module:
        raise ContentError(f"{path}: field 'module' is {loaded.module!r}; it must be {module!r}")
    return loaded.questions


def load_statements(directory: Path = CONTENT_DIR) -> tuple[Statement, ...]:
    """The cue spotter's client statements (``cue-statements.yaml``)."""
    return _load(directory / "cue-statements.yaml", StatementsFile).statements
