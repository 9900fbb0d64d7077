"""How well the practice bank covers the people and histories it should, and where it falls short.

The thresholds below are this curriculum's choices: enough items per label and per module to practise
with, every kind of person and relationship more than once, and mothers never the default caregiver who
failed. ``make test`` fails on any gap, and ``trauma-curriculum bank`` prints the full report.
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
MIN_PER_GENDER = {"female": 10, "male": 10, "nonbinary": 4}
MIN_PER_RELATIONSHIP = 2
MAX_MOTHER_SHARE = 0.4  # of the primary caregivers who harmed or failed a child
_MOTHER = re.compile(r"\bmother\b|\bmum\b|\bmom\b", re.IGNORECASE)


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
    carers = [e.who for v in bank for e in v.episodes if e.relationship == "primary_caregiver"]
    mothers = sum(bool(_MOTHER.search(who)) for who in carers)
    if carers and mothers / len(carers) > MAX_MOTHER_SHARE:
        gaps.append(
            f"caregivers: {mothers} of {len(carers)} are mothers, at most {MAX_MOTHER_SHARE:.0%} allowed"
        )
    return gaps
