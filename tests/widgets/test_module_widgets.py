"""The module exercises, driven by clicking and choosing: self-checks, cue spotter, treatment matcher,
and the same event at different ages."""

import html

import pytest
import yaml

from trauma_curriculum.core.content import (
    CONTENT_DIR,
    SIGNALS,
    ContentError,
    load_self_check,
    load_statements,
)
from trauma_curriculum.core.curriculum import MODULES
from trauma_curriculum.core.definitions import DEVELOPMENTAL_WINDOW_END
from trauma_curriculum.teaching.drills import ChoiceDrill, CueSpotter, DrillItem, SelfCheck, TreatmentMatcher
from trauma_curriculum.teaching.explorers import CAREGIVER_FAILURES, SameEventAtDifferentAges, stage_at
from trauma_curriculum.teaching.treatment import (
    CASES_FILE,
    FOCI,
    FormulationCase,
    FormulationError,
    judge,
    load_cases,
)

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
    assert MODULES_WITH_SELF_CHECKS == list(MODULES)


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


def case(**changes) -> FormulationCase:
    """A formulation case for the matcher; ``changes`` replace top-level fields or formulation facts."""
    facts = {"ptsd": "severe", "self_organisation": "absent", "dissociation": "none", "early_care": "steady",
             "wants": "to sleep again and to drive to work", "wants_relational_work": False}  # fmt: skip
    data = {"id": "f90", "name": "Rui", "title": "A test case", "text": " ".join(["word"] * 70),
            "episodes": [{"relationship": "stranger", "age_at_onset": 30}], "foci": ["trauma_focused"]}  # fmt: skip
    for field, value in changes.items():
        (data if field in data or field == "note" else facts)[field] = value
    return FormulationCase.model_validate({**data, "formulation": facts})


def matcher_answering(cases, *foci):
    matcher = TreatmentMatcher(cases)
    for focus in foci:
        matcher.choose(focus)
    matcher.check_button.click()
    return matcher


def test_treatment_matcher_credits_two_right_foci_and_explains_every_focus():
    blast = case(medical="He was knocked out and has had headaches since.", foci=["trauma_focused", "medical_review"])
    assert blast.label == "not_relational"
    matcher = matcher_answering([blast], "trauma_focused", "medical_review")
    assert matcher.deck.records[0]["credit"] == 1.0 and "Yes" in matcher.feedback.value
    assert matcher.deck.records[0]["id"] == "f90"  # saved practice reads the same every time
    assert matcher.deck.records[0]["answer"] == ("medical_review", "trauma_focused")
    feedback = html.unescape(matcher.feedback.value)
    assert all(focus.name in feedback for focus in FOCI.values())  # each focus is explained, chosen or not
    assert "first-line for PTSD whatever the relational context" in feedback and "NICE NG116" in feedback
    assert matcher_answering([blast], "trauma_focused").deck.records[0]["credit"] == 0.5  # one focus missing
    assert "Nearly" in matcher_answering([blast], "trauma_focused").feedback.value


def test_treatment_matcher_never_takes_the_focus_from_the_label():
    # caregiver harm that began at nine: the label is relational, but nobody knows whether trust ever worked
    at_nine = case(episodes=[{"relationship": "primary_caregiver", "age_at_onset": 9}], ptsd="moderate",
                   early_care="unknown", trust_before="unknown", wants_relational_work=True,
                   foci=["trauma_focused", "assess_first"])  # fmt: skip
    assert at_nine.label == "relational"
    by_label = matcher_answering([at_nine], "rebuild_trust")  # what the label alone would have picked
    assert by_label.deck.records[0]["credit"] == 0.0
    assert "the label alone would have chosen this focus" in html.unescape(by_label.feedback.value)
    with pytest.raises(ValueError, match=r"foci are \['rebuild_trust'\] but the formulation's facts call for"):
        case(episodes=[{"relationship": "primary_caregiver", "age_at_onset": 9}], early_care="unknown",
             trust_before="unknown", wants_relational_work=True, foci=["rebuild_trust"])  # fmt: skip
    # an early wound does not rule out first-line PTSD treatment
    early = case(episodes=[{"relationship": "primary_caregiver", "age_at_onset": 0}, {"relationship": "stranger",
                 "age_at_onset": 40}], early_care="harmful", wants_relational_work=True,
                 foci=["trauma_focused", "relational_arc"])  # fmt: skip
    assert early.label == "attachment" and judge(early)["trauma_focused"].fits
    # the same label can call for quite different foci
    foci_by_label: dict[str, set] = {}
    for shipped in load_cases():
        foci_by_label.setdefault(shipped.label, set()).add(shipped.answer)
    assert any(len(sets) > 1 for sets in foci_by_label.values())


def test_treatment_matcher_puts_current_risk_first_and_toggles_choices():
    at_risk = case(current_risk={"kind": "self_harm", "first": "Ask directly about suicide and self-harm, "
                                 "and consult a supervisor today."}, foci=["safety_first", "trauma_focused"])  # fmt: skip
    matcher = TreatmentMatcher([at_risk])
    assert matcher.check_button.disabled
    matcher.choose("safety_first")
    matcher.choose("assess_first")
    matcher.choose("assess_first")  # a second click takes it out again
    assert matcher.deck.choice == {"safety_first"} and not matcher.check_button.disabled
    assert matcher.option_buttons["safety_first"].description.startswith("\u2713")
    matcher.choose("safety_first")
    assert matcher.deck.choice is None and matcher.check_button.disabled
    matcher.choose("safety_first")
    matcher.choose("trauma_focused")
    matcher.check_button.click()
    assert "once immediate safety has been addressed" in matcher.feedback.value
    matcher.next_button.click()
    assert "Done: 1 of 1" in matcher.card.value


def test_every_shipped_formulation_case_loads_and_every_focus_is_practised():
    shipped = load_cases()
    assert {focus for c in shipped for focus in c.foci} == set(FOCI)
    assert any(len(c.foci) >= 2 for c in shipped)


def test_a_formulation_case_file_that_contradicts_its_facts_names_the_file_and_field(tmp_path):
    data = yaml.safe_load(CASES_FILE.read_text())
    data["cases"][0]["foci"] = ["relational_arc"]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(FormulationError, match=r"cases.yaml: field 'cases.0': foci are \['relational_arc'\]"):
        load_cases(path)
    data["cases"][0]["formulation"]["ptsd"] = "very"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(FormulationError, match=r"field 'cases.0.formulation.ptsd'"):
        load_cases(path)


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


def test_unexplained_amnesic_episodes_call_for_a_medical_review_and_a_dissociation_assessment():
    tobias = next(c for c in load_cases() if c.id == "f08")
    verdicts = judge(tobias)
    assert {"medical_review", "assess_first", "regulation_support"} <= tobias.answer
    assert "focal seizures" in verdicts["medical_review"].why and "driv" in verdicts["medical_review"].why
    assert "through a structured assessment" in verdicts["assess_first"].why
    # NICE NG116 is a PTSD guideline: it is cited only when the formulation has PTSD symptoms
    assert "NG116" not in verdicts["regulation_support"].why
    dissociated = case(ptsd="moderate", dissociation="marked", foci=["trauma_focused", "regulation_support",
                       "assess_first"])  # fmt: skip
    assert "NICE NG116" in judge(dissociated)["regulation_support"].why


def test_leaving_out_safety_first_on_a_case_at_current_risk_scores_nothing_and_says_why():
    at_risk = case(current_risk={"kind": "violence_now", "first": "Ask about her safety in private, make a safety "
                                 "plan and consult a supervisor today."}, foci=["safety_first", "trauma_focused"])  # fmt: skip
    missed = matcher_answering([at_risk], "trauma_focused")  # one focus missing, but it is the safety one
    assert missed.deck.records[0]["credit"] == 0.0
    assert "Safety first</i> was left out" in missed.feedback.value and "scores 0" in missed.feedback.value
    extra = matcher_answering([at_risk], "safety_first", "trauma_focused", "assess_first")  # one extra: half
    assert extra.deck.records[0]["credit"] == 0.5 and "left out" not in extra.feedback.value
    # with no current risk, missing one focus still earns half
    blast = case(medical="He was knocked out and has had headaches since.", foci=["trauma_focused", "medical_review"])
    assert matcher_answering([blast], "trauma_focused").deck.records[0]["credit"] == 0.5
