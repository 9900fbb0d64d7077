"""What a trainee waits for: a teaching notebook's first cell (`import trauma_curriculum.notebook`)
against the floor of IPython, ipywidgets and matplotlib alone (run: make bench)."""

import subprocess
import sys

import pytest

from conftest import median_of

FLOOR = "import IPython, ipywidgets, matplotlib.figure"


def python(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


@pytest.mark.benchmark
def test_notebook_import_against_the_floor(record):
    record("import IPython, ipywidgets, matplotlib (the floor)", median_of(lambda: python(FLOOR), 5))
    record("import trauma_curriculum.notebook", median_of(lambda: python("import trauma_curriculum.notebook"), 5),
           "import IPython, ipywidgets, matplotlib (the floor)", "within 1.5x")
