"""The autograde kernel sandbox (trauma_curriculum.supervisor.sandbox) keeps trainee code in its folder.

A tiny notebook runs, through nbclient as nbgrader runs it, in a trainee's folder inside a fake course
(answer keys, a gradebook, another trainee's work, a supervisor's home). Its cells report what they could
do; the tests assert on those reports, on the host's files and processes, and on stderr staying empty.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from trauma_curriculum.supervisor import sandbox
from trauma_curriculum.supervisor.sandbox import (
    UNSAFE_ENV,
    AsyncSandboxedKernelManager,
    SandboxedKernelManager,
    sandbox_available,
)

pytestmark = pytest.mark.pipeline

REPO = Path(sandbox.__file__).resolve().parents[2]

try:  # the package is being restructured: core/ may not import yet
    import trauma_curriculum.core  # noqa: F401

    TRAINEE_MODULE = "trauma_curriculum.core"
except ImportError:
    TRAINEE_MODULE = "trauma_curriculum"

# Each probe prints one JSON line: its name, "ok" or the exception's class name, and a value.
PROBE = """
import json
def probe(name, fn):
    try:
        value = fn()
    except BaseException as error:  # noqa: BLE001 (the report is the point)
        print(json.dumps([name, type(error).__name__, str(error)[:200]]))
    else:
        print(json.dumps([name, "ok", repr(value)[:200]]))
"""


@pytest.fixture
def sandbox_required():
    reason = sandbox_available()
    if reason is not None:
        pytest.fail(f"the grading sandbox is unavailable here: {reason}")


@pytest.fixture
def fake_course(tmp_path: Path, monkeypatch) -> dict[str, Path]:
    course = tmp_path / "course"
    (course / "answer-keys").mkdir(parents=True)
    (course / "answer-keys" / "key.yaml").write_text("q1: attachment\n")
    (course / "gradebook.db").write_bytes(b"SQLite format 3\x00 grades")
    other = course / "autograded" / "bob" / "a1"
    other.mkdir(parents=True)
    (other / "a1.ipynb").write_text("{}")
    (course / "submitted" / "bob" / "a1").mkdir(parents=True)
    (course / "submitted" / "bob" / "a1" / "a1.ipynb").write_text("{}")
    workdir = course / "autograded" / "alice" / "a1"
    workdir.mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()
    (home / "secret.txt").write_text("the supervisor's")
    monkeypatch.setenv("HOME", str(home))  # the supervisor's home, as the kernel manager sees it
    return {"course": course, "workdir": workdir, "other": other, "home": home}


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(PROBE), *(nbformat.v4.new_code_cell(s) for s in sources)]
    return nb


def reports(nb: nbformat.NotebookNode) -> dict[str, tuple[str, str]]:
    found = {}
    for cell in nb.cells:
        for output in cell.outputs:
            assert output.output_type == "stream" and output.name == "stdout", output
            for line in output.text.splitlines():
                name, outcome, value = json.loads(line)
                found[name] = (outcome, value)
    return found


def sleepers(workdir: Path) -> list[psutil.Process]:
    """Host processes running `sleep 60` in the trainee's folder (others on this machine are left out)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if process.info["cmdline"] == ["sleep", "60"] and process.cwd() == str(workdir):
                found.append(process)
        except psutil.Error:
            continue
    return found


@pytest.mark.parametrize("manager", [SandboxedKernelManager, AsyncSandboxedKernelManager])
def test_trainee_code_stays_in_its_folder(manager, fake_course, sandbox_required, capfd):
    course, workdir, other, home = (fake_course[k] for k in ("course", "workdir", "other", "home"))
    listener = socket.create_server(("127.0.0.1", 0))  # a host service the kernel must not reach
    port = listener.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass  # reachable from the host
    outside = [course / "written.txt", home / "written.txt", REPO / "written.txt",
               REPO / "trauma_curriculum" / "written.txt", Path("/written.txt")]  # fmt: skip
    private_tmp = Path("/tmp") / f"sandbox-test-{os.getpid()}-{manager.__name__}"
    nb = notebook(
        f"probe('key', lambda: open({str(course / 'answer-keys' / 'key.yaml')!r}).read())\n"
        f"probe('repo key', lambda: open({str(REPO / 'answer-keys' / 'a1-foundations.yaml')!r}).read())\n"
        f"probe('gradebook', lambda: open({str(course / 'gradebook.db')!r}, 'rb').read())\n"
        f"probe('gradebook relative', lambda: open('../../../gradebook.db', 'rb').read())\n"
        f"probe('list other', lambda: __import__('os').listdir({str(other)!r}))\n"
        f"probe('read other', lambda: open({str(other / 'a1.ipynb')!r}).read())\n"
        f"probe('list submitted', lambda: __import__('os').listdir({str(course / 'submitted')!r}))\n"
        f"probe('home', lambda: open({str(home / 'secret.txt')!r}).read())\n"
        f"probe('scoring source', lambda: open({str(REPO / 'trauma_curriculum/supervisor/scoring.py')!r}).read())\n",
        "\n".join(
            f"probe('write {i}', lambda: open({str(p)!r}, 'w').write('x'))" for i, p in enumerate(outside)
        )
        + "\nprobe('write here', lambda: open('mine.txt', 'w').write('mine'))"
        + f"\nprobe('write tmp', lambda: open({str(private_tmp)!r}, 'w').write('x'))",
        f"import socket\n"
        f"probe('tcp', lambda: socket.create_connection(('127.0.0.1', {port}), timeout=5))\n"
        f"probe('dns', lambda: socket.getaddrinfo('example.com', 80))\n",
        "probe('import supervisor', lambda: __import__('trauma_curriculum.supervisor'))\n"
        "probe('import scoring', lambda: __import__('trauma_curriculum.supervisor.scoring'))\n"
        f"probe('import trainee module', lambda: __import__({TRAINEE_MODULE!r}))\n",
        "probe('3 GiB', lambda: len(bytearray(3 * 1024**3)))\nprobe('100 MiB', lambda: len(bytearray(100 * 1024**2)))",
        "import subprocess\nprobe('sleep', lambda: subprocess.Popen(['sleep', '60']).pid)",
    )
    running = []

    def on_cell_executed(cell, cell_index, execute_reply):
        if cell_index == len(nb.cells) - 1:
            running.extend(sleepers(workdir))

    client = NotebookClient(nb, kernel_manager_class=manager, timeout=60, on_cell_executed=on_cell_executed,
                            resources={"metadata": {"path": str(workdir)}})  # fmt: skip
    try:
        client.execute()
    finally:
        listener.close()
    got = reports(nb)

    for name in ("key", "repo key", "gradebook", "gradebook relative", "list other", "read other",
                 "list submitted", "home", "scoring source"):  # fmt: skip
        assert got[name][0] == "FileNotFoundError", (name, got[name])
    for i, path in enumerate(outside):
        assert got[f"write {i}"][0] in {"FileNotFoundError", "OSError", "PermissionError"}, (
            path,
            got[f"write {i}"],
        )
        assert not path.exists(), path
    assert got["write here"][0] == "ok" and (workdir / "mine.txt").read_text() == "mine"
    assert got["write tmp"][0] == "ok" and not private_tmp.exists()  # a private, throwaway /tmp
    assert got["tcp"][0] in {"ConnectionRefusedError", "OSError", "TimeoutError"}, got["tcp"]
    assert got["dns"][0] == "gaierror", got["dns"]
    assert got["import supervisor"][0] == "ImportError", got["import supervisor"]
    assert got["import scoring"][0] in {"ImportError", "ModuleNotFoundError"}, got["import scoring"]
    assert got["import trainee module"][0] == "ok", got["import trainee module"]
    assert got["3 GiB"][0] == "MemoryError" and got["100 MiB"] == ("ok", repr(100 * 1024**2))
    assert got["sleep"][0] == "ok"
    assert running, "the notebook's `sleep 60` was not seen running on the host"
    deadline = time.monotonic() + 10
    while sleepers(workdir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not sleepers(workdir), "a process the notebook started outlived its kernel"
    assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in running)
    assert capfd.readouterr().err == ""


def test_timeout_interrupts_and_process_count_is_bounded(fake_course, sandbox_required, capfd):
    """nbgrader's per-cell timeout interrupts a sandboxed cell (the async manager nbgrader uses) and the
    rest of the notebook still runs; with a pids cgroup, a notebook cannot fork without bound."""
    workdir = fake_course["workdir"]
    config = Config()
    config.SandboxedKernelManager.process_limit = 40
    nb = notebook(
        "import subprocess\nstarted = []\n"
        "def fork_many():\n"
        "    for _ in range(100):\n"
        "        started.append(subprocess.Popen(['sleep', '60']))\n"
        "probe('fork', fork_many)\nprobe('started', lambda: len(started))\n"
        "for p in started: p.kill()\nfor p in started: p.wait()",
        "import time\ntime.sleep(60)",
        "probe('after', lambda: 'still running')",
    )
    start = time.monotonic()
    client = NotebookClient(nb, config=config, kernel_manager_class=AsyncSandboxedKernelManager, timeout=2,
                            interrupt_on_timeout=True, allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})  # fmt: skip
    client.execute()
    assert time.monotonic() - start < 30
    assert [o.ename for o in nb.cells[2].outputs if o.output_type == "error"] == ["KeyboardInterrupt"]
    nb.cells[2].outputs = []
    got = reports(nb)
    assert got["after"] == ("ok", "'still running'")
    cgroup = sandbox._pids_cgroup(f"pytest-{os.getpid()}", 10)
    if cgroup is not None:
        sandbox._remove_cgroup(cgroup)
        assert got["fork"][0] == "BlockingIOError", got["fork"]
        assert int(got["started"][1]) < 40
    else:  # RLIMIT_NPROC alone, which Linux does not enforce for root
        assert got["fork"][0] in {"ok", "BlockingIOError"}
    assert capfd.readouterr().err == ""


UNAVAILABLE = "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"


def test_without_bubblewrap_a_kernel_does_not_start(fake_course, monkeypatch):
    monkeypatch.setattr(sandbox, "sandbox_available", lambda bwrap="bwrap": UNAVAILABLE)
    monkeypatch.delenv(UNSAFE_ENV, raising=False)
    manager = SandboxedKernelManager(kernel_name="python3")
    with pytest.raises(RuntimeError) as raised:
        manager.start_kernel(cwd=str(fake_course["workdir"]))
    message = str(raised.value)
    assert "\n" not in message
    assert UNAVAILABLE in message and "--unsafe" in message and f"{UNSAFE_ENV}=1" in message
    assert not manager.has_kernel


def test_unsafe_runs_the_kernel_unwrapped(fake_course, monkeypatch, capfd):
    monkeypatch.setattr(sandbox, "sandbox_available", lambda bwrap="bwrap": UNAVAILABLE)
    monkeypatch.setenv(UNSAFE_ENV, "1")
    course = fake_course["course"]
    nb = notebook(f"probe('key', lambda: open({str(course / 'answer-keys' / 'key.yaml')!r}).read())")
    NotebookClient(nb, kernel_manager_class=SandboxedKernelManager, timeout=60,
                   resources={"metadata": {"path": str(fake_course["workdir"])}}).execute()  # fmt: skip
    assert reports(nb)["key"] == ("ok", repr("q1: attachment\n"))
    assert capfd.readouterr().err == ""
