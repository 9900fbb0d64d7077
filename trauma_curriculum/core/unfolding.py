"""Unfolding cases: a case history told in stages, each stage a set of structured facts.

The practice bank shows a whole history at once; the lesson the seed article teaches (symptoms look
the same, and only who and when tell the wounds apart) is learnt better when the history arrives as a
clinician meets it. A case here is a sequence of stages: what the person brings now, then who was in
their life, then when things happened, and sometimes a later account that revises an earlier one.

Each stage holds the episodes known *so far* (the whole set, not what it adds), and its label must be
what :func:`~trauma_curriculum.core.definitions.classify` gives for them, exactly as a vignette's label
must (the same :class:`~.vignettes.Person`, :class:`~.vignettes.CurrentRisk` and episode checks are
used). The first stage must classify as ``insufficient_information``: the structural lesson that
symptoms alone never decide comes from the definitions, not from a sentence written here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .definitions import classify
from .paths import BANK, find_root
from .schema import SchemaError, Strict, load_model
from .vignettes import SYMPTOMS, CurrentRisk, Episodes, Label, Person, words

#: Where the unfolding cases live, relative to the curriculum's root.
UNFOLDING = Path("exercises") / "unfolding"
#: The modules that teach with unfolding cases (by then a trainee knows all five labels).
UNFOLDING_MODULES: tuple[str, ...] = ("03", "04", "05", "06", "07")

#: The kinds of stage, in the order a case tells them, with the heading a trainee reads.
STAGE_HEADINGS: dict[str, str] = {
    "now": "What they bring now",
    "who": "Who was in their life",
    "when": "When things happened",
    "revision": "A later account",
}
#: Every case opens with these three stages, in this order; revisions may follow.
OPENING = ("now", "who", "when")

MAX_FILE_BYTES = 64_000


class Stage(Strict):
    """One stage of a case: what the trainee reads, the episodes known so far, and their label."""

    kind: Literal["now", "who", "when", "revision"]
    text: words(25, 130, "a stage's text")
    episodes: Episodes
    label: Label
    note: Annotated[str, Field(min_length=40)]  # after the commit: what this stage added, and why the label
    current_risk: CurrentRisk | None = None

    @model_validator(mode="after")
    def _label_is_the_definitions(self) -> Stage:
        derived = classify(self.episodes).label
        if derived != self.label:
            raise ValueError(
                f"label is {self.label!r} but the definitions classify this stage's episodes as {derived!r}; "
                "correct the label or the episodes (a stage lists every episode known so far)"
            )
        return self

    @property
    def heading(self) -> str:
        return STAGE_HEADINGS[self.kind]

    def classification(self):
        """The definitions' classification of the facts known at this stage (label and reasons)."""
        return classify(self.episodes)


class UnfoldingCase(Strict):
    """A fictional composite case told in stages; the expert label of each stage is the definitions'."""

    id: Annotated[str, Field(pattern=r"^u\d{3}$")]
    title: Annotated[str, Field(min_length=3, max_length=80)]
    modules: Annotated[tuple[Literal["03", "04", "05", "06", "07"], ...], Field(min_length=1)]
    difficulty: Annotated[int, Field(ge=1, le=3)]
    person: Person
    symptoms: Annotated[tuple[Literal[tuple(SYMPTOMS)], ...], Field(min_length=1)]  # type: ignore[valid-type]
    stages: Annotated[tuple[Stage, ...], Field(min_length=3, max_length=5)]

    @model_validator(mode="after")
    def _told_in_order(self) -> UnfoldingCase:
        kinds = tuple(stage.kind for stage in self.stages)
        if kinds[:3] != OPENING or any(kind != "revision" for kind in kinds[3:]):
            raise ValueError(f"stages are {list(kinds)}; a case opens with {list(OPENING)}, and only "
                             "'revision' stages may follow")  # fmt: skip
        if self.stages[0].label != "insufficient_information":
            raise ValueError("the first stage (what they bring now) must classify as insufficient_information: "
                             "give it only symptoms, or episodes whose who or when is still open")  # fmt: skip
        for number, (before, after) in enumerate(zip(self.stages, self.stages[1:], strict=False), start=2):
            if after.kind == "revision" and set(after.episodes) == set(before.episodes):
                raise ValueError(f"stage {number} is a revision but its episodes are those of stage "
                                 f"{number - 1}; a revision changes what is known")  # fmt: skip
        return self

    @property
    def labels(self) -> tuple[str, ...]:
        """The expert label at each stage, in order: how the reading moves as the history arrives."""
        return tuple(stage.label for stage in self.stages)

    @property
    def label(self) -> str:
        """The label of everything known at the end."""
        return self.stages[-1].label

    @property
    def revised(self) -> bool:
        """Whether a later account revises an earlier one."""
        return any(stage.kind == "revision" for stage in self.stages)


class UnfoldingError(SchemaError):
    """An unfolding case file that cannot be loaded: the message names the file, the case and the field."""


def unfolding_dir(start: Path | None = None) -> Path:
    """The unfolding cases of the curriculum this code runs in (beside the practice bank)."""
    return find_root(BANK, start) / UNFOLDING


def load_case(path: Path) -> UnfoldingCase:
    """Load and validate one case file; raise :class:`UnfoldingError` naming file, case and field."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnfoldingError(
            f"{path}: {size:,} bytes, far more than a case; at most {MAX_FILE_BYTES:,} bytes"
        )
    case = load_model(path, UnfoldingCase, UnfoldingError, prefix=f"case {path.stem}: ")
    if case.id != path.stem:
        raise UnfoldingError(f"{path}: case {case.id}: field 'id' differs from the file name; rename the file "
                             f"to {case.id}.yaml or change the id")  # fmt: skip
    return case


def load_cases(directory: Path | str | None = None) -> tuple[UnfoldingCase, ...]:
    """Every case (``<id>.yaml``) in ``directory`` (default: this curriculum's ``exercises/unfolding``), in
    id order; like the bank, every problem in every file is collected into one :class:`UnfoldingError`,
    and loading is cached per folder."""
    return _load_cases(Path(directory).resolve() if directory is not None else unfolding_dir())


@cache
def _load_cases(directory: Path) -> tuple[UnfoldingCase, ...]:
    if not directory.is_dir():
        raise UnfoldingError(f"{directory}: no such folder of unfolding cases")
    files = sorted(
        path for path in directory.iterdir() if path.is_file() and not path.name.startswith("README")
    )
    if not files:
        raise UnfoldingError(f"{directory}: no case files (*.yaml) found")
    cases, problems = [], []
    for path in files:
        if path.suffix != ".yaml":
            problems.append(f"{path}: not a case file; cases are named <id>.yaml (rename or move it)")
            continue
        try:
            cases.append(load_case(path))
        except UnfoldingError as error:
            problems.append(str(error))
    if problems:
        raise UnfoldingError("\n".join(problems))
    return tuple(cases)
