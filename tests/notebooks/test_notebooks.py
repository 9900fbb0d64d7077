"""What every notebook must be, read from the files as committed (nbval runs them separately)."""

import re
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from trauma_curriculum.core.content import CONTENT_DIR
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


def test_the_overlap_check_catches_a_copied_sentence_but_allows_a_quotation(shared_runs, seed_text):
    copied = " ".join(seed_text.split()[200:215])
    assert shared_runs(f"As we teach, {copied}.")
    assert shared_runs(f'As the article puts it, "{copied}" (Leal).') == []


MODULES = sorted((ROOT / "notebooks").glob("0[0-7]-*.ipynb"))


def test_there_are_eight_modules():
    assert [path.name[:2] for path in MODULES] == ["00", "01", "02", "03", "04", "05", "06", "07"]


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
