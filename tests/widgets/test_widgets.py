"""The widgets, driven as a trainee or presenter would: clicking buttons and setting values."""

import pytest

from trauma_curriculum.core.answers import LAYER_CREDIT
from trauma_curriculum.core.curriculum import MODULES
from trauma_curriculum.core.labels import LABEL_NAMES, LABELS
from trauma_curriculum.core.vignettes import load_bank
from trauma_curriculum.teaching.explorers import DefinitionsExplorer
from trauma_curriculum.teaching.markup import highlight_cues
from trauma_curriculum.teaching.sorter import VignetteSorter

BANK = load_bank()


def answer(sorter, label, confidence=None):
    sorter.bins[label].click()
    if confidence is not None:
        sorter.confidence.value = confidence
    sorter.check_button.click()


def wrong_label(vignette, labels=LABELS):
    """A label that earns nothing for this vignette (not even half a layer)."""
    return next(label for label in labels if label != vignette.label and (vignette.label, label) not in LAYER_CREDIT)


def test_a_right_answer_shows_verdict_rationale_cues_and_reasons():
    sorter = VignetteSorter.full(seed=1)
    vignette = sorter.current
    assert sorter.check_button.disabled  # nothing chosen yet
    answer(sorter, vignette.label)
    feedback = sorter.feedback.value
    assert "Right" in feedback
    assert vignette.rationale.split()[0] in feedback
    assert "What the definitions say" in feedback
    assert vignette.classification().reasons[-1].split(":")[0] in feedback
    assert sorter.card.value.count("<mark>") >= len(set(vignette.cues)) > 0
    assert "Item 1 of" in sorter.progress.value and "score so far: 1 of 1" in sorter.progress.value
    assert sorter.next_button.disabled is False and all(b.disabled for b in sorter.bins.values())


def test_a_wrong_answer_names_the_choice_and_the_expert_label():
    sorter = VignetteSorter.full(seed=2)
    vignette = sorter.current
    answer(sorter, wrong_label(vignette))
    assert "Not this time" in sorter.feedback.value
    assert "the expert label is" in sorter.feedback.value
    assert sorter.results[-1] == {
        "id": vignette.id, "title": vignette.title, "answer": wrong_label(vignette),
        "expert": vignette.label, "correct": False, "credit": 0.0, "confidence": None,
    }  # fmt: skip


@pytest.mark.parametrize("expert, given", sorted(LAYER_CREDIT))
def test_practice_gives_half_a_point_exactly_where_grading_does(expert, given):
    """Naming one layer of a layered history earns half in practice, by the same table grading uses."""
    from trauma_curriculum.supervisor.keys import Key, KeyFile
    from trauma_curriculum.supervisor.scoring import score

    vignette = next(v for v in BANK if v.label == expert)
    sorter = VignetteSorter([vignette], seed=None)
    answer(sorter, given)
    key = Key(None, KeyFile(assignment="x", questions={"q": {"kind": "label", "answer": expert, "points": 1,
                                                              "partial": "layers"}}), {"q": expert}, {})  # fmt: skip
    assert sorter.results[0]["credit"] == score(key, "q", given) == 0.5
    assert "Half right" in sorter.feedback.value and "half a point" in sorter.feedback.value
    assert "score so far: 0.5 of 1" in sorter.progress.value


def test_the_choice_can_change_until_check():
    sorter = VignetteSorter.full(seed=3)
    sorter.bins["both"].click()
    sorter.bins["relational"].click()
    assert sorter.bins["relational"].button_style == "info" and sorter.bins["both"].button_style == ""
    sorter.check_button.click()
    assert sorter.results[0]["answer"] == "relational"


def test_a_whole_run_ends_in_a_summary_with_figures_and_calibration():
    sorter = VignetteSorter.for_module("03", confidence=True, seed=4)
    n = len(sorter.order)
    for index in range(n):
        vignette = sorter.current
        label = vignette.label if index % 2 == 0 else wrong_label(vignette)
        answer(sorter, label, confidence=90 if index % 2 == 0 else 40)
        sorter.next_button.click()
    assert sorter.current is None
    sorter.wait_for_summary()
    assert len(sorter.results) == n
    right = sum(r["correct"] for r in sorter.results)
    assert f"Summary: {right} of {n} agreed" in sorter.summary.value
    assert "Brier score" in sorter.summary.value
    assert len(sorter.summary_figures.children) == 2  # confusion matrix and calibration
    assert all(image.png.startswith(b"\x89PNG") and image.alt for image in sorter.summary_figures.children)
    accuracy = sorter.label_accuracy()
    assert set(accuracy) <= set(LABELS) and all(0 <= value <= 1 for value in accuracy.values())
    assert all(b.disabled for b in sorter.bins.values())


def test_without_confidence_the_summary_has_only_the_confusion_matrix():
    sorter = VignetteSorter.for_module("02", limit=3)
    for _ in range(3):
        answer(sorter, sorter.current.label)
        sorter.next_button.click()
    assert "Summary: 3 of 3" in sorter.summary.value and "Brier" not in sorter.summary.value
    sorter.wait_for_summary()
    assert len(sorter.summary_figures.children) == 1


def test_intro_mode_has_two_bins_and_only_their_items():
    sorter = VignetteSorter.for_module("00")
    assert list(sorter.bins) == ["attachment", "relational"]
    assert {v.label for v in sorter.order} <= {"attachment", "relational"}
    assert all("00" in v.modules for v in sorter.order)


def test_filters_and_a_reproducible_shuffle():
    hard = VignetteSorter.from_bank(modules=["05"], difficulty=[3])
    assert hard.order and all("05" in v.modules and v.difficulty == 3 for v in hard.order)
    assert [v.id for v in VignetteSorter.full(seed=7).order] == [
        v.id for v in VignetteSorter.full(seed=7).order
    ]
    assert [v.id for v in VignetteSorter.full(seed=7).order] != [
        v.id for v in VignetteSorter.full(seed=8).order
    ]
    assert len(VignetteSorter.full(limit=5).order) == 5
    with pytest.raises(ValueError, match="do not exist"):
        VignetteSorter.from_bank(modules=["99"])


def test_reset_starts_again_in_the_same_order():
    sorter = VignetteSorter.full(seed=5)
    first = [v.id for v in sorter.order]
    answer(sorter, sorter.current.label)
    sorter.next_button.click()
    sorter.reset_button.click()
    sorter.confirm_yes.click()
    assert sorter.session.position == 0 and sorter.results == [] and [v.id for v in sorter.order] == first
    assert sorter.feedback.value == "" and "score so far: 0 of 0" in sorter.progress.value


def test_results_are_plain_records_a_trainee_can_save():
    import json

    sorter = VignetteSorter.full(limit=2, confidence=True)
    answer(sorter, sorter.current.label, confidence=70)
    records = sorter.results
    assert json.loads(json.dumps(records)) == records
    records[0]["answer"] = "tampered"
    assert sorter.results[0]["answer"] != "tampered"  # a copy, not the sorter's own state
    assert sorter.results[0]["confidence"] == 0.7


def test_workshop_mode_hides_feedback_until_the_reveal_and_charts_the_room():
    sorter = VignetteSorter.for_module("07", workshop=True, seed=6)
    vignette = sorter.current
    answer(sorter, wrong_label(vignette))
    assert "waits for the presenter" in sorter.feedback.value
    assert vignette.rationale not in sorter.feedback.value and "<mark>" not in sorter.card.value
    for count, label in enumerate(LABELS, start=3):
        sorter.votes[label].value = count
    sorter.show_votes_button.click()
    before_reveal = sorter.chart.png
    assert before_reveal.startswith(b"\x89PNG") and "expert" not in sorter.chart.alt
    sorter.reveal_button.click()
    assert "Not this time" in sorter.feedback.value and "<mark>" in sorter.card.value
    assert sorter.chart.png.startswith(b"\x89PNG") and sorter.chart.png != before_reveal
    assert f"The expert label is {LABEL_NAMES[vignette.label]}" in sorter.chart.alt
    assert sorter.room_votes() == {label: count for count, label in enumerate(LABELS, start=3)}
    sorter.next_button.click()
    assert sorter.room_votes() == {label: 0 for label in LABELS}  # a fresh vote for the next card


def test_workshop_reveal_works_without_a_presenter_answer():
    sorter = VignetteSorter.for_module("01", workshop=True)
    sorter.reveal_button.click()
    assert "The expert label is" in sorter.feedback.value
    assert sorter.next_button.disabled is False


def test_cues_are_highlighted_and_text_is_escaped():
    marked = highlight_cues("She said <no> and left early.", ["left early"])
    assert "&lt;no&gt;" in marked and "<mark>left early</mark>" in marked


def test_sorter_rejects_unknown_bins():
    with pytest.raises(ValueError, match="not among the five labels"):
        VignetteSorter(BANK, labels=["attachment", "sad"])
    sorter = VignetteSorter(BANK, labels=["attachment", "relational"])
    with pytest.raises(ValueError, match="not a bin here"):
        sorter.choose("both")


def test_definitions_explorer_follows_who_and_when():
    explorer = DefinitionsExplorer()
    assert explorer.classification.label == "attachment"  # caregiver at 3
    explorer.what_if_30.click()
    assert explorer.classification.label == "relational"
    assert "relational" in explorer.result.value.lower()
    explorer.what_if_3.click()
    assert explorer.classification.label == "attachment"
    explorer.second_on.value = True  # a partner at 30 joins
    assert explorer.classification.label == "both"
    assert "Both" in explorer.result.value
    explorer.rows[0]["unknown_age"].value = True
    assert explorer.classification.label == "insufficient_information"
    assert explorer.rows[0]["age"].disabled
    explorer.rows[0]["who"].value = "stranger"
    assert explorer.classification.label == "relational"  # the stranger adds nothing relational
    explorer.second_on.value = False
    assert explorer.classification.label == "not_relational"
    assert explorer.rows[1]["box"].layout.display == "none"


def test_mixed_set_is_balanced_across_the_five_labels():
    sorter = VignetteSorter.mixed(per_label=3, seed=2)
    labels = [v.label for v in sorter.order]
    assert sorted(labels) == sorted(LABELS * 3)
    assert len({v.id for v in sorter.order}) == 15


def test_review_interleaves_every_module_and_names_modules_to_revisit():
    sorter = VignetteSorter.review(per_module=2, seed=3)
    modules = {m for v in sorter.order for m in v.modules}
    assert set(list(MODULES)[1:]) <= modules
    assert len({v.id for v in sorter.order}) == len(sorter.order) == 14
    missed = None
    while sorter.current is not None:
        vignette = sorter.current
        label = vignette.label if vignette is not sorter.order[0] else wrong_label(vignette)
        missed = missed or vignette
        answer(sorter, label)
        sorter.next_button.click()
    expected = sorted(m for m in missed.modules if m != "00")
    assert sorted(sorter.modules_to_revisit()) == expected
    assert "Modules to revisit" in sorter.summary.value


def test_a_perfect_run_has_nothing_to_revisit():
    sorter = VignetteSorter.mixed(per_label=1)
    while sorter.current is not None:
        answer(sorter, sorter.current.label)
        sorter.next_button.click()
    assert sorter.modules_to_revisit() == [] and "none; every answer agreed" in sorter.summary.value


def test_workshop_mode_shows_no_score_before_the_reveal(monkeypatch):
    monkeypatch.setenv("TRAUMA_CURRICULUM_WORKSHOP", "1")  # what `make present` sets
    sorter = VignetteSorter.for_module("03")
    assert sorter.workshop
    answer(sorter, sorter.current.label)
    assert "score" not in sorter.progress.value and "Item 1 of" in sorter.progress.value
    monkeypatch.delenv("TRAUMA_CURRICULUM_WORKSHOP")
    assert not VignetteSorter.for_module("03").workshop
