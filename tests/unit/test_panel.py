"""Expert panel keying: blind sheets, and a verdict that finds a known disagreement."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.supervisor.panel import PanelError, score, write_sheets

POOL = ROOT / "answer-keys" / "assessment-vignettes"


@pytest.fixture
def drafts(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    for path in sorted(POOL.glob("a00[1-6].yaml")):
        shutil.copy(path, folder)
    return folder


def returned(sheet, change: set[str] = frozenset(), flag: str | None = None):
    """A rater who keys every item as the draft key says, except those in ``change`` (keyed with the first
    other label); ``flag`` is marked as giving the answer away."""
    import yaml

    rows = list(csv.DictReader(sheet.open()))
    for row in rows:
        key = yaml.safe_load((sheet.parent.parent / "drafts" / f"{row['id']}.yaml").read_text())["label"]
        row["label"] = next(label for label in LABELS if label != key) if row["id"] in change else key
        row["gives_away"] = "yes" if row["id"] == flag else "no"
    with sheet.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return sheet


def test_sheets_are_blind_and_shuffled_per_rater(drafts, tmp_path):
    sheets = write_sheets(drafts, 3, tmp_path / "panel", seed=4)
    orders = [[row["id"] for row in csv.DictReader(s.open())] for s in sheets]
    assert len({tuple(o) for o in orders}) > 1 and all(sorted(o) == sorted(orders[0]) for o in orders)
    text = "\n".join(s.read_text() for s in sheets)
    for row in csv.DictReader(sheets[0].open()):
        assert row["label"] == "" and row["gives_away"] == ""
    assert "rationale" not in text and "episodes" not in text
    assert (tmp_path / "panel" / "keying-rules.md").read_text().startswith("# Keying rules")


def test_the_verdict_names_a_disputed_an_ambiguous_and_a_give_away_item(drafts, tmp_path):
    one, two, three = write_sheets(drafts, 3, tmp_path / "panel")
    ids = sorted(p.stem for p in drafts.glob("*.yaml"))
    report = score(drafts, [returned(one, {ids[0], ids[1]}), returned(two, {ids[0]}, flag=ids[2]),
                            returned(three, {ids[0]})])  # fmt: skip
    status = {item.id: item.status for item in report.items}
    assert status[ids[0]] == "disputed" and status[ids[1]] == "ambiguous" and status[ids[2]] == "gives the answer away"
    assert [s for i, s in status.items() if i not in ids[:3]] == ["ready"] * (len(ids) - 3)
    # by hand: 6 items x 3 raters, two items not unanimous
    from statsmodels.stats.inter_rater import fleiss_kappa
    assert 0 < report.fleiss_kappa < 1 and report.fleiss_kappa == pytest.approx(
        fleiss_kappa([[i.labels.count(label) for label in LABELS] for i in report.items]))
    assert report.with_key == pytest.approx((18 - 4) / 18)


def test_a_bad_sheet_is_one_clear_line(drafts, tmp_path):
    one, two = write_sheets(drafts, 2, tmp_path / "panel")
    returned(one)
    rows = one.read_text().replace(",relational,", ",relationl,", 1)
    one.write_text(rows)
    with pytest.raises(PanelError, match=r"rater-1.csv, row \d+: field 'label' is 'relationl'"):
        score(drafts, [one, returned(two)])
    result = subprocess.run([sys.executable, "-m", "trauma_curriculum.cli", "panel", "score", str(drafts), str(one),
                             str(two)], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr and "field 'label'" in result.stderr
