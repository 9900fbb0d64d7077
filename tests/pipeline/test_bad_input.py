"""Bad input to the supervisor's commands: one clear line on stderr, a non-zero exit status, no traceback,
and nothing written where nothing should be (issue 19's probes, each with its message and status).

Most probes call the command's ``main`` in this process (a subprocess per probe costs seconds of imports);
two run the installed ``trauma-curriculum`` script, to show it behaves the same."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SCRIPTS, make_course, tool_env
from nbgrader_helpers import nbgrader
from trauma_curriculum.cli import main
from trauma_curriculum.supervisor.trainee_pack import stray_files

A1 = "a1-foundations"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course with a released assignment (so a gradebook) and a submitted/ folder, nothing graded."""
    course = make_course(tmp_path_factory.mktemp("bad-input") / "course")
    assert nbgrader(course, "generate_assignment", A1, "--force").returncode == 0
    (course / "submitted").mkdir()
    (course / "a-folder").mkdir()
    (course / "a-file").write_text("not a folder")
    return course


def script(course: Path, *args: str, gradebook: Path | None = None) -> subprocess.CompletedProcess:
    """The installed command, in its own process."""
    extra = {"TRAUMA_CURRICULUM_DB_URL": f"sqlite:///{gradebook}"} if gradebook else {}
    return subprocess.run([str(SCRIPTS / "trauma-curriculum"), *args], cwd=course, capture_output=True, text=True,
                          env=tool_env(**extra), timeout=600)  # fmt: skip


@pytest.fixture
def cli(monkeypatch, capsys):
    """The command's main() in this process, in a course, optionally with another gradebook."""

    def run(course: Path, *args: str, gradebook: Path | None = None) -> subprocess.CompletedProcess:
        monkeypatch.chdir(course)
        if gradebook:
            monkeypatch.setenv("TRAUMA_CURRICULUM_DB_URL", f"sqlite:///{gradebook}")
        else:
            monkeypatch.delenv("TRAUMA_CURRICULUM_DB_URL", raising=False)
        try:
            status = main(list(args))
        except SystemExit as exit:  # what argparse raises for a bad option
            status = exit.code
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, status, out.out, out.err)

    return run


def one_line(result: subprocess.CompletedProcess) -> str:
    """The command's only line of output, on stderr (asserting there is exactly one and no traceback)."""
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and not result.stdout.strip(), result.stdout + result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("bank", "--directory", "/nope"), 1, "/nope: no such folder"),
        (("trainee-pack", "--output", "a-folder"), 1, "a-folder is a folder; --output takes the zip file's name"),
        (("report", A1, "--output", "a-file"), 1, "a-file is a file; --output takes a folder"),
        (("export", "--output", "a-folder"), 1, "a-folder is a folder; --output takes the CSV file's name"),
        (("report", A1, "--mastery-kappa", "nan"), 2, "--mastery-kappa: 'nan' is not a number from 0 to 1"),
        (("report", A1, "--mastery-kappa", "2"), 2, "--mastery-kappa: '2' is not a number from 0 to 1"),
        (("report", A1, "--mastery-kappa", "-1"), 2, "--mastery-kappa: '-1' is not a number from 0 to 1"),
        (("report", A1, "--mastery-agreement", "5"), 2, "--mastery-agreement: '5' is not a number from 0 to 1"),
        (("demo-cohort", "--trainees", "0"), 2, "--trainees: '0' is not a whole number of 1 or more"),
        (("demo-cohort", "--trainees", "-3"), 2, "--trainees: '-3' is not a whole number of 1 or more"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_a_bad_option_is_one_line_and_a_failing_status(cli, course, args, status, message):
    result = cli(course, *args)
    assert result.returncode == status
    assert message in one_line(result)


def _truncated(course: Path, target: Path) -> Path:
    data = (course / "gradebook.db").read_bytes()
    target.write_bytes(data[: len(data) // 3])
    return target


GRADEBOOK_COMMANDS = [("problems", A1), ("report", A1), ("export",), ("feedback", A1)]


@pytest.mark.parametrize("command", GRADEBOOK_COMMANDS, ids=lambda c: c[0])
def test_a_corrupt_gradebook_is_named_not_a_traceback(cli, course, tmp_path, command):
    broken = _truncated(course, tmp_path / "truncated.db")
    before = broken.read_bytes()
    result = cli(course, *command, gradebook=broken)
    assert result.returncode == 1
    assert f"{broken}: not a readable gradebook" in one_line(result) and "restore it from a backup" in result.stderr
    assert broken.read_bytes() == before


@pytest.mark.parametrize("command", GRADEBOOK_COMMANDS, ids=lambda c: c[0])
def test_a_zero_byte_gradebook_is_left_empty(cli, course, tmp_path, command):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = cli(course, *command, gradebook=empty)
    assert result.returncode == 1
    assert f"{empty}: the gradebook is an empty file" in one_line(result)
    assert empty.stat().st_size == 0  # no schema written into it


def test_a_missing_gradebook_is_not_created_by_a_reading_command(cli, course, tmp_path):
    absent = tmp_path / "absent.db"
    for command in GRADEBOOK_COMMANDS:
        result = cli(course, *command, gradebook=absent)
        assert result.returncode == 1 and f"{absent}: no gradebook yet" in one_line(result), command
    assert not absent.exists()


HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def locked(course, tmp_path):
    """A copy of the gradebook that another process holds with BEGIN EXCLUSIVE while the test runs."""
    copy = tmp_path / "locked.db"
    shutil.copy(course / "gradebook.db", copy)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(copy)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout.readline().strip() == "locked"
    yield copy
    holder.stdin.close()
    holder.wait(timeout=60)


@pytest.mark.parametrize("command", [*GRADEBOOK_COMMANDS, ("autograde", A1)], ids=lambda c: c[0])
def test_a_locked_gradebook_says_what_to_do(cli, course, locked, command):
    result = cli(course, *command, gradebook=locked)
    assert result.returncode == (2 if command[0] == "autograde" else 1)
    line = one_line(result)
    assert f"{locked}: the gradebook is locked by another program" in line and "run again" in line


def test_the_installed_command_answers_the_same_way(course, tmp_path):
    result = script(course, "report", A1, "--mastery-kappa", "nan")
    assert result.returncode == 2 and "'nan' is not a number from 0 to 1" in one_line(result)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = script(course, "report", A1, gradebook=empty)
    assert result.returncode == 1 and "the gradebook is an empty file" in one_line(result)
    assert empty.stat().st_size == 0


def test_a_stray_file_in_source_is_named_by_sync(cli, course):
    stray = course / "source" / A1 / "my notes.txt"
    stray.write_text("draft marking notes")
    (course / "source" / A1 / ".ipynb_checkpoints").mkdir(exist_ok=True)
    (course / "source" / A1 / ".ipynb_checkpoints" / f"{A1}-checkpoint.ipynb").write_text("{}")  # nbgrader skips it
    try:
        assert stray_files(course) == [stray]
        result = cli(course, "sync", "--check")
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        assert warnings == [f"warning: source/{A1}/my notes.txt is not a notebook, yet nbgrader copies every file "
                            "of source/<a>/ into release/ and so into the trainee pack: move it out unless "
                            "trainees should have it"]  # fmt: skip
    finally:
        stray.unlink()
    assert stray_files(course) == []
