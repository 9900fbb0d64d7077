"""Practice that remembers: answers from the sorter, the self-checks and today's review reach the
private record; today's review, my progress and the record's own panel are driven as a trainee would."""

from __future__ import annotations

import base64
import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.core.vignettes import load_bank
from trauma_curriculum.teaching.drills import SelfCheck
from trauma_curriculum.teaching.progress import MyProgress
from trauma_curriculum.teaching.review import TodaysReview
from trauma_curriculum.teaching.sorter import VignetteSorter
from trauma_curriculum.teaching.store import Answer, PracticeRecordView, PracticeStore, default_store

BANK = load_bank()
NOW = datetime(2026, 4, 6, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def private_jupyter_data(tmp_path, monkeypatch):
    """Every checked answer is saved to the practice record: each test gets its own Jupyter data folder."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    return tmp_path / "jupyter-data"


def test_sorter_answers_are_saved_and_the_first_says_where(private_jupyter_data):
    sorter = VignetteSorter.for_module("02", limit=2, confidence=True)
    first = sorter.current
    sorter.bins[first.label].click()
    sorter.confidence.value = 80
    sorter.check_button.click()
    assert "A new practice record was started at" in sorter.feedback.value
    assert str(private_jupyter_data) in sorter.feedback.value
    sorter.next_button.click()
    sorter.bins["both"].click()
    sorter.check_button.click()
    assert "practice record" not in sorter.feedback.value  # said once
    saved = default_store().answers()
    assert [(a.source, a.item, a.answer, a.confidence) for a in saved][0] == (
        "sorter",
        first.id,
        first.label,
        0.8,
    )
    assert len(saved) == 2


def test_self_check_answers_are_saved_under_a_stable_id():
    for _ in range(2):
        drill = SelfCheck.for_module("03")
        drill.choose(drill.current.answer)
        drill.check_button.click()
    saved = default_store().answers()
    assert [a.source for a in saved] == ["selfcheck", "selfcheck"] and saved[0].item == saved[1].item
    assert saved[0].correct


def test_todays_review_says_what_is_due_then_saves_its_answers_with_their_placing(tmp_path):
    store = PracticeStore(tmp_path / "practice.sqlite3", clock=lambda: NOW)
    attachment = [v for v in BANK if v.label == "attachment"]
    for v in attachment[:3]:  # last week, three attachment cases called relational
        store.add(Answer(NOW - timedelta(days=7), "sorter", v.id, v.label, "relational", 0.0, 0.6))
    review = TodaysReview(store=store, now=NOW)
    assert "Today's review: what is due, and why" in review.header.value
    assert "3 cards are due: 3 you missed before" in review.header.value
    assert (
        "The pair you confuse most is Attachment trauma and Relational trauma (3 times)"
        in review.header.value
    )
    sorter = review.sorter
    assert (
        "Due again: you missed this one before." in sorter.card.value
        and "Relational" not in sorter.card.value.split("<h4>")[0]
    )
    card = sorter.current
    sorter.bins[card.label].click()
    sorter.check_button.click()
    assert "Why this card today:" in sorter.feedback.value
    saved = store.answers()[-1]
    assert (saved.source, saved.item, saved.mode) == (
        "review",
        card.id,
        review.plan.cards[0].mode,
    ) and saved.mode == "interleaved"


def test_with_nothing_due_the_review_says_when_to_come_back(tmp_path):
    store = PracticeStore(tmp_path / "practice.sqlite3")
    bank = BANK[:2]
    for v in bank:
        store.add(Answer(NOW, "review", v.id, v.label, v.label, 1.0, 0.95))
    review = TodaysReview(store=store, now=NOW + timedelta(hours=1), bank=bank)
    assert review.sorter is None and "Nothing is due today" in review.header.value


def test_my_progress_shows_accuracy_confusion_and_calibration(tmp_path):
    store = PracticeStore(tmp_path / "practice.sqlite3")
    assert "No practice saved yet" in MyProgress(store).summary.value
    one_each = [next(v for v in BANK if v.label == label) for label in LABELS]
    for day in range(3):
        for index, v in enumerate(one_each):
            wrong = v.label == "attachment" and day < 2
            store.add(Answer(NOW + timedelta(days=day, minutes=index), "review", v.id, v.label,
                             "relational" if wrong else v.label, 0.0 if wrong else 1.0, 0.7,
                             mode="interleaved" if v.label in ("attachment", "relational") else "blocked"))  # fmt: skip
    page = MyProgress(store)
    text = page.summary.value
    assert (
        "15 sorted answers over 3 practice days" in text
        and "<td>Attachment trauma</td><td>1 of 3</td>" in text
    )
    assert "Your most frequent confusion:</b> Attachment trauma answered as Relational trauma" in text
    assert (
        "Calibration:</b> on average you were 70% sure and 87% right (underconfident" in text
        and "Interleaved or blocked?" in text
    )
    pictures = [child for child in page.figures.children if "<img" in child.value]
    assert len(pictures) == 3 and all("alt='" in p.value for p in pictures)
    described = [child.value for child in page.figures.children if "Figure description" in child.value]
    assert len(described) == 3 and "share right per expert label" in described[0]


def test_the_record_panel_shows_exports_and_deletes_after_asking(tmp_path):
    store = PracticeStore(tmp_path / "practice.sqlite3")
    store.add(Answer(NOW, "sorter", "p001", "both", "relational", 0.5, 0.6))
    panel = PracticeRecordView(store)
    assert (
        str(tmp_path / "practice.sqlite3") in panel.about.value
        and "holds 1 answers (1 from the sorter)" in panel.about.value
    )
    panel.show_button.click()
    assert "p001" in panel.table.value and "60%" in panel.table.value
    panel.export_button.click()
    data = re.search(r"base64,([A-Za-z0-9+/=]+)'", panel.message.value).group(1)
    rows = list(csv.DictReader(io.StringIO(base64.b64decode(data).decode())))
    assert rows[0]["item"] == "p001" and rows[0]["answer"] == "relational"
    panel.delete_button.click()
    assert "Delete your practice record?" in panel.message.value and store.answers()
    panel.confirm_no.click()
    assert store.answers() and "nothing was deleted" in panel.message.value
    panel.delete_button.click()
    panel.confirm_yes.click()
    assert store.answers() == [] and "holds 0 answers" in panel.about.value
