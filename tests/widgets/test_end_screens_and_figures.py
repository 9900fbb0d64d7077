"""The smaller points a new trainee met: the self-check's end screen (a review and a restart), modules
to revisit only up to the current one, a confusion matrix drawn at the size it is shown, and a line at
the top of every module and drill that says how to start."""

import html
import re
from pathlib import Path

import nbformat
import pytest

from trauma_curriculum.core.content import load_self_check
from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.supervisor.authoring import START_LINE
from trauma_curriculum.teaching import charts
from trauma_curriculum.teaching.deck import png_width
from trauma_curriculum.teaching.drills import SelfCheck
from trauma_curriculum.teaching.sorter import VignetteSorter

ROOT = Path(__file__).resolve().parents[2]

TEACHING_NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("exercises/*.ipynb")])


def test_the_self_check_end_screen_reviews_every_question_and_offers_a_restart():
    questions = load_self_check("02")
    check = SelfCheck.for_module("02")
    wrong_first = str((questions[0].answer + 1) % len(questions[0].options))
    for index, question in enumerate(questions):
        check.choose(wrong_first if index == 0 else str(question.answer))
        check.check_button.click()
        check.next_button.click()
    end = html.unescape(check.card.value)
    assert f"Done: {len(questions) - 1:g} of {len(questions)} right" in end
    assert "scroll" not in end.lower()  # the feedback it would point back to is gone
    for question in questions:
        assert question.prompt in end and question.explanation in end
        assert f": {question.options[question.answer]}" in end
    assert end.count("You chose") == len(questions) and end.count("Not quite") == 1
    assert check.again_button.layout.display is None and check.reset_button.layout.display == "none"
    assert check.choices.layout.display == check.buttons_row.layout.display == "none"  # not the last card's
    check.again_button.click()
    assert check.position == len(questions)  # it asks first
    check.confirm_yes.click()
    assert check.position == 0 and check.answers == [] and questions[0].prompt in html.unescape(check.card.value)
    assert check.again_button.layout.display == "none" and check.reset_button.layout.display is None
    assert check.choices.layout.display is None and check.buttons_row.layout.display is None


def test_module_02_suggests_revisiting_only_modules_up_to_02():
    sorter = VignetteSorter.for_module("02")
    later = {m for v in sorter.order for m in v.modules if m > "02"}
    assert later, "module 02's vignettes are also tagged with later modules, so the filter matters"
    while sorter.current is not None:
        wrong = next(label for label in sorter.labels if label != sorter.current.label)
        sorter.bins[wrong].click()
        sorter.check_button.click()
        sorter.next_button.click()
    revisit = sorter.modules_to_revisit()
    assert revisit and all(m <= "02" for m in revisit)
    summary = sorter.summary.value.split("Modules to revisit")[1].split("</p>")[0]
    assert not [m for m in later if re.search(rf"\b{m} ", summary)]
    assert set(sorter.session.modules_to_revisit()) & later  # without the limit they would be named


@pytest.mark.parametrize("labels", [LABELS, ("attachment", "relational")])
def test_the_confusion_matrix_is_drawn_at_the_size_it_is_shown_with_readable_labels(labels):
    sorter = VignetteSorter.from_bank(labels=labels, limit=3)
    while sorter.current is not None:
        sorter.bins[labels[0]].click()
        sorter.check_button.click()
        sorter.next_button.click()
    sorter.wait_for_summary()
    picture = sorter.summary_figures.children[0]
    width = png_width(picture.png)
    assert f"width='{width}'" in picture.value  # shown one image pixel to one screen pixel
    assert width <= 600  # fits the 46em column, so the browser never scales it down
    figure = charts.confusion_figure(labels[:1] * 3, labels[:1] * 3, labels)
    axes = figure.axes[0]
    for text in [*axes.get_xticklabels(), *axes.get_yticklabels(), axes.xaxis.label, axes.yaxis.label]:
        assert text.get_fontsize() * 100 / 72 >= 15, text.get_text()  # pixels at the 100 dpi it is drawn at


@pytest.mark.parametrize("path", TEACHING_NOTEBOOKS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_module_and_drill_says_how_to_start_before_its_first_exercise(path):
    notebook = nbformat.read(path, as_version=4)
    first_code = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code")
    opening = "\n".join(cell.source for cell in notebook.cells[:first_code] if cell.cell_type == "markdown")
    assert START_LINE in opening
    assert "Run \u2192 Run All Cells" in START_LINE
    paired = path.with_suffix(".md")
    assert START_LINE in paired.read_text(encoding="utf-8")


def test_there_are_modules_and_drills_to_check():
    assert len([p for p in TEACHING_NOTEBOOKS if p.parent.name == "notebooks"]) == 8
    assert len([p for p in TEACHING_NOTEBOOKS if p.parent.name == "exercises"]) >= 4
