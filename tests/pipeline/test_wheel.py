"""A normal install works: the wheel holds every template and content file and no key, and, installed
in a fresh virtual environment (not editable), it finds the bank from the curriculum's folder, draws a
figure, finds the slide template and runs a teaching notebook."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from test_nbgrader_pipeline import ASSIGNMENTS, secrets

from conftest import ROOT, SCRIPTS, tool_env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("wheel")
    # built from a clean copy: setuptools leaves build/ in the source tree, and stale files there would
    # slip into a wheel built later
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "trauma_curriculum", source / "trauma_curriculum",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    result = subprocess.run([str(SCRIPTS / "python"), "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(target),
                             str(source)], env=tool_env(), capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    (built,) = target.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed (no -e); its dependencies are the test venv's, added by a
    .pth file after the venv's own site-packages, so the repository's editable copy is never seen."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())  # fmt: skip
    (site / "zz-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                             str(wheel)], capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return python


def test_the_wheel_holds_the_package_data_and_no_key(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        everything = " ".join(" ".join(archive.read(n).decode("utf-8", "replace").split()) for n in names)
    assert all(n.startswith(("trauma_curriculum/", "trauma_curriculum-")) for n in names)
    for data in ("trauma_curriculum/core/data/selfcheck-01.yaml", "trauma_curriculum/supervisor/report/templates/report.html.j2",
                 "trauma_curriculum/workshop/voila_template/index.html.j2", "trauma_curriculum/workshop/voila_template/conf.json"):  # fmt: skip
        assert data in names, data
    for assignment in ASSIGNMENTS:
        for secret in secrets(assignment):
            assert secret not in everything, secret


def test_an_installed_wheel_runs_the_curriculum_from_its_folder(installed, tmp_path):
    curriculum = tmp_path / "curriculum"
    for folder in ("notebooks", "exercises"):
        shutil.copytree(ROOT / folder, curriculum / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    script = f"""
import trauma_curriculum, nbformat
from pathlib import Path
assert '{ROOT}' not in trauma_curriculum.__file__, trauma_curriculum.__file__
from trauma_curriculum.core.vignettes import load_bank
from trauma_curriculum.teaching import charts, diagrams
from trauma_curriculum.workshop.present import install_template
print('bank', len(load_bank()))
print('png', charts.to_png(diagrams.subset_figure())[:4] == b'\\x89PNG')
template = install_template(Path('{tmp_path}') / 'prefix')
print('template', (template / 'index.html.j2').is_file(), (template / 'static' / 'revealjs' / 'dist').is_dir())
from nbclient import NotebookClient
path = Path('03-the-overlap.ipynb').resolve()
notebook = nbformat.read(path, as_version=4)
NotebookClient(notebook, timeout=300, kernel_name='python3', resources={{'metadata': {{'path': str(path.parent)}}}}).execute()
errors = [o for c in notebook.cells for o in c.get('outputs', []) if o.output_type == 'error']
print('notebook errors', len(errors))
"""
    env = {k: v for k, v in tool_env().items() if k != "PYTHONPATH"}
    result = subprocess.run([str(installed), "-c", script], cwd=curriculum / "notebooks", env=env,
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.split("\n")
    assert any(line.startswith("bank ") and int(line.split()[1]) >= 80 for line in lines), result.stdout
    assert "png True" in lines and "template True True" in lines and "notebook errors 0" in lines, result.stdout
