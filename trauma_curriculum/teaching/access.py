"""What a keyboard and a screen reader need from an exercise, which ipywidgets cannot give by itself.

ipywidgets has no traits for ``aria-pressed`` or ``aria-live``, and its ``focus()`` message is lost when
it reaches a button before the button is enabled or drawn. :class:`Access` is a tiny, invisible widget
(an ``anywidget``: its script travels with it, so nothing is built or fetched) placed inside each
exercise. In the browser it:

- keeps ``aria-pressed`` on every option button in step with the ``tc-chosen`` class Python sets;
- makes every ``tc-live`` element a polite live region, so feedback is read out when it appears;
- names each slider for a screen reader after its visible description;
- moves focus where Python asks (:meth:`Access.move_focus`), waiting until the target is drawn and
  enabled, unless the reader has meanwhile gone elsewhere (another cell, a menu);
- ships the styles: a focus ring that is clearly visible, buttons that look disabled when they are,
  and button colours with enough contrast for their text.

Python names the parts with CSS classes (``_dom_classes``); the script looks them up inside the
exercise's own root (``tc-widget``), never elsewhere on the page.
"""

from __future__ import annotations

import anywidget
import traitlets

#: The class on the root of every exercise (styles and the script's look-ups are scoped to it).
ROOT_CLASS = "tc-widget"

_ESM = r"""
const FRAMES = 240;  // how long a focus request waits for its target to be drawn and enabled

function usable(node) {
  return node && !node.disabled && node.offsetParent !== null;
}

function label(root) {
  for (const button of root.querySelectorAll("button.tc-option")) {
    button.setAttribute("aria-pressed", button.classList.contains("tc-chosen") ? "true" : "false");
  }
  for (const live of root.querySelectorAll(".tc-live")) {
    if (live.getAttribute("aria-live") !== "polite") live.setAttribute("aria-live", "polite");
  }
  for (const slider of root.querySelectorAll(".widget-slider")) {
    const name = slider.querySelector(".widget-label")?.textContent?.trim();
    const handle = slider.querySelector("[role=slider]");
    if (name && handle && handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
  }
}

function render({ model, el }) {
  el.classList.add("tc-access");
  let root = null;
  let seen = (model.get("focus") || {}).serial || 0;

  function attach(frames) {
    root = el.closest(".tc-widget");
    if (!root) {
      if (frames > 0) requestAnimationFrame(() => attach(frames - 1));
      return;
    }
    label(root);
    const observer = new MutationObserver(() => label(root));
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
  }

  function focus(selector, frames) {
    const target = root && [...root.querySelectorAll(selector)].find(usable);
    if (!target) {
      if (frames > 0) requestAnimationFrame(() => focus(selector, frames - 1));
      return;
    }
    // never take focus from somewhere else the reader has gone meanwhile (another cell, a menu)
    const active = document.activeElement;
    if (active && !root.contains(active) && !active.contains(root)) return;
    if (!target.matches("button, input, select, textarea, [tabindex]")) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  function requested() {
    const request = model.get("focus") || {};
    if (!request.serial || request.serial === seen) return;
    seen = request.serial;
    focus(request.target, FRAMES);
  }

  attach(FRAMES);
  model.on("change:focus", requested);
  return () => model.off("change:focus", requested);
}

export default { render };
"""

_CSS = """
.tc-access { display: none; }
.tc-widget :focus-visible {
  outline: 3px solid #0b57d0 !important;
  outline-offset: 2px;
  box-shadow: 0 0 0 5px #ffffff !important;
}
.tc-widget .jupyter-button.mod-primary:enabled { background-color: #0b57d0; color: #ffffff; }
.tc-widget .jupyter-button.mod-info:enabled { background-color: #005a70; color: #ffffff; }
.tc-widget .jupyter-button.mod-warning:enabled { background-color: #8a4600; color: #ffffff; }
.tc-widget .jupyter-button.tc-chosen { font-weight: bold; }
.tc-widget .jupyter-button:disabled {
  background-color: #ececec !important;
  color: #5e5e5e !important;
  border: 1px dashed #8c8c8c !important;
  box-shadow: none !important;
  opacity: 1 !important;
  cursor: not-allowed;
}
"""


class Access(anywidget.AnyWidget):
    """The invisible helper inside an exercise: labels, live regions, styles and focus moves."""

    _esm = _ESM
    _css = _CSS
    #: The last focus request: a CSS selector inside the exercise and a serial number (so the same
    #: target can be asked for twice in a row).
    focus = traitlets.Dict({"target": "", "serial": 0}).tag(sync=True)

    def move_focus(self, selector: str) -> None:
        """Ask the browser to focus the first usable element matching ``selector`` inside the exercise."""
        self.focus = {"target": selector, "serial": self.focus["serial"] + 1}


def accessible(box, access: Access | None = None) -> Access:
    """Mark ``box`` as an exercise's root and give it an :class:`Access` helper (returned)."""
    access = access or Access()
    box.add_class(ROOT_CLASS)
    box.children = (access, *box.children)
    return access
