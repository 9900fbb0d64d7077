"""Workshop materials: a facilitator guide per module, a presenter card, and handouts for paper that load
nothing from the network (opened in Chromium, where any request to another host fails the test), with the
exercises printed without keys and the keys on a separate sheet."""

from __future__ import annotations

import base64
import re
import subprocess
from html import escape

import nbformat
import pytest

from conftest import ROOT, SCRIPTS, tool_env
from trauma_curriculum.core.content import SIGNALS, load_self_check, load_statements
from trauma_curriculum.core.curriculum import MODULES
from trauma_curriculum.core.definitions import classify
from trauma_curriculum.core.labels import LABEL_NAMES
from trauma_curriculum.core.vignettes import load_bank
from trauma_curriculum.workshop.handouts import KEYS_FOLDER, figure_texts, for_paper, unmatched_labels

GUIDES = ROOT / "notebooks" / "facilitator"
SECTIONS = (
    "## Before the session",
    "## A 60-minute plan",
    "## A 90-minute plan",
    "## Discussion prompts",
    "## Misconceptions to expect, and how to answer them",
    "## Running a room vote with the sorter's workshop mode",
    "## Pacing trauma content in a room",
    "## Risk and disclosure in the room",
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


@pytest.mark.parametrize("module", list(MODULES))
def test_every_guide_says_how_to_handle_risk_or_a_disclosure_in_the_room(module):
    text = (GUIDES / f"{module}-facilitator-guide.md").read_text()
    section = text.split("## Risk and disclosure in the room", 1)[1].split("\n## ", 1)[0]
    for needed in ("limits of confidentiality", "supervis", "safeguarding", "emergency services",
                   "Do not promise secrecy", "local"):  # fmt: skip
        assert needed in section, (module, needed)


def test_the_module_05_guide_teaches_risk_in_depth():
    text = (GUIDES / "05-facilitator-guide.md").read_text()
    section = text.split("## Risk and disclosure in the room", 1)[1].split("\n## ", 1)[0]
    for heading in ("### Teaching the risk section", "### When a trainee discloses their own history",
                    "### When a trainee seems at risk now", "### When a disclosure shows a child harmed now"):  # fmt: skip
        assert heading in section, heading
    plans = text.split("## A 60-minute plan", 1)[1].split("## Discussion prompts", 1)[0]
    assert plans.count("Risk and safeguarding") == 2  # both plans give the module's risk section its time


def test_the_facilitator_readme_explains_presenting_and_handouts():
    text = " ".join((GUIDES / "README.md").read_text().split())
    for phrase in ("make present", "Presentation Mode", "make handouts", "RISE", "presenter-card.md",
                   KEYS_FOLDER, "right arrow"):  # fmt: skip
        assert phrase in text, phrase


def test_the_presenter_card_fits_one_page_and_covers_the_room(shared_runs):
    text = " ".join((GUIDES / "presenter-card.md").read_text().split())
    assert len(text.split()) <= 600  # one printed page
    for needed in ("Right arrow", "Down arrow", "reload", "item 1", "the room rejects the key",
                   "co-facilitator", "distress", "supervis", "emergency"):  # fmt: skip
        assert needed.lower() in text.lower(), needed
    assert shared_runs(text) == []


# -- handouts for paper, built from a stand-in for an executed module (no kernel needed) ------------------
PIXEL = base64.b64encode(b"\x89PNG\r\n\x1a\n stand-in").decode()


def executed(cells: list[tuple[str, str]]):
    """A module as the handout builder gets it after execution: each code cell has its widget output, or
    its figure's image when the call draws a figure."""
    notebook = nbformat.v4.new_notebook()
    for kind, source in cells:
        if kind == "markdown":
            notebook.cells.append(nbformat.v4.new_markdown_cell(source))
            continue
        data = ({"image/png": PIXEL} if source.endswith("_figure()") else
                {"application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2}})  # fmt: skip
        notebook.cells.append(nbformat.v4.new_code_cell(source, outputs=[
            nbformat.v4.new_output("display_data", data=data)]))  # fmt: skip
    notebook.metadata["widgets"] = {"state": {}}
    return notebook


def shown(cell) -> str:
    return " ".join(cell.outputs[0]["data"]["text/html"].split())


def test_paper_exercises_print_the_cards_questions_and_statements_without_their_keys():
    notebook = executed([
        ("markdown", "## Sort the vignettes\n\nRead each card, choose a label, then press *Check*.\n\nAsk who and when."),
        ("code", 'VignetteSorter.for_module("03")'),
        ("markdown", "## Self-check\n\nClick the letter of your answer, then *Check*."),
        ("code", 'SelfCheck.for_module("03")'),
        ("code", "CueSpotter()"),
        ("code", "TreatmentMatcher()"),
    ])  # fmt: skip
    keys, _notes = for_paper(notebook, ROOT)
    sorter, check, cues, matcher = (shown(cell) for cell in notebook.cells if cell.cell_type == "code")
    key = " ".join(" ".join(keys).split())
    cards = [v for v in load_bank(ROOT / "exercises" / "vignettes") if "03" in v.modules]
    for card in cards:
        assert escape(card.title) in sorter and escape(card.text[:50]) in sorter
        assert escape(card.rationale[:60]) not in sorter and escape(card.rationale[:60]) in key
    assert f"Card {len(cards)} of {len(cards)}" in sorter and "Insufficient information" in sorter
    for question in load_self_check("03"):
        prompt, explanation = escape(" ".join(question.prompt.split())[:50]), escape(question.explanation[:50])
        assert prompt in check and explanation not in check and explanation in key
    for statement in load_statements():
        text, explanation = escape(statement.text[:40]), escape(statement.explanation[:40])
        assert text in cues and explanation not in cues and explanation in key
    assert all(escape(name) in cues for name in SIGNALS.values())
    assert "needs the live notebook" in matcher  # no paper version: a note, not a button to press
    prose = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "press" not in prose and "Click" not in prose  # screen instructions left out
    assert "## Sort the vignettes" in prose and "Ask who and when." in prose
    assert "widgets" not in notebook.metadata


def test_the_printed_explorer_gives_histories_to_label_and_keys_them_with_the_definitions():
    notebook = executed([
        ("markdown", "## Explore the definitions\n\n1. Press **What if it happened at 3?**\n2. Tick **age unknown**."),
        ("code", "DefinitionsExplorer()"),
    ])  # fmt: skip
    keys, _notes = for_paper(notebook, ROOT)
    explorer = shown(notebook.cells[1])
    assert "History 1: a primary caregiver, beginning at age 3" in explorer
    assert not re.search(r"\b(press|tick|click)\b.*\b(What if|age unknown)", explorer, re.IGNORECASE)
    assert "What if" not in notebook.cells[0].source and "## Explore the definitions" in notebook.cells[0].source
    attachment = LABEL_NAMES[classify([{"relationship": "primary_caregiver", "age_at_onset": 3}]).label]
    unknown = LABEL_NAMES[classify([{"relationship": "primary_caregiver", "age_at_onset": None}]).label]
    assert f"<td>1</td><td>{attachment}</td>" in keys[0] and f"<td>4</td><td>{unknown}</td>" in keys[0]
    assert attachment not in explorer.split("History 1", 1)[1].split("&#9744;", 1)[0]  # the row names no label


def test_a_figure_description_that_names_what_the_figure_lacks_is_replaced_and_reported():
    title, texts = figure_texts("subset_figure()")
    assert title and "Relational trauma" in texts
    good = '*Figure description: a circle labelled "Relational trauma: a wound inside any relationship of trust or dependence, at any age".*'
    assert unmatched_labels(good, [title, *texts]) == []
    assert unmatched_labels('"Attachment trauma: the blueprint"', [title, *texts]) == ["Attachment trauma: the blueprint"]
    wrong = 'Two circles. *Figure description: a circle labelled "Trauma of every kind".* Then more.'
    notebook = executed([("markdown", wrong), ("code", "subset_figure()"), ("markdown", good), ("code", "subset_figure()")])
    _keys, notes = for_paper(notebook, ROOT, where="module.ipynb")
    assert len(notes) == 1 and "module.ipynb" in notes[0] and '"Trauma of every kind"' in notes[0]
    assert notebook.cells[0].source == "Two circles.  Then more." and notebook.cells[2].source == good
    replaced, kept = shown(notebook.cells[1]), shown(notebook.cells[3])
    assert "<figcaption>Figure description: a figure titled" in replaced and title in replaced
    assert "figcaption" not in kept and 'alt="Figure description: a figure titled "' not in kept
    assert all(f"data:image/png;base64,{PIXEL}" in figure for figure in (replaced, kept))


@pytest.mark.browser
def test_handouts_are_executed_and_load_nothing_from_the_network(tmp_path, page):
    target = tmp_path / "handouts"
    result = subprocess.run([str(SCRIPTS / "trauma-curriculum"), "handouts", "--output", str(target)],
                            cwd=ROOT, env=tool_env(), capture_output=True, text=True, timeout=900)  # fmt: skip
    assert result.returncode == 0, result.stderr
    handouts = sorted(target.glob("*.html"))
    assert [h.name[:2] for h in handouts] == list(MODULES)
    sheets = sorted((target / KEYS_FOLDER).glob("*-key.html"))
    assert [s.name[:2] for s in sheets] == list(MODULES)  # a key sheet per module, apart from the handouts
    bank = load_bank(ROOT / "exercises" / "vignettes")
    for handout, sheet in zip(handouts, sheets, strict=True):
        html = handout.read_text()
        assert not re.search(r"<script[^>]+src=\"https?://", html) and not re.search(
            r"<link[^>]+href=\"https?://", html
        )
        page.goto(handout.as_uri())
        assert page.locator("img[src^='data:image/png']").count() >= 1, handout.name  # figures executed in
        text = " ".join(page.inner_text("body").split())
        assert "import *" not in text  # code hidden
        on_screen = r"\bclick|\bpress(ing)? (Check|What if)|\btick (Add|age unknown)|Run All Cells"
        assert not re.search(on_screen, text, re.IGNORECASE), handout.name  # no buttons to press on paper
        assert page.locator(".tc-paper").count() >= 4, handout.name  # cards and questions to work on paper
        key = " ".join(sheet.read_text().split())
        for question in load_self_check(handout.name[:2]):
            explanation = " ".join(question.explanation.split())
            assert explanation not in text and escape(explanation) in key, handout.name
        for card in (v for v in bank if handout.name[:2] in v.modules):
            assert " ".join(card.rationale.split()) not in text, (handout.name, card.id)
        assert all(image.get_attribute("alt").startswith("Figure description") for image in page.locator("img").all())
        page.emulate_media(media="print")
        breaks = page.evaluate("""() => [...document.querySelectorAll('h1, h2, h3, h4')].map(h =>
            getComputedStyle(h).breakAfter)""")  # fmt: skip
        assert set(breaks) == {"avoid"}, handout.name  # a heading stays with what follows it
        assert page.locator(".tc-paper").first.evaluate("box => getComputedStyle(box).breakInside") == "avoid"
        page.emulate_media(media="screen")
    page.steps.shot("last-handout")
