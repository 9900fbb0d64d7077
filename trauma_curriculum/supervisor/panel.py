"""Expert panel keying (``trauma-curriculum panel``): no vignette enters an assessment until independent
raters, who see only its text and the five-label rules, have keyed it blind and agree with its key.

``sheets`` turns a folder of draft vignettes into one keying sheet per rater (CSV: id, title, text and
empty label, gives_away and note columns), each in its own shuffled order, with the keying rules beside
them; the key never appears on a sheet. ``score`` reads the returned sheets and reports, per item, what
the raters chose, their agreement with each other and with the draft key, and whether any rater found
that the text gives the answer away; over all items, Fleiss' kappa (statsmodels) and agreement with the
key. An item is *ready* when every rater agrees with its key and none flags it; *disputed* when the
raters agree with each other but not with the key; *ambiguous* when they disagree among themselves.
"""

from __future__ import annotations

import csv
import random
import shutil
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from ..core.labels import LABELS
from ..core.vignettes import ASSESSMENT_PREFIX, PRACTICE_PREFIX, Vignette, load_bank

SHEET_FIELDS = ("id", "title", "text", "label", "gives_away", "note")
RULES = "keying-rules.md"


class PanelError(ValueError):
    """A draft folder or a returned sheet that cannot be used: the message names the file, row and field."""


def load_drafts(folder: Path) -> tuple[Vignette, ...]:
    names = [p.stem for p in folder.glob("*.yaml")]
    if not names:
        raise PanelError(f"{folder}: no draft vignettes (<id>.yaml) to key")
    prefix = ASSESSMENT_PREFIX if all(n.startswith(ASSESSMENT_PREFIX) for n in names) else PRACTICE_PREFIX
    return load_bank(folder, prefix=prefix)


def write_sheets(drafts: Path, raters: int, out: Path, seed: int = 0) -> list[Path]:
    """One blind keying sheet per rater (shuffled differently for each) and the rules, in ``out``."""
    if raters < 2:
        raise PanelError(f"--raters {raters}: a panel needs at least two independent raters")
    vignettes = list(load_drafts(drafts))
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(files(__package__).joinpath("data", RULES), out / RULES)
    sheets = []
    for number in range(1, raters + 1):
        order = vignettes[:]
        random.Random(seed * 1000 + number).shuffle(order)
        path = out / f"rater-{number}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=SHEET_FIELDS)
            writer.writeheader()
            for v in order:
                writer.writerow({"id": v.id, "title": v.title, "text": " ".join(v.text.split()),
                                 "label": "", "gives_away": "", "note": ""})  # fmt: skip
        sheets.append(path)
    return sheets


def read_sheet(path: Path, ids: set[str]) -> dict[str, tuple[str, bool]]:
    """A returned sheet: id -> (label, gives away), checked row by row."""
    keyed = {}
    try:
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise PanelError(f"{path}: cannot be read as a CSV sheet ({error})") from None
    for number, row in enumerate(rows, start=2):
        item, label = (row.get("id") or "").strip(), (row.get("label") or "").strip().lower().replace(" ", "_")
        if item not in ids:
            raise PanelError(f"{path}, row {number}: field 'id' is {item!r}, not one of the drafts")
        if label not in LABELS:
            raise PanelError(f"{path}, row {number}: field 'label' is {row.get('label')!r}; use one of {', '.join(LABELS)}")
        keyed[item] = (label, (row.get("gives_away") or "").strip().lower() in ("yes", "y", "true", "1"))
    missing = sorted(ids - set(keyed))
    if missing:
        raise PanelError(f"{path}: no label for {', '.join(missing[:5])}{'...' if len(missing) > 5 else ''}; key every item")
    return keyed


@dataclass(frozen=True)
class ItemVerdict:
    id: str
    key: str
    labels: tuple[str, ...]
    gives_away: int

    @property
    def agreement(self) -> float:
        """Share of raters choosing the most chosen label."""
        return Counter(self.labels).most_common(1)[0][1] / len(self.labels)

    @property
    def with_key(self) -> float:
        return sum(label == self.key for label in self.labels) / len(self.labels)

    @property
    def status(self) -> str:
        if self.with_key == 1 and not self.gives_away:
            return "ready"
        if self.with_key == 1:
            return "gives the answer away"
        return "disputed" if self.agreement == 1 else "ambiguous"


@dataclass(frozen=True)
class PanelReport:
    items: tuple[ItemVerdict, ...]
    fleiss_kappa: float
    with_key: float
    raters: int

    def text(self) -> str:
        lines = [f"{len(self.items)} items, {self.raters} raters. Fleiss' kappa {self.fleiss_kappa:.2f}; agreement "
                 f"with the draft key {self.with_key:.0%}; ready {sum(i.status == 'ready' for i in self.items)}."]  # fmt: skip
        for item in self.items:
            if item.status != "ready":
                lines.append(f"  {item.id}: {item.status} (key {item.key}; raters {', '.join(item.labels)}"
                             f"{f'; {item.gives_away} flagged it as giving the answer away' if item.gives_away else ''})")  # fmt: skip
        return "\n".join(lines)


def score(drafts: Path, sheets: list[Path]) -> PanelReport:
    """Read the raters' sheets and compare them with each other and with the draft key."""
    from statsmodels.stats.inter_rater import fleiss_kappa

    if len(sheets) < 2:
        raise PanelError("a panel needs the sheets of at least two raters")
    vignettes = {v.id: v for v in load_drafts(drafts)}
    keyed = [read_sheet(path, set(vignettes)) for path in sheets]
    items = tuple(ItemVerdict(i, v.label, tuple(sheet[i][0] for sheet in keyed), sum(sheet[i][1] for sheet in keyed))
                  for i, v in sorted(vignettes.items()))  # fmt: skip
    table = [[item.labels.count(label) for label in LABELS] for item in items]
    kappa = float(fleiss_kappa(table, method="fleiss"))
    with_key = sum(item.with_key for item in items) / len(items)
    return PanelReport(items, kappa, with_key, len(sheets))
