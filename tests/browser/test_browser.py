"""The curriculum clicked in a real browser: module 03 in JupyterLab, and the same module as slides."""

from __future__ import annotations

import re

from browser_support import TOKEN

from trauma_curriculum.core.labels import LABEL_NAMES
from trauma_curriculum.teaching.sorter import VignetteSorter

SORTER = "Module 03: sort the vignettes"
FIRST = VignetteSorter.for_module("03").current  # the same seed gives the browser the same first card


def output_of(page, text: str):
    """The output area of the cell whose widget shows ``text``."""
    return page.locator(".jp-OutputArea-output").filter(has_text=text).first


def button(area, label: str):
    return area.locator("button").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first


def test_jupyterlab_runs_module_03_and_a_vignette_is_sorted(page, lab_server):
    steps = page.steps
    page.goto(f"{lab_server.url}/lab/workspaces/e2e/tree/notebooks/03-the-overlap.ipynb?reset&token={TOKEN}")
    # the status bar's "Idle" (the toolbar's indicator says idle before a kernel even exists)
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=120_000)
    steps.shot("opened")
    page.locator(".lm-MenuBar-itemLabel").filter(has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-itemLabel").filter(has_text=re.compile("^Run All Cells$")).click()
    sorter = output_of(page, SORTER)
    sorter.wait_for(timeout=180_000)
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=180_000)
    sorter.scroll_into_view_if_needed()
    steps.shot("ran-all")
    assert FIRST.title in sorter.inner_text()

    button(sorter, LABEL_NAMES[FIRST.label]).click()
    button(sorter, "Check").click()
    feedback = sorter.get_by_text("Right:")
    feedback.wait_for(timeout=30_000)
    steps.shot("checked")
    text = sorter.inner_text()
    assert FIRST.rationale.split(".")[0][:60] in " ".join(text.split())
    assert "What the definitions say" in text and sorter.locator("mark").count() >= 1
    button(sorter, "Next").click()
    sorter.get_by_text("Item 2 of").wait_for(timeout=30_000)
    steps.shot("next")

    figures = page.locator(".jp-OutputArea-output img[src^='data:image/png']")
    assert figures.count() >= 2  # the subset diagram and the blueprint
    figures.first.scroll_into_view_if_needed()
    assert figures.first.evaluate("img => img.naturalWidth") > 300
    steps.shot("figure")


def go_to_slide_with(page, text: str) -> None:
    """Page through the deck as a presenter would (the space bar: next slide) until ``text`` shows."""
    current = page.locator(".reveal .slides section.present:not(.stack)").filter(has_text=text)
    for _ in range(120):
        if current.count() and current.last.is_visible():
            return
        page.keyboard.press("Space")
        page.wait_for_timeout(150)
    raise AssertionError(f"no slide shows {text!r}")


def test_slides_sort_a_vignette_and_reveal_the_room_vote(page, slides_server):
    steps = page.steps
    page.goto(f"{slides_server.url}/", timeout=180_000)
    page.locator(".reveal .slides").wait_for(timeout=180_000)
    page.get_by_text(SORTER).first.wait_for(state="attached", timeout=180_000)
    steps.shot("opened")
    go_to_slide_with(page, SORTER)
    sorter = page.locator(".reveal .slides section.present:not(.stack)").filter(has_text=SORTER).last
    sorter.get_by_text(FIRST.title, exact=True).wait_for(timeout=30_000)
    steps.shot("sorter-slide")

    button(sorter, LABEL_NAMES[FIRST.label]).click()
    button(sorter, "Check").click()
    sorter.get_by_text("waits for the presenter").wait_for(timeout=30_000)
    hidden = sorter.inner_text()
    assert (
        FIRST.rationale[:40] not in hidden and "score so far" not in hidden
    )  # workshop mode: nothing given away
    steps.shot("checked-hidden")

    votes = sorter.locator(".widget-text input")
    for index in range(votes.count()):
        votes.nth(index).fill(str(3 + index))
        votes.nth(index).press("Enter")
    button(sorter, "Show the room's votes").click()
    chart = sorter.locator("img").first  # a widget image: ipywidgets serves it from a blob: URL
    chart.wait_for(timeout=30_000)
    chart.scroll_into_view_if_needed()
    assert chart.evaluate("img => img.naturalWidth") > 200
    steps.shot("votes")
    button(sorter, "Reveal answer").click()
    sorter.get_by_text("the expert label is").or_(sorter.get_by_text("Right:")).first.wait_for(timeout=30_000)
    assert "What the definitions say" in sorter.inner_text()
    steps.shot("revealed")
