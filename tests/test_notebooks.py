"""What every notebook must be, read from the files as committed (nbval runs them separately)."""

import re
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from trauma_curriculum.content import CONTENT_DIR
from trauma_curriculum.vignettes import load_bank

pytestmark = pytest.mark.unit

TEACHING = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
GRADED = sorted((ROOT / "source").glob("*/*.ipynb")) + sorted((ROOT / "release").glob("*/*.ipynb"))
ALL = TEACHING + GRADED
SHARED_RUN = 12  # words in a row that may not be shared with the seed article outside quotation marks


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


def _words(text: str) -> list[str]:
    text = text.replace("\u2019", "'").replace("\u2014", " ").lower()
    return re.findall(r"[a-z0-9']+", text)


def _outside_quotes(text: str) -> str:
    """Drop quoted passages ("..." or “...”): a short quotation with attribution is allowed."""
    return re.sub(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d", " ", text)


@pytest.fixture(scope="session")
def shared_runs(seed_text):
    """A function listing every run of SHARED_RUN words that a text shares with the seed article."""
    seed = _words(seed_text)
    runs = {tuple(seed[i : i + SHARED_RUN]) for i in range(len(seed) - SHARED_RUN + 1)}

    def find(text: str) -> list[str]:
        words = _words(_outside_quotes(text))
        return [" ".join(words[i : i + SHARED_RUN]) for i in range(len(words) - SHARED_RUN + 1)
                if tuple(words[i : i + SHARED_RUN]) in runs]  # fmt: skip

    return find


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
    copied = " ".join(_words(seed_text)[200:215])
    assert shared_runs(f"As we teach, {copied}.")
    assert shared_runs(f'As the article puts it, "{copied}" (Leal).') == []
