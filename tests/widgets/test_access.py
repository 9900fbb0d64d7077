"""What a keyboard and a screen reader get from the exercises, on the Python side: where focus is asked
to go, the confirmation before Start again, the marks on the chosen option, live regions, cues in words
and alt text. tests/browser/test_keyboard_and_audit.py checks the same in a real browser."""

import ipywidgets as widgets
import pytest

from trauma_curriculum.core.labels import plain_name
from trauma_curriculum.teaching.access import ROOT_CLASS, Access
from trauma_curriculum.teaching.deck import TICK, Picture
from trauma_curriculum.teaching.drills import ChoiceDrill, CueSpotter, DrillItem, SelfCheck, TreatmentMatcher
from trauma_curriculum.teaching.explorers import DefinitionsExplorer, SameEventAtDifferentAges
from trauma_curriculum.teaching.sorter import VignetteSorter

EXERCISES = {
    "sorter": lambda: VignetteSorter.for_module("03"),
    "workshop sorter": lambda: VignetteSorter.for_module("03", workshop=True),
    "self-check": lambda: SelfCheck.for_module("00"),
    "cue spotter": CueSpotter,
    "treatment matcher": TreatmentMatcher,
    "definitions explorer": DefinitionsExplorer,
    "same event at different ages": SameEventAtDifferentAges,
}


def drill():
    items = [DrillItem("<p>one</p>", {"a": "A", "b": "B"}, "a", "<p>because</p>"),
             DrillItem("<p>two</p>", {"a": "A", "b": "B", "c": "C"}, "b", "<p>since</p>")]  # fmt: skip
    return ChoiceDrill(items, "Demo")


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def focus_target(exercise) -> str:
    return exercise.access.focus["target"]


@pytest.mark.parametrize("name", EXERCISES)
def test_every_exercise_carries_the_helper_and_no_bare_image(name):
    exercise = EXERCISES[name]()
    assert ROOT_CLASS in exercise._dom_classes
    assert [w for w in exercise.children if isinstance(w, Access)] == [exercise.access]
    assert not [w for w in descendants(exercise) if isinstance(w, widgets.Image)]  # ipywidgets' Image has no alt
    assert [w for w in descendants(exercise) if "tc-live" in getattr(w, "_dom_classes", ())], "no live region"


def test_focus_follows_check_next_and_the_end():
    d = drill()
    assert focus_target(d) == ""  # building an exercise never takes the page's focus
    d.choose("a")
    assert focus_target(d) == ""  # the choice can still change: focus stays on it
    d.check_button.click()
    assert focus_target(d) == ".tc-next"
    d.next_button.click()
    assert focus_target(d) == ".tc-option"
    serial = d.access.focus["serial"]
    d.choose("b")
    d.check_button.click()
    d.next_button.click()
    assert focus_target(d) == ".tc-card-area" and d.access.focus["serial"] == serial + 2


def test_the_sorter_ends_on_its_summary():
    sorter = VignetteSorter.for_module("00", limit=1)
    sorter.bins[sorter.current.label].click()
    sorter.check_button.click()
    sorter.next_button.click()
    assert focus_target(sorter) == ".tc-summary" and "tc-summary" in sorter.summary._dom_classes


def test_the_chosen_option_is_ticked_and_classed_for_aria_pressed():
    d = drill()
    d.choose("b")
    d.choose("a")
    buttons = d.option_buttons
    assert buttons["a"].description == TICK + "A" and "tc-chosen" in buttons["a"]._dom_classes
    assert buttons["b"].description == "B" and "tc-chosen" not in buttons["b"]._dom_classes
    assert all("tc-option" in b._dom_classes for b in buttons.values())
    d.check_button.click()
    d.next_button.click()
    assert not any("tc-chosen" in b._dom_classes for b in d.option_buttons.values())  # a fresh card


def test_start_again_asks_first_and_keeping_changes_nothing():
    d = drill()
    d.choose("a")
    d.check_button.click()
    d.reset_button.click()
    assert d.confirm.layout.display is None and "Start again?" in d.confirm_text.value
    assert focus_target(d) == ".tc-keep" and len(d.answers) == 1  # nothing cleared yet
    d.confirm_no.click()
    assert d.confirm.layout.display == "none" and d.confirm_text.value == ""
    assert len(d.answers) == 1 and not d.next_button.disabled and focus_target(d) == ".tc-reset"
    d.reset_button.click()
    d.confirm_yes.click()
    assert d.answers == [] and d.position == 0 and d.confirm.layout.display == "none"
    assert focus_target(d) == ".tc-option" and not any(b.disabled for b in d.option_buttons.values())


def test_start_again_sits_above_the_card_out_of_the_forward_path():
    sorter = VignetteSorter.for_module("03")
    rows = list(sorter.children)

    def row_of(widget):
        return next(i for i, row in enumerate(rows) if widget in descendants(row))

    assert row_of(sorter.reset_button) < row_of(sorter.card) < row_of(sorter.choices) < row_of(sorter.check_button)
    assert row_of(sorter.next_button) == row_of(sorter.check_button)
    after_next = [w for row in rows[row_of(sorter.next_button) + 1 :] for w in descendants(row)
                  if isinstance(w, widgets.Button) and w.layout.display != "none"]  # fmt: skip
    assert after_next == []  # nothing to tab to between Next and the next exercise while sorting


def test_feedback_is_a_live_region_and_lists_the_cues_in_words():
    sorter = VignetteSorter.full(seed=1)
    vignette = sorter.current
    sorter.bins[vignette.label].click()
    sorter.check_button.click()
    assert "tc-live" in sorter.feedback._dom_classes and vignette.cues
    assert "<b>Cues</b>" in sorter.feedback.value
    for cue in set(vignette.cues):
        assert f"&ldquo;{cue}" in sorter.feedback.value.replace("&#x27;", "'")


def test_every_summary_and_vote_image_has_alt_text_that_says_what_it_shows():
    sorter = VignetteSorter.for_module("07", confidence=True, limit=4)
    while sorter.current is not None:
        sorter.bins["attachment"].click()
        sorter.confidence.value = 80
        sorter.check_button.click()
        sorter.next_button.click()
    sorter.wait_for_summary()
    confusion, calibration = sorter.summary_figures.children
    assert isinstance(confusion, Picture) and "alt='Grid of expert labels" in confusion.value
    for expert in {r["expert"] for r in sorter.results}:
        mine = [r for r in sorter.results if r["expert"] == expert]
        assert f"{plain_name(expert)}: {sum(r['correct'] for r in mine)} of {len(mine)} agreed" in confusion.alt
    assert "at 80% sure, right" in calibration.alt and "alt='Calibration plot" in calibration.value
    room = VignetteSorter.for_module("03", workshop=True)
    room.votes["relational"].value = 7
    room.show_votes_button.click()
    assert "Relational trauma 7" in room.chart.alt and f"alt='{room.chart.alt[:20]}" in room.chart.value.replace(
        "&#x27;", "'")


def test_the_styles_make_focus_visible_and_disabled_buttons_look_disabled():
    css = Access._css
    focus_rule = css.split(":focus-visible")[1].split("}")[0]
    assert "outline: 3px solid" in focus_rule
    disabled_rule = css.split(".jupyter-button:disabled")[1].split("}")[0]
    assert "cursor: not-allowed" in disabled_rule and "dashed" in disabled_rule and "opacity: 1" in disabled_rule
    d = drill()
    assert d.check_button.disabled and "tc-check" in d.check_button._dom_classes  # the rule's target
    d.choose("a")
    assert not d.check_button.disabled

