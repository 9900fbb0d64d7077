"""The practice vignette bank: one YAML file per vignette, loaded into validated, typed records.

Everything that shows or scores a practice vignette (the sorter, the drills, the coverage tests) reads the
bank through :func:`load_bank`, and every vignette's expert label is checked against
:func:`trauma_curriculum.definitions.classify`, so the bank cannot contradict the definitions.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .definitions import Episode, classify

#: Where the practice bank lives, relative to the repository (or trainee workspace) root.
BANK_DIR = Path(__file__).resolve().parent.parent / "exercises" / "vignettes"
#: Practice vignettes (may carry their answers) and assessment vignettes (graded; their keys stay with the
#: supervisor in answer-keys/assessment-vignettes/) never share an id, a file or a folder.
PRACTICE_PREFIX, ASSESSMENT_PREFIX = "p", "a"

AGE_GROUPS: tuple[str, ...] = ("child", "adolescent", "young_adult", "adult", "older_adult")
GENDERS: tuple[str, ...] = ("female", "male", "nonbinary")

#: The symptom vocabulary: the same presentations can follow either kind of wound.
SYMPTOMS: dict[str, str] = {
    "hypervigilance": "hypervigilance",
    "shame": "shame",
    "difficulty_trusting": "difficulty trusting",
    "bracing_against_closeness": "bracing against closeness",
    "emotional_flooding": "emotional flooding",
    "persistent_threat": "a persistent low-level sense of threat",
    "self_blame": "self-blame",
    "numbing": "emotional numbing",
    "avoidance": "avoidance of reminders",
    "intrusive_memories": "intrusive memories",
    "sleep_disturbance": "disturbed sleep",
    "people_pleasing": "people-pleasing and fear of needing others",
}

Label = Literal["attachment", "relational", "both", "not_relational", "insufficient_information"]
Module = Literal["00", "01", "02", "03", "04", "05", "06", "07"]
_SENTENCE_END = re.compile(r"[.!?](?:['\"\u2019\u201d)])?(?:\s|$)")


def _count_words(text: str) -> int:
    return len(text.split())


def _count_sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text.strip()))


class Person(BaseModel):
    """Who the vignette is about, so the bank's coverage can be measured."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age_group: Literal["child", "adolescent", "young_adult", "adult", "older_adult"]
    gender: Literal["female", "male", "nonbinary"]
    context: Annotated[str, Field(min_length=3)]


class Vignette(BaseModel):
    """One fictional composite case: its text, its structured facts and its expert key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[pa]\d{3}$")]
    title: Annotated[str, Field(min_length=3, max_length=80)]
    text: str
    episodes: tuple[Episode, ...]
    label: Label
    rationale: str
    cues: Annotated[tuple[str, ...], Field(min_length=1)]
    symptoms: tuple[Literal[tuple(SYMPTOMS)], ...]  # type: ignore[valid-type]
    difficulty: Annotated[int, Field(ge=1, le=3)]
    modules: Annotated[tuple[Module, ...], Field(min_length=1)]
    person: Person

    @field_validator("episodes", mode="before")
    @classmethod
    def _episodes(cls, value: object) -> tuple[Episode, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise ValueError("must be a list of episodes (use [] when only symptoms are known)")
        return tuple(Episode.from_value(item, position) for position, item in enumerate(value))

    @field_validator("text")
    @classmethod
    def _text_length(cls, value: str) -> str:
        words = _count_words(value)
        if not 80 <= words <= 200:
            raise ValueError(f"has {words} words; a vignette's text must have 80 to 200 words")
        return value

    @field_validator("rationale")
    @classmethod
    def _rationale_length(cls, value: str) -> str:
        sentences = _count_sentences(value)
        if not 2 <= sentences <= 4:
            raise ValueError(f"has {sentences} sentences; a rationale must have 2 to 4")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Vignette:
        missing = [cue for cue in self.cues if cue not in self.text]
        if missing:
            raise ValueError(f"cues {missing} do not occur verbatim in the text; copy them exactly from it")
        derived = classify(self.episodes).label
        if derived != self.label:
            raise ValueError(
                f"label is {self.label!r} but the definitions classify its episodes as {derived!r}; "
                "correct the label or the episodes"
            )
        return self

    @property
    def relationships(self) -> tuple[str, ...]:
        """The relationships named in the episodes, for coverage reports."""
        return tuple(episode.relationship for episode in self.episodes)

    def classification(self):
        """The definitions' classification of this vignette's facts (label and reasons)."""
        return classify(self.episodes)


class VignetteBankError(ValueError):
    """A vignette file that cannot be loaded: the message names the file, the vignette and the field."""


def _describe(error: dict) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "(the vignette as a whole)"
    message = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    shown = "" if isinstance(given, (dict, list)) or given is None else f" (given: {given!r})"
    return f"field '{field}': {message}{shown}"


def load_vignette(path: Path) -> Vignette:
    """Load and validate one vignette file; raise :class:`VignetteBankError` naming file, id and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise VignetteBankError(
            f"{path}: not valid YAML ({error}); fix the syntax at the line shown"
        ) from error
    if not isinstance(data, dict):
        raise VignetteBankError(
            f"{path}: expected a mapping of fields (id, title, text, ...), got {type(data).__name__}"
        )
    vignette_id = data.get("id", "<no id>")
    try:
        vignette = Vignette.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(_describe(item) for item in error.errors())
        raise VignetteBankError(f"{path}: vignette {vignette_id}: {problems}") from None
    if vignette.id != path.stem:
        raise VignetteBankError(
            f"{path}: vignette {vignette.id}: field 'id' differs from the file name; rename the file to "
            f"{vignette.id}.yaml or change the id"
        )
    return vignette


def load_bank(directory: Path | str = BANK_DIR, prefix: str = PRACTICE_PREFIX) -> tuple[Vignette, ...]:
    """Load every vignette file (``<id>.yaml``) in ``directory``, in id order.

    ``prefix`` keeps the two pools apart: practice ids start with ``p``, assessment ids with ``a``, and a
    vignette of the other pool in a folder is an error.

    Nothing is skipped: a file that is not a vignette (other than a README) is reported, and every problem
    in every file is collected and raised together in one :class:`VignetteBankError`, so one run shows all
    that needs fixing.
    """
    directory = Path(directory)
    files = sorted(
        path for path in directory.iterdir() if path.is_file() and not path.name.startswith("README")
    )
    if not files:
        raise VignetteBankError(f"{directory}: no vignette files (*.yaml) found")
    vignettes: list[Vignette] = []
    problems: list[str] = []
    for path in files:
        if path.suffix != ".yaml":
            problems.append(f"{path}: not a vignette file; vignettes are named <id>.yaml (rename or move it)")
            continue
        try:
            vignette = load_vignette(path)
        except VignetteBankError as error:
            problems.append(str(error))
            continue
        if not vignette.id.startswith(prefix):
            problems.append(f"{path}: vignette {vignette.id}: field 'id' must start with {prefix!r} in this pool; "
                            "practice and assessment vignettes are kept apart")  # fmt: skip
        vignettes.append(vignette)
    if problems:
        raise VignetteBankError("\n".join(problems))
    return tuple(vignettes)
