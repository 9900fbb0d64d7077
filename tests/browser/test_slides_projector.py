"""The slides on a projector, as a workshop leader presents them (`trauma-curriculum present`), at the two
common projector resolutions: the right arrow alone visits every slide in order, including each figure
and exercise; no slide is cut off (what is taller than the screen scrolls inside the slide with the Down
arrow); a reload on an exercise lays it out as the arrows do; the sorter keeps what it reveals on screen.

Screenshots of every step go to test-artifacts/<test>/ (kept with KEEP_SCREENSHOTS=1), and what each
slide measured to test-artifacts/slides/<module>-<width>x<height>.json.
"""

from __future__ import annotations

import json
import math

import nbformat
import pytest
from browser_support import ARTIFACTS

from conftest import ROOT
from trauma_curriculum.workshop.present import find_module

RESOLUTIONS = ((1280, 720), (1920, 1080))
PROSE_PX = 24  # the smallest body text, in screen pixels at 1280x720, that the back of a room can read

#: The current slide, as the tests measure it (reveal.js scales the slide: ``scale`` is screen px per px).
PRESENT = """() => {
  const slides = [...document.querySelectorAll('.reveal .slides > section')];
  const slide = document.querySelector('.reveal .slides > section.present');
  const box = slide.getBoundingClientRect();
  const outputs = [...slide.querySelectorAll('.jp-CodeCell')].filter(cell =>
      cell.querySelector('.jp-OutputArea-output img, .jp-OutputArea-output .jupyter-widgets'));
  const prose = slide.querySelector('.jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li');
  const heading = slide.querySelector('h1, h2, h3');
  return {index: slides.indexOf(slide), count: slides.length, nested: document.querySelectorAll(
            '.reveal .slides section section').length,
          top: box.top, bottom: box.bottom, left: box.left, right: box.right,
          width: innerWidth, height: innerHeight, scale: box.height / slide.offsetHeight,
          scrollHeight: slide.scrollHeight, clientHeight: slide.clientHeight, scrollTop: slide.scrollTop,
          scrollWidth: slide.scrollWidth, clientWidth: slide.clientWidth,
          overflowY: getComputedStyle(slide).overflowY, outputs: outputs.length,
          widget: !!slide.querySelector('.tc-widget'),
          prose: prose ? parseFloat(getComputedStyle(prose).fontSize) : null,
          heading: heading ? heading.textContent.replace('\u00b6', '').trim() : ''};
}"""

#: Where the first exercise on the current slide sits, relative to the slide, in slide pixels, and whether
#: its controls are on the screen.
WIDGET = """() => {
  const slide = document.querySelector('.reveal .slides > section.present');
  const widget = slide.querySelector('.tc-widget');
  const scale = slide.getBoundingClientRect().height / slide.offsetHeight;
  const buttons = [...widget.querySelectorAll('button')].filter(b => b.offsetParent !== null);
  const first = buttons[0].getBoundingClientRect();
  return {offset: (widget.getBoundingClientRect().top - slide.getBoundingClientRect().top) / scale,
          buttonOnScreen: first.top >= 0 && first.bottom <= innerHeight && first.right <= innerWidth,
          button: buttons[0].textContent.trim()};
}"""

INSIDE = "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; }"


def exhibits(module: str) -> int:
    """The module's figures and exercises: every code cell that the slides show (not skipped)."""
    notebook = nbformat.read(find_module(ROOT, module), as_version=4)
    return sum(1 for cell in notebook.cells if cell.cell_type == "code"
               and cell.metadata.get("slideshow", {}).get("slide_type") != "skip")  # fmt: skip


def open_deck(page, server, module: str) -> None:
    page.goto(f"{server.url}/", timeout=180_000)
    page.locator(".reveal .slides").wait_for(timeout=180_000)
    rendered = """n => [...document.querySelectorAll('.jp-CodeCell')].filter(cell =>
        cell.querySelector('.jp-OutputArea-output img, .jp-OutputArea-output .jupyter-widgets')).length >= n"""
    page.wait_for_function(rendered, arg=exhibits(module), timeout=180_000)


def first_slide(page) -> dict:
    page.keyboard.press("Home")
    page.wait_for_function("() => document.querySelector('.reveal .slides > section.present') === "
                           "document.querySelector('.reveal .slides > section')")  # fmt: skip
    return page.evaluate(PRESENT)


def next_slide(page, current: dict) -> dict:
    page.keyboard.press("ArrowRight")
    page.wait_for_function("i => [...document.querySelectorAll('.reveal .slides > section')].indexOf("
                           "document.querySelector('.reveal .slides > section.present')) !== i",
                           arg=current["index"], timeout=10_000)  # fmt: skip
    return page.evaluate(PRESENT)


def scroll_to_end(page, slide: dict) -> dict:
    """Press Down until the slide stops scrolling; return the slide as it is then."""
    presses = math.ceil(slide["scrollHeight"] / (slide["clientHeight"] * 0.5)) + 1
    for _ in range(presses):
        before = page.evaluate(PRESENT)["scrollTop"]
        page.keyboard.press("ArrowDown")
        after = page.evaluate(PRESENT)
        if after["scrollTop"] == before:
            break
    return after


@pytest.mark.parametrize("slides_server", ["03", "05"], indirect=True)
def test_the_right_arrow_visits_every_slide_and_none_is_cut_off(page, slides_server):
    module = slides_server.module
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_deck(page, slides_server, module)
    for width, height in RESOLUTIONS:
        page.set_viewport_size({"width": width, "height": height})
        slide, visited, shown, measured = first_slide(page), [], 0, []
        assert slide["nested"] == 0  # a flat deck: no slide waits below another for the Down arrow
        while True:
            visited.append(slide["index"])
            shown += slide["outputs"]
            page.steps.shot(f"{width}x{height}-{slide['index']:02d}")
            where = f"module {module}, {width}x{height}, slide {slide['index'] + 1} ({slide['heading']!r})"
            assert slide["top"] >= -1 and slide["bottom"] <= height + 1, where  # the slide's box is on screen
            assert slide["left"] >= -1 and slide["right"] <= width + 1, where
            assert slide["scrollWidth"] <= slide["clientWidth"] + 1, where  # nothing cut off at the side
            if slide["prose"] and width == 1280:
                assert slide["prose"] * slide["scale"] >= PROSE_PX, where
            tall = slide["scrollHeight"] > slide["clientHeight"] + 1
            if tall:  # taller than the slide: it must scroll, and the Down arrow must reach its end
                assert slide["overflowY"] in {"auto", "scroll"}, where
                end = scroll_to_end(page, slide)
                assert end["scrollTop"] + end["clientHeight"] >= end["scrollHeight"] - 1, where
                page.steps.shot(f"{width}x{height}-{slide['index']:02d}-end")
            measured.append({"slide": slide["index"] + 1, "heading": slide["heading"], "widget": slide["widget"],
                             "outputs": slide["outputs"], "height": slide["scrollHeight"], "box": slide["clientHeight"],
                             "scrolls": tall})  # fmt: skip
            if slide["index"] == slide["count"] - 1:
                break
            slide = next_slide(page, slide)
        assert visited == list(range(slide["count"])), (width, height)  # every slide, in order
        assert shown == exhibits(module), (width, height)  # every figure and exercise was on a slide reached
        folder = ARTIFACTS / "slides"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{module}-{width}x{height}.json").write_text(json.dumps(measured, indent=1))
    assert errors == []  # among them, once, "MathJax is not defined" on every slide change


@pytest.mark.parametrize("slides_server", ["03", "05"], indirect=True)
def test_a_reload_on_an_exercise_slide_lays_it_out_as_the_arrows_do(page, slides_server):
    module = slides_server.module
    for width, height in RESOLUTIONS:
        page.set_viewport_size({"width": width, "height": height})
        open_deck(page, slides_server, module)
        slide, arrived = first_slide(page), {}
        while True:
            if slide["widget"]:
                arrived[page.url] = page.evaluate(WIDGET)
            if slide["index"] == slide["count"] - 1:
                break
            slide = next_slide(page, slide)
        assert arrived, "no exercise among the slides"
        for url, expected in arrived.items():
            page.goto(url, timeout=180_000)
            page.reload(timeout=180_000)  # the address keeps the slide
            page.locator(".reveal .slides > section.present .tc-widget button").first.wait_for(timeout=180_000)
            page.wait_for_function("() => document.fonts.status === 'loaded'")
            after = page.evaluate(WIDGET)
            page.steps.shot(f"{width}x{height}-reloaded-{url.rsplit('/', 1)[-1]}")
            assert abs(after["offset"] - expected["offset"]) <= 2, (url, after, expected)
            assert after["offset"] <= 40, (url, after)  # no empty space above the exercise
            assert after["buttonOnScreen"], (url, after)


def test_the_room_sees_the_votes_and_the_feedback_on_the_sorter(page, slides_server):
    open_deck(page, slides_server, "03")
    for width, height in RESOLUTIONS:
        page.set_viewport_size({"width": width, "height": height})
        page.reload(timeout=180_000)  # a new kernel: the sorter starts again at its first card
        open_deck(page, slides_server, "03")
        slide = first_slide(page)
        while "sort the vignettes" not in page.locator(".reveal .slides > section.present").inner_text().lower() \
                or not slide["widget"]:  # fmt: skip
            slide = next_slide(page, slide)
        sorter = page.locator(".reveal .slides > section.present .tc-widget").first
        sorter.locator(".tc-option").first.wait_for(timeout=30_000)
        sorter.locator(".tc-option").first.click()
        sorter.locator(".tc-check").click()
        sorter.get_by_text("waits for the presenter").wait_for(timeout=30_000)
        votes = sorter.locator(".widget-text input")
        for index in range(votes.count()):
            votes.nth(index).fill(str(2 + index))
            votes.nth(index).press("Enter")
        sorter.locator("button").filter(has_text="Show the room's votes").click()
        chart = sorter.locator("img").first
        chart.wait_for(timeout=30_000)
        page.wait_for_function(f"el => ({INSIDE})(el)", arg=chart.element_handle(), timeout=10_000)
        page.steps.shot(f"{width}x{height}-votes")
        sorter.locator("button").filter(has_text="Reveal answer").click()
        verdict = sorter.get_by_text("the expert label is").or_(sorter.get_by_text("Right:")).first
        verdict.wait_for(timeout=30_000)
        page.wait_for_function(f"el => ({INSIDE})(el)", arg=verdict.element_handle(), timeout=10_000)
        page.steps.shot(f"{width}x{height}-revealed")
