"""What a *formulation* implies for the focus of treatment, as module 06 teaches it: never the label alone.

A teaching summary, not a treatment protocol: a real decision belongs to a supervised clinical
assessment. The focus follows from the whole formulation: the current symptoms and how severe they are,
current risk, dissociation, what the person wants, what base from before the wound there is to draw on,
and the history's label as one input among these. Several foci can be right at once, and every focus,
chosen or not, comes with the facts that make it fit or not fit. The rules follow the guidelines:
trauma-focused psychological therapies are the first-line treatment for PTSD whatever the relational
context of the trauma (ISTSS, 2019; NICE NG116, 2018).

The practice cases live in ``core/data/formulation-cases.yaml`` (they ship with the package and carry
their answers, like the self-checks). Each case states the foci its author expects, and loading checks
that they are exactly what :func:`judge` derives from its facts, so a case cannot contradict the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..core.content import CONTENT_DIR
from ..core.definitions import classify
from ..core.labels import LABEL_NAMES
from ..core.schema import SchemaError, Strict, load_model
from ..core.vignettes import RISKS, CurrentRisk, Episodes, words
from .session import Deck

CASES_FILE = CONTENT_DIR / "formulation-cases.yaml"

GUIDELINES = "ISTSS, 2019; NICE NG116, 2018"


@dataclass(frozen=True)
class Focus:
    """A focus of treatment: its name on the card, and what it means in practice."""

    name: str
    meaning: str


#: Focus key -> :class:`Focus`, in the order the matcher lists them.
FOCI: dict[str, Focus] = {
    "safety_first": Focus(
        "Safety first: assess the risk and follow the safeguarding duty",
        "Ask directly about suicide and self-harm, check whether anyone (above all a child) is being harmed "
        "now, consult a supervisor, and follow the local safeguarding or reporting procedure; local law and "
        "policy govern what must be done.",
    ),
    "assess_first": Focus(
        "Complete the assessment before choosing",
        "Fill the gaps that would change the plan: who and when, a validated measure such as the "
        "International Trauma Questionnaire for ICD-11 PTSD and complex PTSD, a dissociation screen, and "
        "what base there is to draw on.",
    ),
    "trauma_focused": Focus(
        "Offer a first-line trauma-focused therapy for the PTSD symptoms",
        "For example cognitive processing therapy, cognitive therapy for PTSD, prolonged exposure, other "
        "trauma-focused CBT, or EMDR (NICE: for non-combat-related trauma): the first-line recommendation for PTSD "
        "in both guidelines "
        f"({GUIDELINES}), whether or not the trauma happened inside a relationship.",
    ),
    "regulation_support": Focus(
        "Add support for emotion regulation and dissociation, with extra time to build trust",
        "For complex PTSD features or marked dissociation: more time for trust, help with dissociation and "
        "emotional dysregulation, and often more sessions (NICE NG116, 2018), alongside trauma-focused work "
        "rather than in place of it.",
    ),
    "relational_arc": Focus(
        "Use the therapeutic relationship, over a longer arc, to revise an early template",
        "Expectations learned in harmful early care change mostly through repeated lived experience: a "
        "steady relationship in which ruptures are repaired. A clinical tendency (Leal), not a guideline.",
    ),
    "rebuild_trust": Focus(
        "Work through the betrayal and rebuild trust, drawing on what worked before",
        "Make sense of what happened in that relationship, grieve what it cost, and test trust again step "
        "by step, leaning on a capacity the person had before the wound.",
    ),
    "medical_review": Focus(
        "Arrange a medical or neurological review alongside",
        "When a physical cause may be part of the picture (a head injury, an illness, unexplained episodes of "
        "lost time), it is assessed by the right specialist alongside psychological care, not instead of it.",
    ),
}

Severity = Literal["none", "mild", "moderate", "severe", "unknown"]
Presence = Literal["absent", "present", "unknown"]

#: How each formulation value reads on the card.
_READ = {"unknown": "not yet known", "absent": "not present", "present": "present", "none": "none described",
         "steady": "steady and dependable", "harmful": "harmful (an early caregiving wound)"}  # fmt: skip


class Formulation(Strict):
    """What is known about the person now, besides the history: the facts that choose a focus."""

    ptsd: Severity  # re-experiencing, avoidance, a sense of current threat
    self_organisation: Presence  # ICD-11 disturbances in self-organisation
    dissociation: Literal["none", "some", "marked", "unknown"]
    early_care: Literal["steady", "harmful", "unknown"]
    trust_before: Literal["present", "absent", "unknown"] | None = None  # before a later relational wound
    wants: Annotated[str, Field(min_length=10)]
    wants_relational_work: bool  # the person asks for help with closeness or trust
    medical: str = ""  # a physical question to rule in or out, in a sentence
    current_risk: CurrentRisk | None = None


class FormulationCase(Strict):
    """One fictional case for the matcher: its text, its history, its formulation and the expected foci."""

    id: Annotated[str, Field(pattern=r"^f\d{2}$")]
    name: Annotated[str, Field(min_length=2)]
    title: Annotated[str, Field(min_length=3, max_length=80)]
    text: words(60, 200, "a case's text")
    episodes: Episodes
    formulation: Formulation
    foci: Annotated[tuple[Literal[tuple(FOCI)], ...], Field(min_length=1)]  # type: ignore[valid-type]
    note: str = ""  # what makes the case instructive, shown with the feedback

    @model_validator(mode="after")
    def _consistent(self) -> FormulationCase:
        facts, label = self.formulation, self.label
        if (facts.early_care == "harmful") != (label in ("attachment", "both")):
            raise ValueError(f"formulation.early_care is {facts.early_care!r} but the history is {label!r}: "
                             "early care is 'harmful' exactly when the history holds an attachment wound")  # fmt: skip
        if (facts.trust_before is None) == later_wound(label):
            raise ValueError("formulation.trust_before: give it (present, absent or unknown) when the history "
                             "holds a later relational wound, and leave it out otherwise")  # fmt: skip
        derived = tuple(key for key, verdict in judge(self).items() if verdict.fits)
        if set(self.foci) != set(derived):
            raise ValueError(f"foci are {sorted(self.foci)} but the formulation's facts call for "
                             f"{sorted(derived)}; correct the foci or the facts")  # fmt: skip
        return self

    @property
    def label(self) -> str:
        """The history's label, from the definitions: one input to the formulation, never the answer."""
        return classify(self.episodes).label

    @property
    def answer(self) -> frozenset[str]:
        return frozenset(self.foci)


class CasesFile(Strict):
    cases: Annotated[tuple[FormulationCase, ...], Field(min_length=4)]


class FormulationError(SchemaError):
    """A formulation-case file that cannot be used: the message names the file, the field and the fix."""


def later_wound(label: str) -> bool:
    """Whether a history with this label holds a wound in a relationship of trust outside the early bond."""
    return label in ("relational", "both")


@dataclass(frozen=True)
class Verdict:
    """Whether a focus fits a case, and the facts that say so."""

    fits: bool
    why: str


def _gaps(case: FormulationCase) -> list[str]:
    """The unknowns in a formulation that would change the plan."""
    facts, gaps = case.formulation, []
    if case.label == "insufficient_information":
        gaps.append("who harmed or failed the person, and when")
    if facts.ptsd == "unknown":
        gaps.append("whether PTSD symptoms are present and how severe (the International Trauma "
                    "Questionnaire measures them)")  # fmt: skip
    if facts.self_organisation == "unknown":
        gaps.append(
            "whether there are disturbances in self-organisation (the same questionnaire covers them)"
        )
    if facts.dissociation == "unknown":
        gaps.append("whether there is dissociation (a screen such as the Dissociative Experiences Scale)")
    if facts.dissociation == "marked":
        gaps.append("what the dissociation is, through a structured assessment (a validated screen such as the "
                    "Dissociative Experiences Scale, then a structured interview for dissociative disorders)")  # fmt: skip
    relational = facts.wants_relational_work or later_wound(case.label)
    if relational and facts.early_care == "unknown":
        gaps.append("what early care was like")
    if facts.trust_before == "unknown":
        gaps.append("whether trust worked before the later wound")
    return gaps


def _safety_first(case: FormulationCase) -> Verdict:
    risk = case.formulation.current_risk
    if risk is None:
        return Verdict(False, "No current risk is described. Risk is still asked about at assessment, as with "
                              "everyone.")  # fmt: skip
    return Verdict(True, f"{case.name} is at current risk ({RISKS[risk.kind]}): this comes before any choice "
                         f"of therapy. {risk.first}")  # fmt: skip


def _assess_first(case: FormulationCase) -> Verdict:
    gaps = _gaps(case)
    if not gaps:
        return Verdict(False, "The assessment so far has found what the plan depends on: the history, the "
                              "symptoms and their severity, dissociation and the base to draw on. Assessment goes "
                              "on through treatment, but finishing it is not what must come first here.")  # fmt: skip
    return Verdict(
        True, "Before choosing, find out " + "; ".join(gaps) + ". What is found would change the plan."
    )


def _trauma_focused(case: FormulationCase) -> Verdict:
    facts, name = case.formulation, case.name
    if facts.ptsd == "unknown":
        return Verdict(False, "Whether there are PTSD symptoms is not yet known: assess first, and offer it if "
                              "they are there.")  # fmt: skip
    if facts.ptsd in ("none", "mild"):
        level = "PTSD symptoms are mild" if facts.ptsd == "mild" else "There are no PTSD symptoms"
        return Verdict(False, f"{level}, so a course of trauma-focused therapy is not what this formulation "
                              "calls for now; keep them under review and offer it if they grow.")  # fmt: skip
    early = (
        "An early wound in the history does not rule it out. " if case.label in ("attachment", "both") else ""
    )
    after = " once immediate safety has been addressed" if facts.current_risk else ""
    return Verdict(True, f"{name}'s PTSD symptoms are {facts.ptsd}. Trauma-focused therapy is first-line for "
                         f"PTSD whatever the relational context of the trauma ({GUIDELINES}). {early}It is "
                         f"offered{after}, and {name} chooses with full information.")  # fmt: skip


def _regulation_support(case: FormulationCase) -> Verdict:
    facts, reasons = case.formulation, []
    if facts.self_organisation == "present":
        reasons.append("there are disturbances in self-organisation (emotion that is hard to regulate, a "
                       "diminished sense of self, difficulty staying close), so assess for ICD-11 complex PTSD "
                       "with the International Trauma Questionnaire")  # fmt: skip
    if facts.dissociation == "marked":
        reasons.append("dissociation is marked, so screen for it with a validated measure and consider a "
                       "dissociative disorder")  # fmt: skip
    if not reasons:
        unknown = "unknown" in (facts.dissociation, facts.self_organisation)
        return Verdict(False, "Neither marked dissociation nor disturbances in self-organisation are described"
                              + (" yet." if unknown else "."))  # fmt: skip
    if facts.ptsd == "none":  # NICE NG116 is a PTSD guideline: it says nothing about a case without PTSD
        advice = ("There is no PTSD here, so this help is not a PTSD guideline's advice: it follows from the "
                  "structured assessment of the dissociation, with time to build trust.")  # fmt: skip
    else:
        advice = ("NICE NG116 (2018) advises extra time to build trust and help with dissociation and "
                  "dysregulation, alongside any trauma-focused work.")  # fmt: skip
    return Verdict(True, f"For {case.name}, " + "; and ".join(reasons) + ". " + advice)


def _relational_arc(case: FormulationCase) -> Verdict:
    facts, name = case.formulation, case.name
    if facts.early_care == "steady":
        return Verdict(False, "Early care is described as steady: there is no early template to revise.")
    if facts.early_care == "unknown":
        return Verdict(False, "What early care was like is not yet known, so there is no early template to "
                              "work with yet.")  # fmt: skip
    if not facts.wants_relational_work:
        return Verdict(False, f"Early care was harmful, but what {name} asks for is {facts.wants}. The "
                              "relationship matters in every therapy; making it the focus is not what is asked "
                              "for now.")  # fmt: skip
    return Verdict(True, f"The history holds harmful early care, and {name} wants {facts.wants}. Expectations "
                         "learned that early shift mostly through lived experience, so a steady relationship "
                         "with repair after ruptures, over a longer arc, can be one focus.")  # fmt: skip


def _rebuild_trust(case: FormulationCase) -> Verdict:
    facts, name = case.formulation, case.name
    if not later_wound(case.label):
        return Verdict(
            False, "The history holds no wound inside a relationship of trust after the early years."
        )
    if facts.trust_before == "unknown":
        return Verdict(False, f"The label ({LABEL_NAMES[case.label]}) says that a later relational wound "
                              "happened, not that trust worked before it. That is not yet known, so there may "
                              "be nothing to restore: the label alone would have chosen this focus.")  # fmt: skip
    if facts.trust_before == "absent":
        return Verdict(False, "Trust did not come easily even before the later wound, so there is no earlier "
                              "capacity to restore.")  # fmt: skip
    if not facts.wants_relational_work:
        return Verdict(False, f"What {name} asks for now is {facts.wants}, not help with trust.")
    return Verdict(True, f"A later wound inside a relationship of trust, trust that worked before it, and {name} "
                         f"wants {facts.wants}: the work can centre on that betrayal and on recovering the "
                         "earlier capacity.")  # fmt: skip


def _medical_review(case: FormulationCase) -> Verdict:
    medical = case.formulation.medical
    if not medical:
        return Verdict(False, "No physical question is raised in this case.")
    return Verdict(True, f"{medical} That needs a medical or neurological review alongside the psychological "
                         "work.")  # fmt: skip


#: Focus key -> the rule that judges it from a case's facts (one rule per focus, in the order of FOCI).
_RULES = {"safety_first": _safety_first, "assess_first": _assess_first, "trauma_focused": _trauma_focused,
          "regulation_support": _regulation_support, "relational_arc": _relational_arc,
          "rebuild_trust": _rebuild_trust, "medical_review": _medical_review}  # fmt: skip


def missed_safety(case: FormulationCase, choice: frozenset[str]) -> bool:
    """Whether a choice leaves out *Safety first* on a case that calls for it (a case at current risk)."""
    return "safety_first" in case.answer and "safety_first" not in choice


def judge(case: FormulationCase) -> dict[str, Verdict]:
    """Every focus, with whether this case's formulation calls for it and why (in the order of FOCI)."""
    return {key: _RULES[key](case) for key in FOCI}


def describe(case: FormulationCase) -> list[tuple[str, str]]:
    """The formulation as (what, value) rows for the card: the label is one row among the others."""
    facts = case.formulation
    rows = [
        ("History (who and when)", f"{LABEL_NAMES[case.label]} (the label: one input among these)"),
        ("PTSD symptoms (re-experiencing, avoidance, sense of threat)", _READ.get(facts.ptsd, facts.ptsd)),
        ("Disturbances in self-organisation", _READ[facts.self_organisation]),
        ("Dissociation", _READ.get(facts.dissociation, facts.dissociation)),
        ("Early care", _READ[facts.early_care]),
    ]
    if facts.trust_before is not None:
        rows.append(("Trust before the later wound", _READ.get(facts.trust_before, facts.trust_before)))
    rows.append(("Current risk", RISKS[facts.current_risk.kind] if facts.current_risk else "none described"))
    rows.append((f"What {case.name} wants", facts.wants))
    if facts.medical:
        rows.append(("A physical question", facts.medical))
    return rows


@cache
def load_cases(path: Path = CASES_FILE) -> tuple[FormulationCase, ...]:
    """The matcher's cases, validated; raises :class:`FormulationError` naming file, field and fix."""
    return load_model(path, CasesFile, FormulationError).cases


class FociDeck(Deck):
    """Cases whose answer is a set of foci: a choice is a set too, built up one focus at a time."""

    def toggle(self, focus: str) -> None:
        """Add a focus to the choice, or take it out again (until Check)."""
        if focus not in FOCI:
            raise ValueError(f"{focus!r} is not a focus; the foci are {list(FOCI)}")
        self.choose((self.choice or frozenset()) ^ {focus} or None)

    def check(self, **extra) -> dict | None:
        """Record the choice with its credit and the case's id; the foci are stored as sorted tuples, so a
        saved practice record reads the same every time."""
        record = super().check(id=getattr(self.current, "id", None), **extra)
        if record is not None:
            record.update(answer=tuple(sorted(record["answer"])), expert=tuple(sorted(record["expert"])))
        return record

    def credit(self, case: FormulationCase, choice: frozenset[str]) -> float:
        """1 for exactly the foci the formulation calls for; half when one focus is missing or extra; 0 when
        *Safety first* is missing on a case at current risk, because no plan is safe without it."""
        if missed_safety(case, choice):
            return 0.0
        missed = len(choice ^ case.answer)
        return 1.0 if missed == 0 else 0.5 if missed == 1 else 0.0
