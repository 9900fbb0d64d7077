"""A module run, saved, closed and reopened the next day in the curriculum's JupyterLab shows how to start
each exercise, never "Error displaying widget: model not found"."""

from __future__ import annotations

import json
import time
import urllib.request

from browser_support import TOKEN, menu, open_notebook, run_all

from trauma_curriculum.teaching.lab import RUN_NOTE, WIDGET_VIEW

NOTEBOOK = "notebooks/00-start-here.ipynb"
EXERCISES = ("Module 00:", "Self-check: module 00")


def api(server, method: str, path: str):
    request = urllib.request.Request(f"{server.url}{path}?token={TOKEN}", method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else None


def saved(page, root, deadline: float = 60) -> dict:
    """The notebook file once the save has written the start line into it (waiting through the page, so
    Playwright keeps serving the page's requests meanwhile)."""
    path = root / NOTEBOOK
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        text = path.read_text(encoding="utf-8")
        if RUN_NOTE in text:
            return json.loads(text)
        page.wait_for_timeout(500)
    raise AssertionError(f"{NOTEBOOK} was not saved with the start line")


def test_a_saved_module_reopens_with_a_start_line_instead_of_a_widget_error(page, lab_server, tmp_path):
    steps = page.steps
    root = tmp_path / "curriculum"
    open_notebook(page, lab_server, NOTEBOOK)
    run_all(page, EXERCISES[0])
    for title in EXERCISES:
        page.locator(".tc-widget").filter(has_text=title).first.wait_for(timeout=60_000)
    steps.shot("ran-all")
    menu(page, "File", "Save Notebook")
    notebook = saved(page, root)
    outputs = [output for cell in notebook["cells"] for output in cell.get("outputs", [])]
    assert "widgets" not in notebook["metadata"]
    assert not [output for output in outputs if WIDGET_VIEW in output.get("data", {})]
    notes = [output for output in outputs if RUN_NOTE in "".join(output.get("data", {}).get("text/plain", ""))]
    assert len(notes) == len(EXERCISES)
    assert any("image/png" in output.get("data", {}) for output in outputs)  # the figures are kept

    # close it and end its kernel, as the end of a day does
    menu(page, "File", "Close Tab")
    for session in api(lab_server, "GET", "/api/sessions"):
        api(lab_server, "DELETE", f"/api/sessions/{session['id']}")
    assert api(lab_server, "GET", "/api/kernels") == []

    open_notebook(page, lab_server, NOTEBOOK)
    page.locator(".jp-Notebook h1").filter(has_text="Start here: relational trauma").wait_for(timeout=60_000)
    note = page.locator(".jp-OutputArea-output").filter(has_text=RUN_NOTE)
    note.first.wait_for(timeout=60_000)
    note.first.scroll_into_view_if_needed()
    steps.shot("reopened")
    assert note.count() == len(EXERCISES)
    text = page.locator("#jp-main-dock-panel").inner_text()
    assert "model not found" not in text and "Error displaying widget" not in text
    assert page.locator(".tc-widget").count() == 0  # nothing half-alive: the exercises start on Run All
