/* The curriculum's slides in a room (inlined into the page's head by index.html.j2).

   - Voila's reveal.js bundle re-renders MathJax on every slide change and throws when MathJax is not
     loaded; the modules have no mathematics, so an inert stand-in answers instead of a download.
   - Down and Up scroll the current slide when it is taller than the screen (in a flat deck reveal.js has
     nothing below to go to), unless the focus is in a control that uses those keys itself.
   - A slide that scrolls shows "More below" until its end is on screen.
   - After a presenter presses a button on a widget slide, what the widget adds (the room's votes, the
     feedback) is scrolled into view, keeping the top of it on screen. */
(function () {
  "use strict";

  window.MathJax = window.MathJax || { Hub: { getAllJax: function () { return null; }, Rerender: function () {} } };

  var STEP = 0.6; // of the slide's height per key press: the rest stays on screen, so the room keeps its place
  var OWN_ARROWS = "input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='radio'], " +
    "[role='radiogroup'], [role='listbox'], [role='option'], [role='slider'], [role='spinbutton'], " +
    "[role='tablist'], [role='tab'], [role='menu'], [role='menuitem'], [role='grid'], [role='tree']";

  function currentSlide() {
    return document.querySelector(".reveal .slides > section.present");
  }

  function updateHint(slide) {
    if (!slide) return;
    var below = slide.scrollHeight - slide.clientHeight - slide.scrollTop > 2;
    slide.classList.toggle("tc-more-below", below);
  }

  function onKeyDown(event) {
    var direction = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (!direction || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return; // a widget that handles the arrows itself has had them first
    }
    var target = event.target;
    if (target && target.closest && target.closest(OWN_ARROWS)) return;
    var slide = currentSlide();
    if (!slide) return;
    event.preventDefault();
    event.stopPropagation(); // reveal.js's own handler, on the document, would swallow the key
    slide.scrollTop += direction * Math.round(slide.clientHeight * STEP);
    updateHint(slide);
  }

  function boxesOf(slide, elements) {
    return elements.filter(function (element) {
      return element.isConnected && slide.contains(element);
    }).map(function (element) {
      return element.getBoundingClientRect();
    }).filter(function (box) {
      return box.height > 0 || box.width > 0;
    });
  }

  /* Scroll ``slide`` after a press on ``pressed`` changed ``elements``: what appeared below the button
     (votes, feedback) comes into view with its top on screen; failing that, what changed above it and is
     off screen (the next card) scrolls back into view. */
  function keepInView(slide, pressed, elements) {
    var view = slide.getBoundingClientRect();
    var scale = slide.offsetHeight ? view.height / slide.offsetHeight : 1; // reveal.js scales the slide
    var line = pressed.isConnected ? pressed.getBoundingClientRect().top : view.top;
    var boxes = boxesOf(slide, elements);
    var below = boxes.filter(function (box) { return box.top >= line; });
    var shown = below.length ? below : boxes;
    if (!shown.length) return;
    var top = Math.min.apply(null, shown.map(function (box) { return box.top; }));
    var bottom = Math.max.apply(null, shown.map(function (box) { return box.bottom; }));
    if (top < view.top) {
      slide.scrollTop -= (view.top - top) / scale + 8;
    } else if (bottom > view.bottom) {
      slide.scrollTop += Math.min(bottom - view.bottom, top - view.top) / scale + 8;
    }
    updateHint(slide);
  }

  /* After a press on a widget slide, watch what the widget changes until it settles, then show it. */
  function watchAfterPress(slide, pressed) {
    var changed = [];
    var settle = null;
    var observer = new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "childList") {
          record.addedNodes.forEach(function (node) { if (node.nodeType === 1) changed.push(node); });
        } else if (record.target.nodeType === 1 && record.target.offsetParent !== null) {
          changed.push(record.target); // shown by a style change (ipywidgets' layout.display)
        }
      });
      clearTimeout(settle);
      settle = setTimeout(finish, 250);
    });
    function finish() {
      observer.disconnect();
      if (slide === currentSlide()) keepInView(slide, pressed, changed);
    }
    observer.observe(slide, { childList: true, subtree: true, attributes: true, attributeFilter: ["style"] });
    settle = setTimeout(finish, 3000); // nothing changed: stop watching
  }

  function onPress(event) {
    var slide = currentSlide();
    var target = event.target;
    if (!slide || !target || !target.closest || !slide.contains(target)) return;
    if (event.type === "keydown" && !(event.key === "Enter" || event.key === " ")) return;
    var pressed = target.closest("button, .jupyter-button");
    if (pressed) watchAfterPress(slide, pressed);
  }

  function setUp() {
    var reveal = document.querySelector(".reveal");
    if (!reveal) return;
    document.querySelectorAll(".reveal .slides > section").forEach(function (slide) {
      var hint = document.createElement("div");
      hint.className = "tc-more";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "More below: press \u2193";
      slide.appendChild(hint);
      slide.addEventListener("scroll", function () { updateHint(slide); }, { passive: true });
      if (window.ResizeObserver) {
        var resized = new ResizeObserver(function () { updateHint(slide); });
        Array.prototype.forEach.call(slide.children, function (part) { resized.observe(part); });
      }
    });
    reveal.addEventListener("slidechanged", function (event) {
      if (event.currentSlide) event.currentSlide.scrollTop = 0; // every slide opens at its top
      updateHint(event.currentSlide);
    });
    reveal.addEventListener("ready", function () { updateHint(currentSlide()); });
    window.addEventListener("resize", function () { updateHint(currentSlide()); });
    // on the root element as the key bubbles: after the widgets' own handlers, before reveal.js's
    document.documentElement.addEventListener("keydown", onKeyDown);
    document.addEventListener("click", onPress, true);
    document.addEventListener("keydown", onPress, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
