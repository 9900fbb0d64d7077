"""What every notebook must be, read from the files as committed (nbval runs them separately)."""

import re
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from trauma_curriculum.core.content import CONTENT_DIR
from trauma_curriculum.core.curriculum import MODULES as CURRICULUM
from trauma_curriculum.core.definitions import classify
from trauma_curriculum.core.labels import LABELS
from trauma_curriculum.core.vignettes import load_bank

TEACHING = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
GRADED = sorted((ROOT / "source").glob("*/*.ipynb")) + sorted((ROOT / "release").glob("*/*.ipynb"))
ALL = TEACHING + GRADED


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def read(path: Path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", ALL, ids=name)
def test_no_stored_outputs(path):
    for cell in read(path).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name(path)} stores outputs: clear them"
            )


@pytest.mark.parametrize("path", TEACHING, ids=name)
def test_code_cells_are_one_collapsed_line(path):
    """Trainees are clinicians: every code cell is one line calling the package, and it is collapsed."""
    code = [cell for cell in read(path).cells if cell.cell_type == "code"]
    assert code, f"{name(path)} has no exercise or figure"
    for cell in code:
        assert len(cell.source.strip().splitlines()) == 1, cell.source
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.source
        assert re.match(
            r"^(from trauma_curriculum\.notebook import \*|[A-Za-z_]+(\.[A-Za-z_]+)?\()", cell.source
        )


@pytest.mark.parametrize("path", TEACHING + sorted((ROOT / "source").glob("*/*.ipynb")), ids=name)
def test_opens_with_a_content_note_and_support(path):
    first = read(path).cells[0]
    assert first.cell_type == "markdown"
    assert "**Content note.**" in first.source
    assert re.search(r"support", first.source, re.IGNORECASE)
    assert "supervisor" in first.source


@pytest.mark.parametrize("path", ALL, ids=name)
def test_every_sentence_is_our_own(path, shared_runs):
    text = "\n".join(cell.source for cell in read(path).cells)
    assert shared_runs(text) == []


def test_the_vignette_bank_and_practice_content_are_in_our_own_words_too(shared_runs):
    for vignette in load_bank():
        assert shared_runs(f"{vignette.text} {vignette.rationale}") == [], vignette.id
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        assert shared_runs(path.read_text()) == [], path.name
    assert shared_runs((ROOT / "README.md").read_text(encoding="utf-8")) == [], "README.md"


def test_the_overlap_check_catches_a_copied_sentence_but_allows_a_quotation(shared_runs, seed_text):
    copied = " ".join(seed_text.split()[200:215])
    assert shared_runs(f"As we teach, {copied}.")
    assert shared_runs(f'As the article puts it, "{copied}" (Leal).') == []


MODULES = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def test_every_module_of_the_curriculum_has_a_notebook():
    assert [path.name[:2] for path in MODULES] == list(CURRICULUM)


@pytest.mark.parametrize("path", MODULES, ids=name)
def test_module_structure(path):
    """Content note first, objectives, a figure with alt text beside it, an exercise, a self-check, an
    optional private reflection about cases, and Sources that cite the seed article."""
    cells = read(path).cells
    number = path.name[:2]
    markdown = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    assert "## Learning objectives" in markdown
    figures = [
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "code" and re.match(r"^\w+_figure\(\)$", cell.source)
    ]
    assert figures, "no figure"
    for index in figures:
        assert "Figure description:" in cells[index - 1].source, f"no alt text beside {cells[index].source}"
    code = [cell.source for cell in cells if cell.cell_type == "code"]
    exercises = [src for src in code if not src.startswith("from ") and not src.endswith("_figure()")]
    assert any(not src.startswith("SelfCheck") for src in exercises), "no interactive exercise"
    assert f'SelfCheck.for_module("{number}")' in code
    reflection = markdown.split("## Reflection (optional and private)", 1)
    assert len(reflection) == 2, "no optional reflection"
    assert re.search(r"optional", reflection[1][:600]) and re.search(
        r"private|not collected", reflection[1][:600]
    )
    sources = markdown.split("## Sources", 1)
    assert len(sources) == 2 and "Leal" in sources[1], "no Sources section citing the seed article"


@pytest.mark.parametrize("path", MODULES[1:], ids=name)
def test_module_reading_is_twenty_to_forty_minutes(path):
    """1,800 to 3,200 words of prose, plus the exercises, is about 20 to 40 minutes for a careful reader."""
    words = sum(len(cell.source.split()) for cell in read(path).cells if cell.cell_type == "markdown")
    assert 1800 <= words <= 3200, words


@pytest.mark.parametrize("path", TEACHING, ids=name)
def test_no_prompt_asks_about_the_trainees_own_history(path):
    text = "\n".join(cell.source for cell in read(path).cells if cell.cell_type == "markdown").lower()
    for pattern in (
        r"your (own )?(childhood|parents|upbringing|trauma history)",
        r"think (back )?about your own",
    ):
        assert not re.search(pattern, text), pattern


@pytest.mark.parametrize("path", MODULES, ids=name)
def test_modules_carry_slide_metadata_for_presenting(path):
    """Every cell has a slide type; the setup cell is skipped; each figure and exercise sits on a slide
    of its own (it starts a slide, and so does whatever follows it)."""
    cells = read(path).cells
    kinds = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in cells]
    assert None not in kinds and kinds[0] == "slide"
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        if cell.source.startswith("from "):
            assert kinds[index] == "skip"
        else:
            assert kinds[index] in {"slide", "subslide"}, cell.source
            following = [k for k in kinds[index + 1 :] if k != "skip"]
            assert not following or following[0] in {"slide", "subslide"}, cell.source


def test_the_teaching_choices_are_stated_where_they_are_taught():
    """The threshold for an early caregiving wound (module 02 and the definitions' reasons) and the rule
    that unreported wounds count as absent (module 03) are said, and said to be choices."""
    threshold = next(p for p in before_sources("02").split("\n\n") if "Where this curriculum draws the line" in p)
    for phrase in ("teaching choice", "repeated frightening, neglectful, humiliating or controlling care",
                   "little repair", "need not be constant", "good-enough"):  # fmt: skip
        assert phrase in " ".join(threshold.split()), phrase
    reasons = " ".join(classify([{"relationship": "primary_caregiver", "age_at_onset": 2}]).reasons)
    assert "little repair" in reasons and "good-enough imperfect care" in reasons and "teaching choice" in reasons
    assert "Unreported wounds count as absent" in before_sources("03")


def test_start_here_says_how_to_look_after_yourself_and_what_comes_first_when_someone_is_at_risk():
    section = before_sources("00").split("## Looking after yourself", 1)[1].split("\n## ", 1)[0]
    assert "secondary traumatic stress" in section and "supervision" in section
    assert "safeguarding" in section and "Module 05" in section


@pytest.mark.parametrize("path", TEACHING + sorted(CONTENT_DIR.glob("selfcheck-*.yaml")), ids=name)
def test_sources_are_cited_where_their_ideas_appear(path):
    """Developmental Trauma Disorder is van der Kolk's (2005) proposal; the Adult Attachment Interview is
    dated (George, Kaplan & Main, 1985/1996) wherever its authors are named."""
    raw = path.read_text() if path.suffix == ".yaml" else "\n".join(cell.source for cell in read(path).cells)
    text = " ".join(raw.split())
    if "Developmental Trauma Disorder" in text:
        assert "van der Kolk" in text
    for mention in re.finditer(r"George, Kaplan (&|and) Main", text):
        assert "1985/1996" in text[mention.end() : mention.end() + 12], text[mention.start() : mention.end() + 20]


def before_sources(module: str) -> str:
    """A module's markdown up to its Sources section (where every source is named, in full)."""
    (path,) = (ROOT / "notebooks").glob(f"{module}-*.ipynb")
    text = "\n".join(cell.source for cell in read(path).cells if cell.cell_type == "markdown")
    return text.split("## Sources", 1)[0]


def test_module_06_never_lets_the_label_choose_the_treatment():
    text = " ".join(before_sources("06").split())
    assert not re.search(r"(relational wound|label|history) (decides|guides|sets|chooses) the focus", text)
    assert "a label never selects a treatment by itself" in text
    assert "ISTSS" in text and "NICE NG116" in text
    assert "Neither makes that depend on whether the trauma happened inside a relationship" in text
    assert "Tronick and Gianino (1986)" in text and "Safran & Muran, 2000" in text  # both senses of repair


def test_module_05_says_what_a_clinician_does_first_when_someone_is_at_risk():
    section = before_sources("05").split("## Risk and safeguarding: what comes first", 1)[1].split("\n## ", 1)[0]
    section = " ".join(section.split())
    for needed in ("suicide and self-harm", "child being harmed now", "safeguarding or reporting duty",
                   "supervisor", "local law", "Current risk"):  # fmt: skip
        assert needed in section, needed


def test_module_05s_sorter_shows_current_risk_and_every_label():
    """The risk section points to current-risk feedback in this module's sorter: it must have such cards."""
    import trauma_curriculum.notebook as facade

    (path,) = (ROOT / "notebooks").glob("05-*.ipynb")
    (cell,) = [c.source for c in read(path).cells if c.cell_type == "code" and "VignetteSorter" in c.source]
    sorter = eval(cell, vars(facade))  # the notebook's own one-line cell
    assert any(v.current_risk is not None for v in sorter.order)
    assert {v.label for v in sorter.order} == set(LABELS)


@pytest.mark.parametrize("number", list(CURRICULUM))
def test_repeated_concepts_are_retrieval_prompts_pointing_to_their_full_treatment(number):
    """Working models (module 02), the Schore/Zagaria caveat (03) and Complex PTSD (04) are treated in full
    once; every other module only prompts the reader to retrieve them."""
    for paragraph in before_sources(number).split("\n\n"):
        flat = " ".join(paragraph.split())  # a line break may fall inside "Retrieval prompt"
        for term, home in (("working model", "02"), ("Zagaria", "03"), ("6B41", "04")):
            if term in flat and number != home:
                assert "Retrieval prompt" in flat and f"module {home}" in flat, flat[:80]
