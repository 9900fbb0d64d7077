"""Today's review with a fake clock: FSRS brings a missed card back sooner than a known one, the pair a
trainee confuses is over-represented and interleaved, dissimilar labels come in blocks, and the plan says
what is due and why."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from fsrs import Rating

from trauma_curriculum.core.vignettes import load_bank
from trauma_curriculum.teaching.review import (
    card_states,
    confusions,
    plan_review,
    rating,
    simulate_days,
    top_pair,
)
from trauma_curriculum.teaching.store import Answer, PracticeStore

BANK = load_bank()
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def answer(vignette, label, at, confidence=0.7, source="review"):
    return Answer(at, source, vignette.id, vignette.label, label, float(label == vignette.label), confidence)


def other_label(vignette):
    return "relational" if vignette.label != "relational" else "attachment"


def test_answers_rate_the_card():
    v = BANK[0]
    assert rating(answer(v, other_label(v), START)) == Rating.Again
    assert rating(answer(v, v.label, START, confidence=0.3)) == Rating.Hard
    assert rating(answer(v, v.label, START, confidence=0.7)) == Rating.Good
    assert rating(answer(v, v.label, START, confidence=0.95)) == Rating.Easy


def test_a_card_answered_wrongly_comes_back_sooner_than_one_answered_rightly():
    wrong, right = BANK[0], BANK[1]
    history = []
    for day in (0, 1, 3):  # three sessions, each card answered the same way every time
        at = START + timedelta(days=day)
        history += [answer(wrong, other_label(wrong), at), answer(right, right.label, at)]
    states = card_states(history, {wrong.id, right.id})
    assert states[wrong.id][0].due < states[right.id][0].due
    assert states[right.id][0].due - START > timedelta(days=5)
    later = START + timedelta(days=4)
    due = {card.vignette.id for card in plan_review([wrong, right], history, later).cards}
    assert due == {wrong.id}  # the known card is not due yet; the missed one is


def test_replaying_the_same_record_gives_the_same_schedule():
    history = [answer(v, v.label, START + timedelta(minutes=i)) for i, v in enumerate(BANK[:10])]
    first = plan_review(BANK, history, START + timedelta(days=3))
    again = plan_review(BANK, history, START + timedelta(days=3))
    assert first == again


def test_the_confused_pair_is_over_represented_and_interleaved():
    attachment = [v for v in BANK if v.label == "attachment"]
    relational = [v for v in BANK if v.label == "relational"]
    history = [answer(v, "relational", START) for v in attachment[:3]] + [answer(v, "attachment", START)
                                                                          for v in relational[:2]]  # fmt: skip
    assert top_pair(confusions(history)) == (("attachment", "relational"), 5)
    shares = []
    for seed in range(20):  # many days' sets: the new cards lean towards the pair
        plan = plan_review(BANK, history, START + timedelta(hours=1), size=10, seed=seed)
        new = [c for c in plan.cards if c.kind == "new"]
        shares.append(sum(c.vignette.label in ("attachment", "relational") for c in new) / len(new))
    in_bank = sum(v.label in ("attachment", "relational") for v in BANK) / len(BANK)
    assert sum(shares) / len(shares) > in_bank + 0.15
    plan = plan_review(BANK, history, START + timedelta(days=1), size=12)
    pair = [c for c in plan.cards if c.mode == "interleaved"]
    assert {c.vignette.label for c in pair} == {"attachment", "relational"}
    labels = [c.vignette.label for c in pair]
    mixed = min(labels.count("attachment"), labels.count("relational"))
    assert all(labels[i] != labels[i + 1] for i in range(2 * mixed - 1))  # alternating while both last
    blocked = [c.vignette.label for c in plan.cards if c.mode == "blocked"]
    assert blocked == sorted(blocked, key=blocked.index)  # each label in one block
    assert plan.cards[: len(pair)] == tuple(pair)


def test_the_plan_says_what_is_due_and_why():
    missed, known = BANK[0], BANK[1]
    history = [answer(missed, other_label(missed), START), answer(known, known.label, START)]
    plan = plan_review(BANK, history, START + timedelta(days=30), size=4)
    kinds = {c.vignette.id: c.kind for c in plan.cards}
    assert kinds[missed.id] == "missed" and kinds[known.id] == "spaced"
    by_id = {c.vignette.id: c for c in plan.cards}
    assert "you answered" in by_id[missed.id].reason and "the key is" in by_id[missed.id].reason
    assert by_id[missed.id].hint == "Due again: you missed this one before."  # no label before the answer
    text = " ".join(plan.lines())
    assert "2 cards are due: 1 you missed before" in text and "1 spaced out" in text and "2 new cards" in text
    assert "The pair you confuse most" in text


def test_with_everything_seen_and_nothing_due_the_plan_says_when_to_come_back():
    bank = BANK[:3]
    history = [answer(v, v.label, START, confidence=0.95) for v in bank]
    plan = plan_review(bank, history, START + timedelta(hours=2))
    assert plan.cards == ()
    assert "Nothing is due today" in plan.lines()[0] and "next card falls due on" in plan.lines()[0]


def test_a_simulated_fortnight_of_one_trainee(tmp_path):
    """A trainee who calls attachment cases relational for ten days, then stops."""
    store = PracticeStore(tmp_path / "practice.sqlite3")

    def answer_of(vignette, day):
        if vignette.label == "attachment" and day < 10:
            return "relational", 0.7
        return vignette.label, 0.8

    plans = simulate_days(14, answer_of, store, START, BANK)
    assert len(store.answers()) == sum(len(p.cards) for p in plans) == 140
    assert all(card.mode == "blocked" for card in plans[0].cards)  # nothing confused yet on day one
    later = [c for plan in plans[3:10] for c in plan.cards]
    assert (
        Counter(c.vignette.label for c in later)["attachment"] > len(later) / 3
    )  # the missed label comes back
    assert all(c.mode == "interleaved" for c in later if c.vignette.label in ("attachment", "relational"))
    assert plans[13].pair[0] == ("attachment", "relational")
