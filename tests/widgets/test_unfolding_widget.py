"""The unfolding case widget, driven as a trainee and as a presenter would: commit a label and a
confidence at each stage, see the definitions' reading, move on, and read the summary."""

from __future__ import annotations

import html

import pytest

from trauma_curriculum.core.labels import LABEL_NAMES
from trauma_curriculum.core.unfolding import load_cases
from trauma_curriculum.teaching.store import default_store
from trauma_curriculum.teaching.unfolding import CaseUnfolding

CASES = {case.id: case for case in load_cases()}


@pytest.fixture(autouse=True)
def private_jupyter_data(tmp_path, monkeypatch):
    """Every checked answer is saved to the practice record: each test gets its own Jupyter data folder."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    return tmp_path / "jupyter-data"


def commit(widget, label, confidence=60):
    widget.bins[label].click()
    widget.confidence.value = confidence
    widget.check_button.click()


def test_a_stage_is_committed_before_the_next_is_shown():
    widget = CaseUnfolding([CASES["u005"]])
    first, second = CASES["u005"].stages[:2]
    assert " ".join(first.text.split())[:60] in html.unescape(widget.card.value)
    assert " ".join(second.text.split())[:40] not in html.unescape(widget.card.value)  # the next stage waits
    assert widget.check_button.disabled and widget.next_button.disabled
    commit(widget, "attachment", 70)
    assert (
        "with what is known so far, the definitions give <b>Insufficient information</b>"
        in widget.feedback.value
    )
    assert (
        "What this stage added" in widget.feedback.value
        and "What the definitions say" in widget.feedback.value
    )
    widget.next_button.click()
    assert " ".join(second.text.split())[:40] in html.unescape(widget.card.value)
    assert "(you said Attachment trauma)" in widget.card.value
    assert "Case 1 of 1 &middot; stage 2 of 4" in widget.progress.value


def test_the_summary_shows_the_expert_path_and_where_the_reading_moved_too_early(private_jupyter_data):
    case = CASES["u016"]  # undecided, undecided, relational, then a revision to attachment
    widget = CaseUnfolding([case])
    answers = ["attachment", "insufficient_information", "relational", "relational"]
    for number, label in enumerate(answers, start=1):
        commit(widget, label, 80 if number == 1 else 50)
        if number < len(answers):
            assert "How this case unfolded" not in widget.feedback.value
            widget.next_button.click()
    summary = widget.feedback.value
    assert ("The expert label, stage by stage:</b> Insufficient information &rarr; Insufficient information &rarr; "
            "Relational trauma &rarr; Attachment trauma") in summary  # fmt: skip
    assert "Attachment trauma, 80% sure" in summary and "moved before the facts did" in summary
    assert (
        "waited for the history" in summary
        and "kept the earlier reading after the account changed" in summary
    )
    assert "At stage 1 your reading moved before the facts did" in summary
    assert "A later account revised an earlier one" in summary
    widget.next_button.click()
    widget.wait_for_summary()
    assert (
        widget.current is None
        and "Stages where your reading moved before the facts: 1" in widget.summary.value
    )
    assert (
        "you waited at 1 of them" in widget.summary.value
        and "you were 80% sure on average" in widget.summary.value
    )
    assert len(widget.summary_figures.children) == 2  # the sorter's confusion matrix and calibration plot
    saved = default_store().answers()
    assert [(a.source, a.item, a.stage, a.answer) for a in saved] == [
        ("unfolding", "u016", n, label) for n, label in enumerate(answers, start=1)]  # fmt: skip


def test_a_current_risk_says_what_a_clinician_does_first():
    widget = CaseUnfolding([CASES["u011"]])
    commit(widget, "insufficient_information")
    assert "Current risk" in widget.feedback.value and "safety plan" in widget.feedback.value


def test_for_module_and_the_drill_use_the_case_bank():
    assert {c.id for c in CaseUnfolding.for_module("03").cases} == {
        c.id for c in CASES.values() if "03" in c.modules
    }
    assert len(CaseUnfolding.drill().cases) == len(CASES)
    with pytest.raises(ValueError, match="module '01' has no unfolding cases"):
        CaseUnfolding.for_module("01")


def test_start_again_clears_the_answers():
    widget = CaseUnfolding([CASES["u002"]])
    commit(widget, "relational")
    widget.next_button.click()
    widget.reset_button.click()
    widget.confirm_yes.click()
    assert widget.answers_by_stage == {} and "you said" not in widget.card.value
    assert "stage 1 of 3" in widget.progress.value


def test_workshop_mode_is_a_room_vote_per_stage(private_jupyter_data):
    widget = CaseUnfolding([CASES["u009"]], workshop=True)
    commit(widget, "not_relational")
    assert "waits for the presenter" in widget.feedback.value and "agreed so far" not in widget.progress.value
    for label, box in widget.votes.items():
        box.value = 5 if label == "insufficient_information" else 1
    widget.reveal_button.click()
    assert (
        widget.chart.layout.display is None
        and f"The expert label is {LABEL_NAMES['insufficient_information']}" in widget.chart.alt
    )
    assert "What this stage added" in widget.feedback.value and not widget.next_button.disabled
    widget.next_button.click()
    assert all(box.value == 0 for box in widget.votes.values())  # a fresh vote for the next stage
    widget.reveal_button.click()  # the presenter may reveal without answering
    widget.next_button.click()
    widget.reveal_button.click()
    assert "How this case unfolded" in widget.feedback.value and "Your label" not in widget.feedback.value
    assert default_store().answers() == []  # the room's answers are not a trainee's practice
