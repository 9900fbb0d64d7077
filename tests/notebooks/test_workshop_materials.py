"""Workshop materials: a facilitator guide per module, and offline handouts that load nothing from the
network (opened in Chromium, where any request to another host fails the test)."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ROOT, SCRIPTS, tool_env
from trauma_curriculum.core.curriculum import MODULES

GUIDES = ROOT / "notebooks" / "facilitator"
SECTIONS = (
    "## Before the session",
    "## A 60-minute plan",
    "## A 90-minute plan",
    "## Discussion prompts",
    "## Misconceptions to expect, and how to answer them",
    "## Running a room vote with the sorter's workshop mode",
    "## Pacing trauma content in a room",
    "## Sources",
)


@pytest.mark.parametrize("module", list(MODULES))
def test_every_module_has_a_facilitator_guide(module, shared_runs):
    text = (GUIDES / f"{module}-facilitator-guide.md").read_text()
    assert text.startswith(f"# Facilitator guide: Module {module}")
    for section in SECTIONS:
        assert section in text, section
    assert "Leal" in text.split("## Sources", 1)[1]
    assert shared_runs(text) == []  # in our own words


def test_the_facilitator_readme_explains_presenting_and_handouts():
    text = (GUIDES / "README.md").read_text()
    for phrase in ("make present", "Presentation Mode", "make handouts", "RISE"):
        assert phrase in text, phrase


@pytest.mark.browser
def test_handouts_are_executed_and_load_nothing_from_the_network(tmp_path, page):
    target = tmp_path / "handouts"
    result = subprocess.run([str(SCRIPTS / "trauma-curriculum"), "handouts", "--output", str(target)],
                            cwd=ROOT, env=tool_env(), capture_output=True, text=True, timeout=900)  # fmt: skip
    assert result.returncode == 0, result.stderr
    handouts = sorted(target.glob("*.html"))
    assert [h.name[:2] for h in handouts] == list(MODULES)
    for handout in handouts:
        html = handout.read_text()
        assert not re.search(r"<script[^>]+src=\"https?://", html) and not re.search(
            r"<link[^>]+href=\"https?://", html
        )
        page.goto(handout.as_uri())
        assert page.locator("img[src^='data:image/png']").count() >= 1, handout.name  # figures executed in
        assert "import *" not in page.inner_text("body")  # code hidden
    page.steps.shot("last-handout")
