"""The curriculum's definitions, written as code.

Every place that explains *why* a case belongs to a category (the sorter's feedback, the definitions
explorer, the vignette bank's self-check, the grading checks) calls :func:`classify`, so the teaching can
never say one thing in prose and another in a widget.

The rules follow the seed article (Leal, "Relational trauma vs attachment trauma", Therapy Glow): a
wound is *relational* when it is embedded in a relationship of trust or dependence, at any age; it is
*attachment* trauma when that relationship is the early caregiver-child bond and the wound began inside
the developmental window. All attachment trauma is therefore relational too, but not the reverse.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Real

#: Where this curriculum ends the developmental window, in years of age (the window is ``age < 6``).
#: This is a **teaching choice**, not a settled fact: the seed article speaks only of "early
#: childhood", and other authors set no age limit at all (Zagaria et al., 2024). Six covers infancy,
#: toddlerhood and the preschool years, when the attachment system is organising and a child has little
#: narrative frame for what happens. Vignettes avoid caregiver onsets near the boundary except where
#: module 04 discusses the boundary itself.
DEVELOPMENTAL_WINDOW_END = 6

#: What counts as an early caregiving wound, in the words the caregiver reasons give. This threshold is
#: a **teaching choice** too: the definitions sort the episodes a history reports as harm or failure,
#: and a history records an early caregiver episode only for repeated frightening, neglectful,
#: humiliating or controlling care, with little repair (it need not be constant). Ordinary, good-enough imperfect care is no episode at
#: all, so it never reaches :func:`classify` (module 02 states the threshold and says why).
EARLY_WOUND_THRESHOLD = (
    "In this curriculum (a teaching choice), an early caregiving wound means repeated frightening, "
    "neglectful, humiliating or controlling care, with little repair (it need not be constant); ordinary, "
    "good-enough imperfect care (a "
    "strict routine, a tired parent, a raised voice that was then put right) is not a wound."
)

#: The relationships an episode can happen in, with how each reads to a trainee.
RELATIONSHIPS: dict[str, str] = {
    "primary_caregiver": "a primary caregiver (whoever raised the child: parent, grandparent, foster or adoptive parent)",
    "other_family": "another family member",
    "partner": "a partner",
    "friend": "a friend",
    "mentor": "a mentor (teacher, coach, supervisor)",
    "colleague": "a colleague",
    "professional": "a professional who held trust (clinician, clergy or other helper)",
    "stranger": "a stranger",
    "none": "no person (an accident or a disaster)",
    "unknown": "a relationship that is not known",
}

#: Relationships of trust or dependence: harm inside one of them is relational.
TRUST_RELATIONSHIPS = frozenset(
    {"primary_caregiver", "other_family", "partner", "friend", "mentor", "colleague", "professional"}
)
#: No relationship of trust: harm here is not relational, even when another person was involved.
NO_TRUST_RELATIONSHIPS = frozenset({"stranger", "none"})

#: What kind of harm or failure an episode was. Descriptive only: it never changes the classification
#: (who and when decide), but it lets the bank's coverage check that plots vary.
HARMS: tuple[str, ...] = (
    "emotional_unavailability", "parental_depression_or_illness", "frightening_unpredictability", "neglect",
    "substance_use", "separation_or_loss", "violence", "sexual_abuse", "coercive_control",
    "betrayal_deception", "humiliation_or_invalidation", "abandonment", "exploitation", "bullying",
    "intrusive_overcontrol", "institutional_failure", "disaster", "accident", "illness", "assault",
    "war_or_conflict", "unknown",
)  # fmt: skip

MAX_AGE = 120


@dataclass(frozen=True)
class Episode:
    """One wound in a case history: who harmed or failed the person, and at what age it began.

    ``who`` is an optional plain description ("grandfather", "swimming coach") and ``harm`` one of
    :data:`HARMS`; vignettes use both for coverage and readability, and neither changes the
    classification.
    """

    relationship: str
    age_at_onset: float | None
    who: str = ""
    harm: str = ""

    @classmethod
    def from_value(cls, value: Episode | Mapping, position: int = 0) -> Episode:
        """Validate a mapping (or pass an Episode through), naming the field and the fix on bad input."""
        if isinstance(value, Episode):
            return value
        where = f"episode {position + 1}"
        if not isinstance(value, Mapping):
            raise ValueError(
                f"{where}: expected a mapping with fields 'relationship' and 'age_at_onset', "
                f"got {type(value).__name__} {value!r}"
            )
        unknown_fields = set(value) - {"relationship", "age_at_onset", "who", "harm"}
        if unknown_fields:
            raise ValueError(
                f"{where}: unknown field(s) {sorted(unknown_fields)}; allowed fields are "
                "'relationship', 'age_at_onset' and optionally 'who' and 'harm'"
            )
        for field in ("relationship", "age_at_onset"):
            if field not in value:
                raise ValueError(
                    f"{where}: missing field '{field}'; give it explicitly "
                    "(use age_at_onset: null when the age is unknown)"
                )
        relationship = value["relationship"]
        if relationship not in RELATIONSHIPS:
            raise ValueError(
                f"{where}: field 'relationship' has value {relationship!r}; "
                f"allowed values are {', '.join(RELATIONSHIPS)}"
            )
        age = _validate_age(value["age_at_onset"], where)
        who = value.get("who", "")
        if not isinstance(who, str):
            raise ValueError(f"{where}: field 'who' has value {who!r}; it must be text, for example 'father'")
        harm = value.get("harm", "")
        if harm and harm not in HARMS:
            raise ValueError(f"{where}: field 'harm' has value {harm!r}; allowed values are {', '.join(HARMS)}")
        return cls(relationship=relationship, age_at_onset=age, who=who, harm=harm)


def _validate_age(age: object, where: str) -> float | None:
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, Real):
        raise ValueError(
            f"{where}: field 'age_at_onset' has value {age!r}; it must be a number of years "
            f"from 0 to {MAX_AGE}, or None when unknown"
        )
    if math.isnan(age) or age < 0 or age > MAX_AGE:
        raise ValueError(
            f"{where}: field 'age_at_onset' has value {age!r}; it must be from 0 to {MAX_AGE} years, "
            "or None when unknown"
        )
    return age


@dataclass(frozen=True)
class Classification:
    """A label and the plain-language reasons the definitions give for it."""

    label: str
    reasons: tuple[str, ...]


# What each single episode can be, before the episodes are combined.
_ATTACHMENT, _RELATIONAL, _NOT_RELATIONAL = "attachment", "relational", "not_relational"


def _possible_kinds(episode: Episode) -> tuple[str, ...]:
    """The kinds an episode could be: one when the facts decide, several when a fact is missing."""
    if episode.relationship in NO_TRUST_RELATIONSHIPS:
        return (_NOT_RELATIONAL,)
    if episode.relationship == "primary_caregiver":
        if episode.age_at_onset is None:
            return (_ATTACHMENT, _RELATIONAL)
        return (_ATTACHMENT,) if episode.age_at_onset < DEVELOPMENTAL_WINDOW_END else (_RELATIONAL,)
    if episode.relationship in TRUST_RELATIONSHIPS:
        return (_RELATIONAL,)
    # unknown relationship: it could have been anyone, unless the age rules attachment out
    if episode.age_at_onset is not None and episode.age_at_onset >= DEVELOPMENTAL_WINDOW_END:
        return (_RELATIONAL, _NOT_RELATIONAL)
    return (_ATTACHMENT, _RELATIONAL, _NOT_RELATIONAL)


def _combine(kinds: Iterable[str]) -> str:
    kinds = set(kinds)
    if _ATTACHMENT in kinds:
        return "both" if _RELATIONAL in kinds else "attachment"
    if _RELATIONAL in kinds:
        return "relational"
    return "not_relational"


def _age_text(age: float | None) -> str:
    if age is None:
        return "at an unknown age"
    return f"from age {age:g}"


def _episode_reason(episode: Episode) -> str:
    """One sentence naming the criteria this episode meets or leaves open."""
    whom = RELATIONSHIPS[episode.relationship]
    when = _age_text(episode.age_at_onset)
    window = (
        f"the developmental window (before age {DEVELOPMENTAL_WINDOW_END}, this curriculum's teaching choice)"
    )
    kinds = _possible_kinds(episode)
    if kinds == (_NOT_RELATIONAL,):
        return (
            f"A wound {when} involving {whom}: there was no relationship of trust or dependence, so it is "
            "not relational, even if another person was involved."
        )
    if kinds == (_ATTACHMENT,):
        return (
            f"A wound {when} with {whom}: it happened inside the early caregiver-child bond, within {window}, "
            f"so it is attachment trauma, and therefore relational too. {EARLY_WOUND_THRESHOLD}"
        )
    if kinds == (_RELATIONAL,) and episode.relationship == "primary_caregiver":
        return (
            f"A wound {when} with {whom}: the relationship is one of trust, but it began after {window}, "
            "so it is relational, not attachment trauma."
        )
    if kinds == (_RELATIONAL,):
        return (
            f"A wound {when} with {whom}: it is embedded in a relationship of trust or dependence, so it is "
            "relational; it is not attachment trauma, because that person was not the primary caregiver."
        )
    if episode.relationship == "primary_caregiver":
        return (
            f"A wound {when} with {whom}: the age decides whether this falls within {window}, and the age "
            f"is not known. {EARLY_WOUND_THRESHOLD}"
        )
    return (
        f"A wound {when} with {whom}: until we know who it was, we cannot tell whether it happened in a "
        "relationship of trust, or in the early caregiver-child bond."
    )


_SUMMARIES = {
    "attachment": "Attachment trauma: the wound formed inside the early caregiver-child bond.",
    "relational": "Relational trauma: the wound is embedded in a relationship of trust, outside the early "
    "caregiver-child bond.",
    "both": "Both: an attachment wound, with a relational wound outside the early caregiver bond layered on "
    "it.",
    "not_relational": "Not relational: no wound happened inside a relationship of trust or dependence.",
    "insufficient_information": "Insufficient information: the history does not yet say who and when, and "
    "symptoms alone look the same in both kinds of wound.",
}


def classify(episodes: Iterable[Episode | Mapping]) -> Classification:
    """Classify a case history (an iterable of episodes) into one of :data:`LABELS`, with reasons.

    A missing fact (an unknown relationship, or an unknown age where the age decides) yields
    ``insufficient_information`` only when it could change the answer: every way the missing fact could
    turn out is tried, and a label is given when all of them agree. The order of episodes never matters.

    Raises ``ValueError`` naming the episode, the field, the value given and what is allowed.
    """
    if isinstance(episodes, (str, bytes, Mapping)):
        raise ValueError(
            "episodes: expected a list of episodes (mappings with 'relationship' and 'age_at_onset'), "
            f"got {type(episodes).__name__}"
        )
    checked = [Episode.from_value(value, position) for position, value in enumerate(episodes)]
    if not checked:
        return Classification(
            "insufficient_information",
            (
                "No episode is known: only symptoms. Symptoms such as hypervigilance, shame or difficulty "
                "trusting can look identical in attachment and relational trauma; the history (who, and "
                "when) tells them apart.",
                _SUMMARIES["insufficient_information"],
            ),
        )
    outcomes = {_combine(choice) for choice in itertools.product(*map(_possible_kinds, checked))}
    label = outcomes.pop() if len(outcomes) == 1 else "insufficient_information"
    ordered = sorted(checked, key=lambda e: (e.age_at_onset is None, e.age_at_onset or 0, e.relationship))
    reasons = [_episode_reason(episode) for episode in ordered]
    reasons.append(_SUMMARIES[label])
    return Classification(label, tuple(reasons))
