"""Keyboard and screen reader, in a real browser: a whole sort done with Tab, Enter and Space only, and an
axe-core audit of a module in JupyterLab and of a slide in Voila.

The audit fails on a serious or critical finding inside the curriculum's own widgets (``.tc-widget``);
what it finds in JupyterLab's or Voila's own interface is written to test-artifacts/axe/ (and printed),
because the curriculum cannot change it.
"""

from __future__ import annotations

import json

from browser_support import ARTIFACTS, audit, open_notebook, run_all, severe
from test_browser import go_to_slide_with

from trauma_curriculum.core.labels import LABEL_NAMES
from trauma_curriculum.teaching.sorter import VignetteSorter

ACTIVE = """() => { const a = document.activeElement;
  return a ? [a.className, a.textContent.trim(), a.closest('.tc-widget')?.querySelector('h3')?.textContent] : null; }"""


def active_is(page, selector: str, timeout: float = 30_000) -> None:
    """Wait until the focused element matches ``selector`` (focus moves once the kernel has answered)."""
    page.wait_for_function("s => document.activeElement && document.activeElement.matches(s)", arg=selector,
                           timeout=timeout)  # fmt: skip


def press(page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def style(page, selector: str, properties: list[str]) -> dict:
    return page.locator(selector).first.evaluate(
        "(node, names) => Object.fromEntries(names.map(n => [n, getComputedStyle(node)[n]]))", properties)


def test_a_whole_sort_with_tab_enter_and_space_only(page, lab_server):
    """Module 00's sorter from its first to its last card and a restart, by keyboard alone.

    The test starts where a keyboard user arrives at the exercise (on its first control, *Start again*,
    reached with Tab); from there it presses only Tab, Shift+Tab, Enter and Space.
    """
    steps = page.steps
    model = VignetteSorter.for_module("00")  # the same seed gives the browser the same order
    labels = list(model.labels)
    open_notebook(page, lab_server, "notebooks/00-start-here.ipynb")
    run_all(page, "Module 00:")
    sorter = page.locator(".tc-widget").filter(has_text="Module 00:").first
    sorter.locator(".tc-reset").focus()
    sorter.scroll_into_view_if_needed()
    disabled = style(page, ".tc-widget .tc-check", ["cursor", "borderTopStyle", "backgroundColor"])
    assert disabled["cursor"] == "not-allowed" and disabled["borderTopStyle"] == "dashed"
    press(page, "Tab")
    active_is(page, ".tc-widget .tc-option")
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert float(ring.removesuffix("px")) >= 3
    steps.shot("focus-on-first-option")

    for index, vignette in enumerate(model.order):
        sorter.get_by_text(vignette.title, exact=True).wait_for(timeout=30_000)
        target = labels.index(vignette.label)
        press(page, "Tab", target)
        press(page, "Space" if index % 2 == 0 else "Enter")
        chosen = sorter.locator(".tc-option[aria-pressed='true']")
        chosen.wait_for(timeout=30_000)
        assert LABEL_NAMES[vignette.label] in chosen.inner_text() and chosen.inner_text().startswith("\u2713")
        assert sorter.locator(".tc-option[aria-pressed='false']").count() == len(labels) - 1
        press(page, "Tab", len(labels) - target)
        active_is(page, ".tc-check:enabled")
        if index == 0:
            enabled = style(page, ".tc-widget .tc-check", ["cursor", "borderTopStyle", "backgroundColor"])
            assert enabled["borderTopStyle"] != "dashed" and enabled["backgroundColor"] != disabled["backgroundColor"]
            steps.shot("chosen")
        press(page, "Enter")
        active_is(page, ".tc-next")
        live = sorter.locator(".tc-live[aria-live='polite']").filter(has_text="Right:")
        live.wait_for(timeout=30_000)
        assert "Cues" in live.inner_text()
        if index == 0:
            steps.shot("checked-focus-on-next")
        press(page, "Enter")
        if index < len(model.order) - 1:
            active_is(page, ".tc-option")
            sorter.get_by_text(f"Item {index + 2} of {len(model.order)}").wait_for(timeout=30_000)

    active_is(page, ".tc-summary")
    assert f"Summary: {len(model.order)} of {len(model.order)} agreed" in sorter.inner_text()
    figure = sorter.locator("img[alt^='Grid of expert labels']")
    figure.wait_for(timeout=60_000)
    assert figure.evaluate("img => img.naturalWidth === img.width")  # shown at the size it was drawn
    steps.shot("summary")
    press(page, "Tab")
    active_is(page, ".tc-again")
    press(page, "Enter")
    active_is(page, ".tc-keep")
    assert "Start again?" in sorter.locator(".tc-live[aria-live='polite']").filter(has_text="Start again?").inner_text()
    steps.shot("asks-before-starting-again")
    press(page, "Shift+Tab")
    active_is(page, ".tc-yes")
    press(page, "Enter")
    active_is(page, ".tc-option")
    sorter.get_by_text(f"Item 1 of {len(model.order)}").wait_for(timeout=30_000)
    sorter.get_by_text(model.order[0].title, exact=True).wait_for(timeout=30_000)
    steps.shot("started-again")
    # before anything is chosen, Tab past the options leaves the exercise: the disabled Check is skipped
    # and Start again (above the card) is not next
    press(page, "Tab", len(labels))
    assert not sorter.evaluate("root => root.contains(document.activeElement)"), page.evaluate(ACTIVE)


def record(name: str, findings: dict[str, dict]) -> None:
    """Keep the audit's findings (the pass-time screenshots go, these stay) and print them."""
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(findings, indent=1))
    for state, found in findings.items():
        for part in ("ours", "host"):
            print(name, state, part, [(f["id"], f["impact"], len(f["targets"])) for f in found[part]])


def test_axe_finds_nothing_serious_in_the_widgets_of_a_module_in_jupyterlab(page, lab_server):
    open_notebook(page, lab_server, "notebooks/03-the-overlap.ipynb")
    run_all(page, "Module 03: sort the vignettes")
    for title in ("Explore the definitions", "Module 03: sort the vignettes", "Self-check: module 03"):
        assert page.locator(".tc-widget").filter(has_text=title).count() == 1, title  # what the audit covers
    sorter = page.locator(".tc-widget").filter(has_text="Module 03: sort the vignettes").first
    findings = {"ran all": audit(page)}
    sorter.locator(".tc-option").first.click()
    sorter.locator(".tc-option[aria-pressed='true']").wait_for(timeout=30_000)
    findings["chosen"] = audit(page)
    sorter.locator(".tc-check").click()
    sorter.locator(".tc-live").filter(has_text="the expert label is").or_(
        sorter.locator(".tc-live").filter(has_text="Right:")).first.wait_for(timeout=30_000)  # fmt: skip
    findings["checked"] = audit(page)
    sorter.locator(".tc-reset").click()
    sorter.locator(".tc-keep").wait_for(timeout=30_000)
    findings["asking to start again"] = audit(page)
    page.steps.shot("audited")
    record("jupyterlab-module-03", findings)
    assert {state: severe(found["ours"]) for state, found in findings.items()} == {state: [] for state in findings}


CONTRAST = """root => [...root.querySelectorAll('button:enabled')].map(button => {
  const rgb = value => value.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(c => { c /= 255; return c <= 0.03928 ? c / 12.92
      : ((c + 0.055) / 1.055) ** 2.4; }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const style = getComputedStyle(button), back = rgb(style.backgroundColor);
  if (back.length === 4 && back[3] === 0) return null;
  const [a, b] = [lum(rgb(style.color)), lum(back)].sort((x, y) => y - x);
  return [button.textContent.trim(), (a + 0.05) / (b + 0.05)];
}).filter(Boolean)"""


def test_axe_finds_nothing_serious_in_the_widgets_of_a_slide_in_voila(page, slides_server):
    sorter_title = "Module 03: sort the vignettes"
    page.goto(f"{slides_server.url}/", timeout=180_000)
    page.locator(".reveal .slides").wait_for(timeout=180_000)
    page.get_by_text(sorter_title).first.wait_for(state="attached", timeout=180_000)
    go_to_slide_with(page, sorter_title)
    slide = page.locator(".reveal .slides section.present:not(.stack)").filter(has_text=sorter_title).last
    sorter = slide.locator(".tc-widget").first
    sorter.locator(".tc-option").first.wait_for(timeout=30_000)
    findings = {"slide": audit(page)}
    sorter.locator(".tc-option").first.click()
    sorter.locator(".tc-option[aria-pressed='true']").wait_for(timeout=30_000)  # the helper runs in Voila too
    sorter.locator(".tc-check").click()
    sorter.locator(".tc-live[aria-live='polite']").filter(has_text="waits for the presenter").wait_for(timeout=30_000)
    votes = sorter.locator(".widget-text input")
    for index in range(votes.count()):
        votes.nth(index).fill(str(2 + index))
        votes.nth(index).press("Enter")
    sorter.locator("button").filter(has_text="Reveal answer").click()
    chart = sorter.locator("img")
    chart.first.wait_for(timeout=30_000)
    assert "The expert label is" in chart.first.get_attribute("alt")
    findings["revealed, with the room's votes"] = audit(page)
    ratios = sorter.evaluate(CONTRAST)  # axe leaves contrast undecided under reveal.js's layers
    assert ratios and all(ratio >= 4.5 for _, ratio in ratios), ratios
    page.steps.shot("audited")
    record("voila-slide-module-03", findings)
    assert {state: severe(found["ours"]) for state, found in findings.items()} == {state: [] for state in findings}
    assert all(image.get_attribute("alt") for image in slide.locator(".tc-widget img").all())
