"""The practice bank: every vignette agrees with the definitions, is well formed, distinct and covered."""

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from trauma_curriculum.core.coverage import caregiver_genders, coverage_gaps, coverage_report, pool_gaps
from trauma_curriculum.core.definitions import classify
from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.core.vignettes import VignetteBankError, load_bank

BANK = load_bank()
NEAR_DUPLICATE = 0.3  # Jaccard similarity of word triples above which two texts are too alike


def test_the_bank_is_large_enough_and_balanced():
    assert len(BANK) >= 60
    for label in LABELS:
        assert sum(v.label == label for v in BANK) >= 8, label


@pytest.mark.parametrize("vignette", BANK, ids=lambda v: v.id)
def test_expert_label_equals_the_definitions_and_cues_are_in_the_text(vignette):
    assert vignette.label == classify(vignette.episodes).label
    for cue in vignette.cues:
        assert cue in vignette.text
    assert 80 <= len(vignette.text.split()) <= 200


def _triples(text):
    words = re.findall(r"[a-z']+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def test_no_two_vignettes_are_near_duplicates():
    triples = {v.id: _triples(v.text) for v in BANK}
    too_alike = [
        (a.id, b.id, round(len(triples[a.id] & triples[b.id]) / len(triples[a.id] | triples[b.id]), 2))
        for a, b in itertools.combinations(BANK, 2)
        if len(triples[a.id] & triples[b.id]) / len(triples[a.id] | triples[b.id]) > NEAR_DUPLICATE
    ]
    assert not too_alike
    titles = [v.title.lower() for v in BANK]
    assert len(set(titles)) == len(titles)


def test_near_duplicate_check_catches_a_light_rewrite():
    text = BANK[0].text
    rewrite = text.replace(".", ";", 2)
    assert len(_triples(text) & _triples(rewrite)) / len(_triples(text) | _triples(rewrite)) > NEAR_DUPLICATE


def test_coverage_report_prints_and_has_no_gap(capsys):
    print(coverage_report(BANK))
    printed = capsys.readouterr().out
    assert "label x age group" in printed and "label x relationship" in printed
    assert coverage_gaps(BANK) == []


def test_coverage_flags_a_gap():
    only_two_labels = [v for v in BANK if v.label in ("attachment", "relational")]
    gaps = coverage_gaps(only_two_labels)
    assert any(gap.startswith("label both:") for gap in gaps)
    assert any("relationship stranger" in gap for gap in gaps)


POOL = load_bank(ROOT / "answer-keys" / "assessment-vignettes", prefix="a")
EVERY = BANK + POOL
RUN = 8  # words in a row no two vignettes may share
#: Stock phrases any two case texts may share (none yet: add one only with a reason).
STOCK: set[str] = set()
#: Sentences that state the answer or the missing fact instead of letting the reader find it (issue 12).
NARRATOR_VERDICTS = (r"nothing is known", r"not known (whether|who|when)", r"(has|have) not said whether",
                     r"no one let (him|her|them) down", r"did everything right", r"no relationship of trust",
                     r"simply an accident", r"no(body| one) in (his|her|their) life", r"is unknown",
                     r"freeze, stare", r"tender at breakfast", r"opened an old door", r"walked into the old house")  # fmt: skip
NAME_AGE_OPENING = re.compile(r"^[A-Z][\w'-]+(?: [A-Z][\w'-]+)?,? (is |aged )?(\d+|(ten|eleven|twelve|thirteen|fourteen|"
                              r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
                              r"eighty)(-[a-z]+)?)\b")  # fmt: skip


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)} - {tuple(p.split()) for p in STOCK}


def test_no_two_vignettes_of_either_pool_share_eight_words_in_a_row():
    seen: dict[tuple[str, ...], str] = {}
    shared = []
    for vignette in EVERY:
        for run in _runs(vignette.text):
            if run in seen and seen[run] != vignette.id:
                shared.append((seen[run], vignette.id, " ".join(run)))
            seen.setdefault(run, vignette.id)
    assert shared == []


def test_the_shared_run_check_catches_a_reused_sentence():
    first, second = EVERY[0].text, EVERY[1].text
    reused = second + " " + " ".join(first.split()[:RUN])
    assert _runs(first) & _runs(reused)


@pytest.mark.parametrize("vignette", EVERY, ids=lambda v: v.id)
def test_the_narrator_never_states_the_answer_or_the_gap(vignette):
    text = " ".join(vignette.text.split()).lower()
    assert not [pattern for pattern in NARRATOR_VERDICTS if re.search(pattern, text)]
    assert all(episode.harm for episode in vignette.episodes), "every episode names its kind of harm"


@pytest.mark.parametrize("pool", [BANK, POOL], ids=["practice", "assessment"])
def test_openings_do_not_follow_one_pattern(pool):
    openings = [" ".join(v.text.split()) for v in pool]
    assert sum(bool(NAME_AGE_OPENING.match(o)) for o in openings) / len(openings) <= 0.25
    first_words = Counter(o.split()[0].strip("\"\u201c\u2018'").lower() for o in openings)
    assert first_words.most_common(1)[0][1] / len(openings) <= 0.2, first_words.most_common(3)


@pytest.mark.parametrize("pool", [BANK, POOL], ids=["practice", "assessment"])
def test_each_pool_balances_caregivers_avoids_drinking_plots_and_holds_hard_cases(pool):
    assert pool_gaps(pool) == []
    genders = caregiver_genders(pool)
    assert genders["women"] and genders["men"]


def test_pool_checks_flag_a_drinking_default_and_too_few_hard_cases():
    drinking = [v.model_copy(update={"episodes": tuple(e.__class__(e.relationship, e.age_at_onset, e.who, "substance_use")
                                                       for e in v.episodes), "difficulty": 1}) for v in BANK]  # fmt: skip
    gaps = " ".join(pool_gaps(drinking))
    assert "drinking or drugs" in gaps and "are hard (3)" in gaps


@pytest.mark.parametrize("vignette", [v for v in EVERY if v.current_risk], ids=lambda v: v.id)
def test_a_case_at_current_risk_says_what_a_clinician_does_first(vignette):
    first = vignette.current_risk.first.lower()
    assert any(word in first for word in ("risk", "safeguard", "safety", "supervis", "protect")), first


def test_seed_hard_cases_are_in_the_bank():
    kinds = {
        "adult child hurt by a parent": any(
            e.relationship == "primary_caregiver" and (e.age_at_onset or 0) >= 18
            for v in BANK
            for e in v.episodes
        ),
        "childhood harm by a mentor": any(
            e.relationship == "mentor" and (e.age_at_onset or 99) < 18 for v in BANK for e in v.episodes
        ),
        "only symptoms known": any(not v.episodes for v in BANK),
        "stranger involved": any(v.label == "not_relational" and "stranger" in v.relationships for v in BANK),
        "disaster or accident": any(v.label == "not_relational" and "none" in v.relationships for v in BANK),
        "layered": sum(v.label == "both" for v in BANK) >= 8,
    }
    assert all(kinds.values()), [kind for kind, present in kinds.items() if not present]


def _write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False) if not isinstance(data, str) else data)
    return path


def _good() -> dict:
    return yaml.safe_load((ROOT / "exercises" / "vignettes" / f"{BANK[0].id}.yaml").read_text())


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda d: d.update(label="relational" if d["label"] != "relational" else "attachment"),
            ["field", "label"],
        ),
        (lambda d: d.update(cues=["a phrase that is nowhere"]), ["cues", "a phrase that is nowhere"]),
        (lambda d: d.pop("rationale"), ["field 'rationale'", "Field required"]),
        (lambda d: d.update(difficulty=5), ["field 'difficulty'"]),
        (lambda d: d.update(text="Too short."), ["field 'text'", "80 to 200 words"]),
        (
            lambda d: d["episodes"][0].update(relationship="aunt"),
            ["field 'episodes'", "'aunt'", "primary_caregiver"],
        ),
        (lambda d: d["person"].update(age_group="toddler"), ["field 'person.age_group'"]),
        (lambda d: d.update(modules=["09"]), ["field 'modules.0'"]),
        (lambda d: d.update(surprise=1), ["field 'surprise'"]),
    ],
)
def test_malformed_vignette_names_file_id_and_field(tmp_path, change, words):
    data = _good()
    change(data)
    path = _write(tmp_path, f"{data['id']}.yaml", data)
    with pytest.raises(VignetteBankError) as error:
        load_bank(tmp_path)
    message = str(error.value)
    assert str(path) in message and data["id"] in message
    for word in words:
        assert word in message


def test_every_problem_in_every_file_is_reported_and_nothing_skipped(tmp_path):
    good = _good()
    _write(tmp_path, f"{good['id']}.yaml", good)
    _write(tmp_path, "p900.yaml", "id: p900\ntitle: [unclosed")
    _write(tmp_path, "p901.yaml", dict(good, id="p901", difficulty=0))
    _write(tmp_path, "p902.yaml", dict(good, id="p903"))
    _write(tmp_path, "p904.yml", dict(good, id="p904"))
    with pytest.raises(VignetteBankError) as error:
        load_bank(tmp_path)
    message = str(error.value)
    assert "p900.yaml: not valid YAML" in message
    assert "p901.yaml: vignette p901: field 'difficulty'" in message
    assert "p902.yaml: vignette p903: field 'id' differs from the file name" in message
    assert "p904.yml: not a vignette file" in message


def test_assessment_vignettes_are_their_own_pool():
    """No id, title or text shared between the practice bank and the assessment pool (not even nearly)."""
    from trauma_curriculum.supervisor.keys import assessment_pool as load_assessment_bank

    assessment = load_assessment_bank((ROOT / "answer-keys").resolve())
    assert len(assessment) >= 12 and all(v.startswith("a") for v in assessment)
    practice_ids = {v.id for v in BANK}
    assert not practice_ids & set(assessment)
    titles = {v.title.lower() for v in BANK}
    for vignette in assessment.values():
        assert vignette.title.lower() not in titles, vignette.id
        mine = _triples(vignette.text)
        closest = max(len(mine & _triples(p.text)) / len(mine | _triples(p.text)) for p in BANK)
        assert closest < NEAR_DUPLICATE, vignette.id
    with pytest.raises(VignetteBankError, match="must start with 'p'"):
        load_bank(ROOT / "answer-keys" / "assessment-vignettes")
