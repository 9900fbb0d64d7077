"""The definitions as code: every rule of the five labels, bad input, and properties that must hold."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_curriculum.core.definitions import (
    DEVELOPMENTAL_WINDOW_END,
    NO_TRUST_RELATIONSHIPS,
    RELATIONSHIPS,
    TRUST_RELATIONSHIPS,
    Episode,
    classify,
)
from trauma_curriculum.core.labels import LABELS


def ep(relationship, age):
    return {"relationship": relationship, "age_at_onset": age}


@pytest.mark.parametrize(
    ("episodes", "label"),
    [
        ([ep("primary_caregiver", 0)], "attachment"),
        ([ep("primary_caregiver", DEVELOPMENTAL_WINDOW_END - 0.5)], "attachment"),
        ([ep("primary_caregiver", DEVELOPMENTAL_WINDOW_END)], "relational"),  # the window has ended
        ([ep("primary_caregiver", 34)], "relational"),  # an adult child hurt by a parent
        ([ep("mentor", 11)], "relational"),  # a coach in childhood: relational, not attachment
        ([ep("other_family", 2)], "relational"),  # early, but not the person who raised the child
        ([ep("partner", 30)], "relational"),
        ([ep("professional", None)], "relational"),  # who decides; the age does not matter here
        ([ep("stranger", 25)], "not_relational"),  # another person, but no relationship of trust
        ([ep("none", 40)], "not_relational"),  # a disaster
        ([ep("primary_caregiver", 1), ep("partner", 29)], "both"),
        ([ep("primary_caregiver", 1), ep("primary_caregiver", 12)], "both"),  # caregiver again, later
        ([ep("primary_caregiver", 1), ep("stranger", 29)], "attachment"),
        ([], "insufficient_information"),  # only symptoms are known
        ([ep("unknown", 12)], "insufficient_information"),
        ([ep("unknown", None)], "insufficient_information"),
        ([ep("primary_caregiver", None)], "insufficient_information"),  # the age decides, and is unknown
        ([ep("partner", 30), ep("unknown", 3)], "insufficient_information"),  # could be both or relational
        ([ep("primary_caregiver", 1), ep("partner", 30), ep("unknown", None)], "both"),  # cannot change it
        ([ep("primary_caregiver", None), ep("partner", 30)], "insufficient_information"),
        ([ep("primary_caregiver", None), ep("primary_caregiver", 2), ep("mentor", 14)], "both"),
    ],
)
def test_labels_follow_the_definitions(episodes, label):
    assert classify(episodes).label == label


def test_reasons_name_the_criteria_met():
    reasons = " ".join(classify([ep("primary_caregiver", 2), ep("partner", 30)]).reasons)
    assert "early caregiver-child bond" in reasons
    assert "developmental window" in reasons and "teaching choice" in reasons
    assert "relationship of trust" in reasons
    assert "not the primary caregiver" in reasons
    stranger = " ".join(classify([ep("stranger", 20)]).reasons)
    assert "no relationship of trust" in stranger and "not relational" in stranger
    empty = " ".join(classify([]).reasons)
    assert "only symptoms" in empty.lower() or "Only symptoms" in empty


def test_episode_records_and_mappings_are_accepted_alike():
    record = Episode("partner", 31.5, who="husband")
    assert classify([record]) == classify([ep("partner", 31.5)])


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ([ep("parent", 3)], ["'relationship'", "'parent'", "primary_caregiver"]),
        ([{"age_at_onset": 3}], ["missing field 'relationship'"]),
        ([{"relationship": "partner"}], ["missing field 'age_at_onset'"]),
        ([ep("partner", -1)], ["'age_at_onset'", "-1", "0 to 120"]),
        ([ep("partner", 300)], ["'age_at_onset'", "300", "0 to 120"]),
        ([ep("partner", math.nan)], ["'age_at_onset'", "nan"]),
        ([ep("partner", "thirty")], ["'age_at_onset'", "'thirty'", "number of years"]),
        ([ep("partner", True)], ["'age_at_onset'", "True"]),
        ([ep("partner", 3) | {"mood": "sad"}], ["unknown field", "mood"]),
        (["partner"], ["expected a mapping"]),
        ("partner", ["expected a list of episodes"]),
    ],
)
def test_bad_input_names_field_value_and_what_is_allowed(bad, words):
    with pytest.raises(ValueError) as error:
        classify(bad)
    for word in words:
        assert word in str(error.value)


relationships = st.sampled_from(sorted(RELATIONSHIPS))
ages = st.one_of(st.none(), st.integers(0, 120), st.floats(0, 120, allow_nan=False))
episodes_st = st.lists(st.builds(ep, relationships, ages), max_size=5)


@given(episodes_st, st.randoms())
def test_order_never_matters(episodes, random):
    shuffled = list(episodes)
    random.shuffle(shuffled)
    assert classify(shuffled) == classify(episodes)


@given(episodes_st, st.sampled_from(sorted(NO_TRUST_RELATIONSHIPS)), ages)
def test_adding_a_not_relational_episode_never_changes_a_relational_label(episodes, relationship, age):
    before = classify(episodes).label
    after = classify([*episodes, ep(relationship, age)]).label
    if before in {"attachment", "relational", "both"}:
        assert after == before
    if before == "not_relational":
        assert after == "not_relational"


@given(episodes_st)
def test_every_history_gets_one_of_the_five_labels_with_reasons(episodes):
    result = classify(episodes)
    assert result.label in LABELS
    assert result.reasons and all(isinstance(reason, str) and reason for reason in result.reasons)


@given(episodes_st, st.sampled_from(sorted(TRUST_RELATIONSHIPS - {"primary_caregiver"})), ages)
def test_a_trusted_non_caregiver_never_makes_attachment(episodes, relationship, age):
    """Adding a non-caregiver wound can make a history relational or both, never attachment alone."""
    after = classify([*episodes, ep(relationship, age)]).label
    assert after in {"relational", "both", "insufficient_information"}


@given(episodes_st, st.floats(0, DEVELOPMENTAL_WINDOW_END, exclude_max=True))
def test_an_early_caregiver_wound_is_never_plain_relational_or_not_relational(episodes, age):
    """An early caregiver wound makes attachment or both (or leaves it open when an unknown could decide)."""
    after = classify([*episodes, ep("primary_caregiver", age)]).label
    assert after in {"attachment", "both", "insufficient_information"}
    if all(e["relationship"] != "unknown" and e["age_at_onset"] is not None for e in episodes):
        assert after in {"attachment", "both"}


@given(episodes_st)
def test_resolving_an_unknown_keeps_a_settled_label(episodes):
    """When the label is settled despite unknowns, filling in any unknown as a stranger keeps it."""
    result = classify(episodes).label
    if result != "insufficient_information":
        filled = [
            ep("stranger", e["age_at_onset"]) if e["relationship"] == "unknown" else e for e in episodes
        ]
        assert classify(filled).label == result
