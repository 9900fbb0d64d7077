"""The practice vignette bank: one YAML file per vignette, loaded into validated, typed records.

Everything that shows or scores a practice vignette (the sorter, the drills, the coverage tests) reads the
bank through :func:`load_bank`, and every vignette's expert label is checked against
:func:`trauma_curriculum.core.definitions.classify`, so the bank cannot contradict the definitions.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from .definitions import Episode, classify
from .paths import bank_dir
from .schema import SchemaError, Strict, load_model

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


def _episodes(value: object) -> tuple[Episode, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError("must be a list of episodes (use [] when only symptoms are known)")
    return tuple(Episode.from_value(item, position) for position, item in enumerate(value))


#: A case history's episodes, each checked by :meth:`Episode.from_value` (shared by every case record).
Episodes = Annotated[tuple[Episode, ...], BeforeValidator(_episodes)]


def words(low: int, high: int, what: str):
    """Text of ``low`` to ``high`` words (``what`` names it in the error)."""

    def check(value: str) -> str:
        count = len(value.split())
        if not low <= count <= high:
            raise ValueError(f"has {count} words; {what} must have {low} to {high} words")
        return value

    return Annotated[str, AfterValidator(check)]


def sentences(low: int, high: int, what: str):
    """Text of ``low`` to ``high`` sentences (``what`` names it in the error)."""

    def check(value: str) -> str:
        count = len(_SENTENCE_END.findall(value.strip()))
        if not low <= count <= high:
            raise ValueError(f"has {count} sentences; {what} must have {low} to {high}")
        return value

    return Annotated[str, AfterValidator(check)]


class Person(Strict):
    """Who the vignette is about, so the bank's coverage can be measured."""

    age_group: Literal["child", "adolescent", "young_adult", "adult", "older_adult"]
    gender: Literal["female", "male", "nonbinary"]
    context: Annotated[str, Field(min_length=3)]


#: Kinds of current risk a case can show; where one is present, the teaching says what a clinician does first.
RISKS: dict[str, str] = {
    "self_harm": "risk of suicide or self-harm now",
    "child_harmed_now": "a child who may be being harmed now",
    "violence_now": "violence that is still going on",
}


class CurrentRisk(Strict):
    """Risk to the person, or to a child, now: what it is and what a clinician does first."""

    kind: Literal["self_harm", "child_harmed_now", "violence_now"]
    first: Annotated[str, Field(min_length=30)]


class Vignette(Strict):
    """One fictional composite case: its text, its structured facts and its expert key."""

    id: Annotated[str, Field(pattern=r"^[pa]\d{3}$")]
    title: Annotated[str, Field(min_length=3, max_length=80)]
    text: words(80, 200, "a vignette's text")
    episodes: Episodes
    label: Label
    rationale: sentences(2, 4, "a rationale")
    cues: Annotated[tuple[str, ...], Field(min_length=1)]
    symptoms: tuple[Literal[tuple(SYMPTOMS)], ...]  # type: ignore[valid-type]
    difficulty: Annotated[int, Field(ge=1, le=3)]
    modules: Annotated[tuple[Module, ...], Field(min_length=1)]
    person: Person
    current_risk: CurrentRisk | None = None

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


class VignetteBankError(SchemaError):
    """A vignette file that cannot be loaded: the message names the file, the vignette and the field."""


#: The longest vignette file read (a vignette is a few hundred words; anything far larger is a mistake).
MAX_FILE_BYTES = 64_000


def load_vignette(path: Path) -> Vignette:
    """Load and validate one vignette file; raise :class:`VignetteBankError` naming file, id and field."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise VignetteBankError(f"{path}: {size:,} bytes, far more than a vignette; at most "
                                f"{MAX_FILE_BYTES:,} bytes (is it the right file?)")  # fmt: skip
    vignette = load_model(path, Vignette, VignetteBankError, prefix=f"vignette {path.stem}: ")
    if vignette.id != path.stem:
        raise VignetteBankError(
            f"{path}: vignette {vignette.id}: field 'id' differs from the file name; rename the file to "
            f"{vignette.id}.yaml or change the id"
        )
    return vignette


def load_bank(directory: Path | str | None = None, prefix: str = PRACTICE_PREFIX) -> tuple[Vignette, ...]:
    """Load every vignette file (``<id>.yaml``) in ``directory`` (default: this curriculum's practice
    bank, found from the working directory), in id order.

    ``prefix`` keeps the two pools apart: practice ids start with ``p``, assessment ids with ``a``, and a
    vignette of the other pool in a folder is an error.

    Nothing is skipped: a file that is not a vignette (other than a README) is reported, and every problem
    in every file is collected and raised together in one :class:`VignetteBankError`, so one run shows all
    that needs fixing. Loading is cached per folder: the widgets of one notebook read the bank once.
    """
    return _load_bank(Path(directory).resolve() if directory is not None else bank_dir(), prefix)


@cache
def _load_bank(directory: Path, prefix: str) -> tuple[Vignette, ...]:
    if not directory.is_dir():
        raise VignetteBankError(f"{directory}: no such folder of vignettes")
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
