"""One unfolding case in the Voila slides, run by a presenter with a room vote at every stage."""

from __future__ import annotations

import re

import pytest
from browser_support import Server, curriculum_copy, free_port

from conftest import tool_env
from trauma_curriculum.core.labels import LABEL_NAMES
from trauma_curriculum.core.unfolding import load_cases
from trauma_curriculum.teaching.sorter import WORKSHOP_ENV

FIRST = load_cases()[0]  # the drill starts with the first case in id order
TITLE = "Unfolding cases: commit at each stage"


@pytest.fixture
def drill_slides(tmp_path):
    """The unfolding drill as reveal.js slides through Voila, in workshop mode, as `present` serves a module."""
    from trauma_curriculum.workshop.present import install_template, voila_command

    root = curriculum_copy(tmp_path)
    install_template()
    port = free_port()
    command = voila_command(root / "exercises" / "07-unfolding-cases.ipynb",
                            [f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1"])  # fmt: skip
    env = tool_env(**{WORKSHOP_ENV: "1", "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data")})
    server = Server(command, root, port, None, env)
    yield server
    server.stop()


def button(area, label: str):
    return area.locator("button").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first


def test_a_presenter_runs_one_case_stage_by_stage_with_the_room(page, drill_slides):
    steps = page.steps
    page.goto(f"{drill_slides.url}/", timeout=180_000)
    page.locator(".reveal .slides").wait_for(timeout=180_000)
    widget = page.locator(".tc-widget").filter(has_text=TITLE).first
    widget.wait_for(timeout=180_000)
    widget.scroll_into_view_if_needed()
    widget.get_by_text(FIRST.title, exact=True).wait_for(timeout=30_000)
    steps.shot("first-stage")
    for number, stage in enumerate(FIRST.stages, start=1):
        widget.get_by_text(f"stage {number} of {len(FIRST.stages)}").first.wait_for(timeout=30_000)
        votes = widget.locator(".widget-text input")
        for index in range(votes.count()):
            votes.nth(index).fill(str(index + 1))
            votes.nth(index).press("Enter")
        button(widget, "Show the room's votes").click()
        widget.locator("img").first.wait_for(timeout=30_000)
        assert "What this stage added" not in widget.inner_text()  # nothing given away before the reveal
        button(widget, "Reveal answer").click()
        widget.get_by_text("What this stage added").wait_for(timeout=30_000)
        text = " ".join(widget.inner_text().split())
        assert f"With what is known at this stage, the label is {LABEL_NAMES[stage.label]}" in text
        steps.shot(f"stage-{number}-revealed")
        if number < len(FIRST.stages):
            button(widget, "Next").click()
    text = " ".join(widget.inner_text().split())
    assert "How this case unfolded" in text
    assert (
        "The expert label, stage by stage: "
        + " → ".join(LABEL_NAMES[s.label].split(" (")[0] for s in FIRST.stages)
        in text
    )
