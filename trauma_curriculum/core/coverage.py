"""How well the practice bank covers the people and histories it should, and where it falls short.

The thresholds below are this curriculum's choices: enough items per label and per module to practise
with, every kind of person and relationship more than once, harmful caregivers balanced between women and
men, caregiver harm that does not default to drinking, a share of hard cases, and a capstone balanced
across the labels. The assessment pool passes :func:`pool_gaps` too. ``make test`` fails on any gap, and ``trauma-curriculum bank`` prints the full report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .curriculum import MODULES
from .definitions import RELATIONSHIPS
from .labels import LABELS
from .vignettes import AGE_GROUPS, GENDERS, Vignette

MIN_PER_LABEL = 8
MIN_PER_MODULE = 8  # modules 01 to 07
MIN_INTRO_ITEMS = 6  # module 00: attachment or relational, difficulty 1
MIN_AGE_GROUPS_PER_LABEL = 3
MIN_GENDERS_PER_LABEL = 2
MIN_PER_AGE_GROUP = 4
#: Nonbinary people appear where their lives are part of the story, not as a tag on many cards (issue 12).
MIN_PER_GENDER = {"female": 10, "male": 10, "nonbinary": 2}
MIN_PER_RELATIONSHIP = 2
#: Harmful caregivers are neither mostly women nor mostly men: each within this share of the gendered ones.
CAREGIVER_GENDER_BAND = (0.4, 0.6)
#: Caregiver harm must not default to drinking or drugs.
MAX_SUBSTANCE_SHARE = 0.25
#: A deliberate share of hard cases (lures, near-boundary onsets, conflicting accounts) in each pool.
MIN_HARD_SHARE = 0.25
#: The capstone (module 07) uses about as many cards of each label: within one of an even split.
CAPSTONE = "07"
_WOMAN = re.compile(r"\b(mother|mum|mom|grandmother|grandma|gran|nan|stepmother|aunt|auntie|sister|woman)\b", re.I)
_MAN = re.compile(r"\b(father|dad|grandfather|grandpa|stepfather|uncle|brother|man)\b", re.I)


def _table(title: str, rows: Sequence[str], columns: Sequence[str], counts: Counter) -> str:
    width = max(len(row) for row in rows) + 2
    head = title.ljust(width) + "".join(column[:12].rjust(13) for column in columns)
    lines = [head, "-" * len(head)]
    for row in rows:
        lines.append(row.ljust(width) + "".join(str(counts[row, column]).rjust(13) for column in columns))
    return "\n".join(lines)


def coverage_report(bank: Sequence[Vignette]) -> str:
    """Labels against age groups, genders and relationships, as plain-text tables."""
    by_age = Counter((v.label, v.person.age_group) for v in bank)
    by_gender = Counter((v.label, v.person.gender) for v in bank)
    by_relationship = Counter((v.label, r) for v in bank for r in set(v.relationships))
    by_module = Counter((v.label, m) for v in bank for m in v.modules)
    return "\n\n".join([
        f"Practice bank: {len(bank)} vignettes",
        _table("label x age group", LABELS, AGE_GROUPS, by_age),
        _table("label x gender", LABELS, GENDERS, by_gender),
        _table("label x relationship", LABELS, list(RELATIONSHIPS), by_relationship),
        _table("label x module", LABELS, list(MODULES), by_module),
    ])  # fmt: skip


def coverage_gaps(bank: Sequence[Vignette]) -> list[str]:
    """Every way the bank falls short of the thresholds above; empty when it covers all."""
    gaps = []
    labels = Counter(v.label for v in bank)
    gaps += [f"label {label}: {labels[label]} vignettes, need {MIN_PER_LABEL}"
             for label in LABELS if labels[label] < MIN_PER_LABEL]  # fmt: skip
    modules = Counter(m for v in bank for m in v.modules)
    gaps += [f"module {module}: {modules[module]} vignettes, need {MIN_PER_MODULE}"
             for module in list(MODULES)[1:] if modules[module] < MIN_PER_MODULE]  # fmt: skip
    intro = [v for v in bank if "00" in v.modules]
    if len(intro) < MIN_INTRO_ITEMS:
        gaps.append(f"module 00: {len(intro)} vignettes, need {MIN_INTRO_ITEMS}")
    gaps += [f"module 00: {v.id} must be attachment or relational with difficulty 1"
             for v in intro if v.label not in ("attachment", "relational") or v.difficulty != 1]  # fmt: skip
    for label in LABELS:
        mine = [v for v in bank if v.label == label]
        ages = {v.person.age_group for v in mine}
        genders = {v.person.gender for v in mine}
        if len(ages) < MIN_AGE_GROUPS_PER_LABEL:
            gaps.append(f"label {label}: only age groups {sorted(ages)}, need {MIN_AGE_GROUPS_PER_LABEL}")
        if len(genders) < MIN_GENDERS_PER_LABEL:
            gaps.append(f"label {label}: only genders {sorted(genders)}, need {MIN_GENDERS_PER_LABEL}")
    ages = Counter(v.person.age_group for v in bank)
    gaps += [f"age group {age}: {ages[age]} vignettes, need {MIN_PER_AGE_GROUP}"
             for age in AGE_GROUPS if ages[age] < MIN_PER_AGE_GROUP]  # fmt: skip
    genders = Counter(v.person.gender for v in bank)
    gaps += [f"gender {gender}: {genders[gender]} vignettes, need {need}"
             for gender, need in MIN_PER_GENDER.items() if genders[gender] < need]  # fmt: skip
    relationships = Counter(r for v in bank for r in set(v.relationships))
    gaps += [f"relationship {r}: {relationships[r]} vignettes, need {MIN_PER_RELATIONSHIP}"
             for r in RELATIONSHIPS if relationships[r] < MIN_PER_RELATIONSHIP]  # fmt: skip
    gaps += pool_gaps(bank)
    capstone = Counter(v.label for v in bank if CAPSTONE in v.modules)
    even = sum(capstone.values()) / len(LABELS)
    gaps += [f"module {CAPSTONE}: {capstone[label]} {label} cards; keep each label within one of {even:.0f}"
             for label in LABELS if abs(capstone[label] - even) > 1]  # fmt: skip
    return gaps


def caregiver_genders(pool: Sequence[Vignette]) -> Counter:
    """Harmful primary caregivers by gender, read from each episode's ``who`` (ungendered ones left out)."""
    genders = Counter()
    for who in (e.who for v in pool for e in v.episodes if e.relationship == "primary_caregiver"):
        woman, man = bool(_WOMAN.search(who)), bool(_MAN.search(who))
        if woman != man:
            genders["women" if woman else "men"] += 1
    return genders


def pool_gaps(pool: Sequence[Vignette]) -> list[str]:
    """The checks every pool (practice or assessment) must pass: caregivers balanced between women and men,
    caregiver harm not defaulting to substance use, and enough hard cases."""
    gaps = []
    genders = caregiver_genders(pool)
    low, high = CAREGIVER_GENDER_BAND
    total = sum(genders.values())
    if total and not low <= genders["women"] / total <= high:
        gaps.append(f"caregivers: {genders['women']} women and {genders['men']} men; each must be "
                    f"{low:.0%}-{high:.0%} of the gendered harmful caregivers")  # fmt: skip
    carers = [e for v in pool for e in v.episodes if e.relationship == "primary_caregiver"]
    substance = sum(e.harm == "substance_use" for e in carers)
    if carers and substance / len(carers) >= MAX_SUBSTANCE_SHARE:
        gaps.append(f"caregivers: {substance} of {len(carers)} harms are drinking or drugs; keep it under "
                    f"{MAX_SUBSTANCE_SHARE:.0%}")  # fmt: skip
    hard = sum(v.difficulty == 3 for v in pool)
    if pool and hard / len(pool) < MIN_HARD_SHARE:
        gaps.append(f"difficulty: {hard} of {len(pool)} are hard (3); at least {MIN_HARD_SHARE:.0%} must be")
    return gaps
