"""The module exercises, driven by clicking and choosing: self-checks, cue spotter, treatment matcher,
and the same event at different ages."""

import pytest
import yaml

from trauma_curriculum.core.content import (
    CONTENT_DIR,
    SIGNALS,
    ContentError,
    load_self_check,
    load_statements,
)
from trauma_curriculum.core.definitions import DEVELOPMENTAL_WINDOW_END
from trauma_curriculum.core.vignettes import load_bank
from trauma_curriculum.teaching.drills import ChoiceDrill, CueSpotter, DrillItem, SelfCheck, TreatmentMatcher
from trauma_curriculum.teaching.explorers import CAREGIVER_FAILURES, SameEventAtDifferentAges, stage_at
from trauma_curriculum.teaching.treatment import FOCI, FOCUS_FOR_LABEL

MODULES_WITH_SELF_CHECKS = sorted(path.stem.split("-")[1] for path in CONTENT_DIR.glob("selfcheck-*.yaml"))


def drill():
    items = [DrillItem("<p>one</p>", {"a": "A", "b": "B"}, "a", "<p>because</p>"),
             DrillItem("<p>two</p>", {"a": "A", "b": "B"}, "b", "<p>since</p>")]  # fmt: skip
    return ChoiceDrill(items, "Demo")


def test_a_drill_checks_explains_and_scores():
    d = drill()
    assert d.check_button.disabled
    d.choose("a")
    assert not d.check_button.disabled
    d.check_button.click()
    assert "Yes" in d.feedback.value and "because" in d.feedback.value
    assert all(b.disabled for b in d.option_buttons.values()) and not d.next_button.disabled
    d.next_button.click()
    assert d.feedback.value == "" and d.deck.choice is None
    assert not any(b.disabled for b in d.option_buttons.values())
    assert "<b>A.</b> A" in d.card.value and [b.description for b in d.choices.children] == ["A", "B"]
    d.choose("a")
    d.check_button.click()
    assert "Not quite" in d.feedback.value and "<b>B: B</b>" in d.feedback.value
    d.next_button.click()
    assert d.current is None and "Done: 1 of 2 right" in d.card.value
    assert d.answers == [
        {"answer": "a", "expert": "a", "correct": True, "credit": 1.0},
        {"answer": "a", "expert": "b", "correct": False, "credit": 0.0},
    ]


def test_an_empty_drill_is_refused():
    with pytest.raises(ValueError, match="no items"):
        ChoiceDrill([], "Empty")


@pytest.mark.parametrize("module", MODULES_WITH_SELF_CHECKS)
def test_every_self_check_runs_and_its_key_is_its_own(module):
    questions = load_self_check(module)
    check = SelfCheck.for_module(module)
    assert len(check.items) == len(questions) >= 3
    for question in questions:
        check.choose(str(question.answer))
        check.check_button.click()
        assert "Yes" in check.feedback.value
        check.next_button.click()
    assert f"Done: {len(questions)} of {len(questions)} right" in check.card.value


def test_every_teaching_module_has_a_self_check():
    assert MODULES_WITH_SELF_CHECKS == ["00", "01", "02", "03", "04", "05", "06", "07"]


def test_malformed_content_names_the_file_and_field(tmp_path):
    (tmp_path / "selfcheck-09.yaml").write_text(
        yaml.safe_dump(
            {
                "module": "09",
                "questions": [
                    {
                        "prompt": "A question here?",
                        "options": ["x", "y"],
                        "answer": 5,
                        "explanation": "Because it is.",
                    }
                ]
                * 3,
            }
        )  # fmt: skip
    )
    with pytest.raises(ContentError, match=r"selfcheck-09.yaml: field 'questions.0'.*answer 5"):
        load_self_check("09", tmp_path)
    with pytest.raises(ContentError, match="file not found"):
        load_statements(tmp_path)


def test_cue_spotter_covers_every_signal_and_never_claims_proof():
    statements = load_statements()
    assert {s.signal for s in statements} == set(SIGNALS)
    spotter = CueSpotter()
    first = statements[0]
    wrong = next(key for key in SIGNALS if key != first.signal)
    spotter.choose(wrong)
    spotter.check_button.click()
    assert "Not quite" in spotter.feedback.value and "never proof" in spotter.feedback.value
    assert SIGNALS[first.signal] in spotter.feedback.value.replace("&#x27;", "'")


def test_treatment_matcher_derives_the_answer_from_the_label():
    matcher = TreatmentMatcher()
    bank = {v.title: v for v in load_bank()}
    assert {item.answer for item in matcher.items} == set(FOCI)  # every focus comes up in a short set
    for item in matcher.items:
        title = item.prompt_html.split("<h4>")[1].split("</h4>")[0].replace("&#x27;", "'")
        assert item.answer == FOCUS_FOR_LABEL[bank[title].label]
    matcher.choose(matcher.current.answer)
    matcher.check_button.click()
    assert "Yes" in matcher.feedback.value and "not a treatment plan" in matcher.feedback.value


def test_same_event_moves_across_the_window():
    widget = SameEventAtDifferentAges()
    widget.age.value = 1
    assert widget.classification.label == "attachment" and "infancy" in widget.result.value
    widget.event.value = "separation"
    assert "a long separation" in widget.result.value
    widget.age.value = DEVELOPMENTAL_WINDOW_END
    assert widget.classification.label == "relational" and "school years" in widget.result.value
    widget.age.value = 34
    assert "adulthood" in widget.result.value and "not less serious" in widget.result.value
    for key in CAREGIVER_FAILURES:
        widget.event.value = key
        assert widget.classification.label == "relational"  # the age, not the kind of event, decides
    assert stage_at(4)[0] == "preschool years"
