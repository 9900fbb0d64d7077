"""The unfolding cases: every stage's label is what the definitions give for its facts, every case opens
with insufficient information, the set covers modules 03 to 07, and the texts follow the writers' rules."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from trauma_curriculum.core.definitions import classify
from trauma_curriculum.core.unfolding import (
    UNFOLDING_MODULES,
    UnfoldingError,
    load_case,
    load_cases,
    unfolding_dir,
)
from trauma_curriculum.core.vignettes import load_bank
from trauma_curriculum.teaching.unfolding import reading_flags

CASES = load_cases()
STAGES = [(case, number, stage) for case in CASES for number, stage in enumerate(case.stages, start=1)]
#: Narrator verdicts and stock images the writers' spec bans (a reader must notice a gap themselves).
BANNED = (r"nothing is known", r"not known (whether|who|when)", r"(has|have) not said whether", r"no one let (him|her|them) down",
          r"did everything right", r"no relationship of trust", r"simply an accident", r"nobody .{0,20}failed",
          r"freeze, stare", r"tender at breakfast", r"opened an old door", r"walked into the old house", r"is unknown",
          r"no one knows (who|when)", r"there is no (record|information)")  # fmt: skip


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.replace("\u2019", "'").lower())


@pytest.mark.parametrize("case, number, stage", STAGES, ids=[f"{c.id}-stage{n}" for c, n, _ in STAGES])
def test_every_stage_classifies_as_stored(case, number, stage):
    assert classify(stage.episodes).label == stage.label


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_case_opens_undecided_then_adds_who_and_when(case):
    assert classify(case.stages[0].episodes).label == "insufficient_information"
    assert [s.kind for s in case.stages][:3] == ["now", "who", "when"]
    assert all(s.kind == "revision" for s in case.stages[3:])


def test_the_set_covers_modules_03_to_07_with_varied_endings_and_revisions():
    assert len(CASES) >= 16
    per_module = Counter(m for case in CASES for m in case.modules)
    assert set(per_module) == set(UNFOLDING_MODULES) and min(per_module.values()) >= 3
    assert len({case.label for case in CASES}) == 5  # every label ends at least one case
    revised = [case for case in CASES if case.revised]
    assert len(revised) >= 4
    assert any(
        case.stages[-1].label != case.stages[-2].label for case in revised
    )  # a revision that changes the label
    assert any(stage.current_risk for _, _, stage in STAGES)


def test_people_and_plots_vary():
    carers = [e for case in CASES for e in case.stages[-1].episodes if e.relationship == "primary_caregiver"]
    women = sum(bool(re.search(r"\b(mother|grandmother|aunt)\b", e.who)) for e in carers)
    men = sum(
        bool(re.search(r"\b(father|grandfather|stepfather|uncle)\b", e.who)) and "mother" not in e.who
        for e in carers
    )
    assert 0.4 <= women / (women + men) <= 0.6
    assert sum(e.harm == "substance_use" for e in carers) <= len(carers) / 5
    assert len({e.harm for case in CASES for e in case.stages[-1].episodes}) >= 12
    assert len({case.person.age_group for case in CASES}) >= 4


def test_no_stage_shares_an_eight_word_run_with_another_text_and_none_gives_a_verdict():
    seen: dict[tuple, str] = {}
    for vignette in load_bank():
        found = words(vignette.text)
        for i in range(len(found) - 7):
            seen.setdefault(tuple(found[i : i + 8]), vignette.id)
    for case, number, stage in STAGES:
        here = f"{case.id} stage {number}"
        found = words(stage.text)
        for i in range(len(found) - 7):
            run = tuple(found[i : i + 8])
            assert seen.setdefault(run, here) == here, f"{here} shares '{' '.join(run)}' with {seen[run]}"
        flat = " ".join(stage.text.split()).lower()
        assert not [p for p in BANNED if re.search(p, flat)], here


def test_cases_are_in_our_own_words(shared_runs):
    for case, number, stage in STAGES:
        assert shared_runs(f"{stage.text} {stage.note}") == [], f"{case.id} stage {number}"


def test_a_wrong_stage_label_names_the_file_the_stage_and_the_fix(tmp_path):
    text = (unfolding_dir() / "u001.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "u001.yaml"
    broken.write_text(text.replace("label: both", "label: attachment"), encoding="utf-8")
    with pytest.raises(
        UnfoldingError,
        match=r"u001\.yaml: case u001: field 'stages\.2': .*classify this stage's episodes as 'both'",
    ):
        load_case(broken)


def test_a_first_stage_that_decides_is_refused(tmp_path):
    text = (unfolding_dir() / "u008.yaml").read_text(encoding="utf-8")
    path = tmp_path / "u008.yaml"
    # give the opening stage the partner episode of stage 2: it would already decide
    path.write_text(text.replace("    episodes: []\n    label: insufficient_information",
                                 "    episodes:\n      - {relationship: partner, age_at_onset: null}\n    label: relational", 1),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(UnfoldingError, match="first stage .* must classify as insufficient_information"):
        load_case(path)


def test_every_problem_in_a_folder_is_reported_together(tmp_path):
    (tmp_path / "u001.yaml").write_text("id: u001\ntitle: x\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")
    with pytest.raises(UnfoldingError) as raised:
        load_cases(tmp_path)
    message = str(raised.value)
    assert "u001.yaml" in message and "field 'modules'" in message and "notes.txt: not a case file" in message


def test_reading_flags_name_moves_ahead_of_the_facts_and_readings_kept_after_a_revision():
    case = next(
        c for c in CASES if c.id == "u016"
    )  # undecided, undecided, relational, then revised to attachment
    assert case.labels == ("insufficient_information", "insufficient_information", "relational", "attachment")
    flags = reading_flags(
        case, {1: "attachment", 2: "insufficient_information", 3: "attachment", 4: "relational"}
    )
    assert flags == {1: "too early", 2: "waited", 3: "too early", 4: "held on"}
    assert reading_flags(case, dict(enumerate(case.labels, start=1))) == {1: "waited", 2: "waited"}
