"""The grader-side answer keys: one YAML file per assignment in the course's ``answer-keys/``.

Read through the same schema layer as the vignette bank, and checked as a whole before anything is
graded: every question's kind is one the answer checks know, every vignette id exists in the assessment
pool (whose labels the loader checks against the definitions), so a typo in a key stops a run with one
line naming the file, the question and the fix instead of silently scoring everyone 0. Keys never leave
the supervisor: they are not in ``release/``, the trainee pack, the installed package or feedback, and
autograded kernels cannot read them (see :mod:`.sandbox`).

Key file::

    assignment: a2-vignette-sorting
    questions:
      item01: {kind: label, vignette: a001, points: 1, partial: layers}
      tf1: {kind: bool, answer: true, points: 1, why: "..."}
    written:
      w1-answer: {points: 3, rubric: [{points: 3, criteria: "..."}], model_answer: "..."}
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ..core.answers import KINDS, normalise
from ..core.definitions import Episode
from ..core.schema import SchemaError, Strict, load_model
from ..core.vignettes import ASSESSMENT_PREFIX, Vignette, load_bank

ASSESSMENT_DIRNAME = "assessment-vignettes"


class AnswerKeyError(SchemaError):
    """The grader's answer keys are missing or malformed: a setup problem for the supervisor to fix."""


class Question(Strict):
    """One autograded question: its kind, points, and either the answer or an assessment vignette."""

    kind: str
    points: Annotated[float, Field(gt=0)]
    answer: bool | str | None = None
    vignette: str | None = None
    partial: Literal["layers"] | None = None
    why: str = ""
    #: A "what comes first?" question about the case of another (sorted) question of the same key.
    first_step_of: str | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in KINDS and not (kind.startswith("choice:") and kind.removeprefix("choice:").isalpha()):
            raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)} or choice:<letters>")
        return kind

    @model_validator(mode="after")
    def _one_answer(self) -> Question:
        if (self.answer is None) == (self.vignette is None):
            raise ValueError("give exactly one of 'answer' or 'vignette'")
        if self.vignette is not None and self.kind != "label":
            raise ValueError("a question keyed by a vignette must have kind 'label'")
        if self.answer is not None:
            normalise(self.kind, self.answer)  # the key's own answer must be a valid answer of its kind
        return self


class Band(Strict):
    points: float
    criteria: Annotated[str, Field(min_length=3)]


class Written(Strict):
    """A hand-graded answer: its points, the rubric graders see, a model answer."""

    points: Annotated[float, Field(gt=0)]
    rubric: Annotated[tuple[Band, ...], Field(min_length=1)]
    model_answer: str = ""


class KeyFile(Strict):
    assignment: str
    form: str | None = None  # which parallel form of a sorting assessment this is (A, B, ...)
    questions: Annotated[dict[str, Question], Field(min_length=1)]
    written: dict[str, Written] = {}
    episodes: tuple[Episode, ...] = ()  # a case formulation's history, for the graders' reference

    @field_validator("episodes", mode="before")
    @classmethod
    def _episodes(cls, value: object) -> tuple[Episode, ...]:
        return tuple(Episode.from_value(item, position) for position, item in enumerate(value or ()))


class Key:
    """One assignment's checked key, with every vignette question resolved to its expert label."""

    def __init__(self, path: Path, data: KeyFile, answers: dict[str, object], vignettes: dict[str, Vignette]):
        self.path, self.data, self.answers, self.vignettes = path, data, answers, vignettes

    @property
    def questions(self) -> dict[str, Question]:
        return self.data.questions

    @property
    def written(self) -> dict[str, Written]:
        return self.data.written

    def answer(self, question: str) -> object:
        """The expected answer, normalised (an assessment vignette's expert label for sorted items)."""
        return self.answers[question]


def assessment_pool(keys_dir: Path) -> dict[str, Vignette]:
    """The assessment vignettes, by id (the same loader and checks as the practice bank)."""
    return {v.id: v for v in load_bank(keys_dir / ASSESSMENT_DIRNAME, prefix=ASSESSMENT_PREFIX)}


@cache
def load_key(assignment: str, keys_dir: Path) -> Key:
    """One assignment's key, checked whole; raises :class:`AnswerKeyError` naming file, question and fix."""
    path = keys_dir / f"{assignment}.yaml"
    data = load_model(path, KeyFile, AnswerKeyError)
    if data.assignment != assignment:
        raise AnswerKeyError(f"{path}: field 'assignment' is {data.assignment!r}; it must be {assignment!r}")
    pool = assessment_pool(keys_dir) if any(q.vignette for q in data.questions.values()) else {}
    answers, vignettes = {}, {}
    for name, question in data.questions.items():
        if question.first_step_of is not None and data.questions.get(question.first_step_of, question).vignette is None:
            raise AnswerKeyError(f"{path}: question {name!r}: field 'first_step_of' must name a sorted item of "
                                 f"this key, not {question.first_step_of!r}")  # fmt: skip
        if question.vignette is not None:
            if question.vignette not in pool:
                raise AnswerKeyError(f"{path}: question {name!r}: no assessment vignette {question.vignette!r} "
                                     f"in {keys_dir / ASSESSMENT_DIRNAME}; correct the id")  # fmt: skip
            vignettes[name] = pool[question.vignette]
            answers[name] = pool[question.vignette].label
        else:
            answers[name] = normalise(question.kind, question.answer)
    return Key(path, data, answers, vignettes)
