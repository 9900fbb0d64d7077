"""The curriculum on JupyterHub, for real: local Linux users, the hardened exchange, a PostgreSQL gradebook
and autograde in the sandbox, driven through the hub's REST API, formgrader's API and the trainees'
assignment endpoints, as the people would drive them.

One cycle runs once for the module (:func:`cycle`): release, fetch, submit, collect, autograde, manual
grading by two graders while another autograde runs, feedback, fetch feedback. The second trainee tries
every known way into the first trainee's work and the instructor's (:data:`PROBES`) and submits a
notebook that tries to leave the grading sandbox. Each test then checks one part of what happened.
Runs only as root (see hub_support); otherwise it is skipped with the reason.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from hub_support import COURSE_ID, HUB_DIR, SCRIPTS, WAIT_S, Deployment, missing_prerequisites, run
from trauma_curriculum.supervisor.demo_cohort import answered, grade_cell, right
from trauma_curriculum.supervisor.keys import load_key

_WHY_NOT = missing_prerequisites()
pytestmark = pytest.mark.skipif(_WHY_NOT is not None, reason=_WHY_NOT or "")

A = "a3-case-formulation"
KEY = load_key(A, (ROOT / "answer-keys").resolve())
AUTO_POINTS = float(len(KEY.questions))  # one point per scene
WRITTEN = {"formulation-answer": "Both: an early caregiving wound with Stellan and a later betrayal by Saskia.",
           "treatment-answer": "Assess first (PTSD, dissociation, risk), then offer guideline care, paced."}  # fmt: skip
# what each grader saves for the first trainee while the second trainee's notebook is being autograded
MANUAL = {"instructor": ("formulation-answer", 4.0), "grader": ("treatment-answer", 3.0)}
SANDBOX_MARK = "SANDBOX-PROBE "

# Every way in that nbgrader's documented layout leaves open, tried as the second trainee. Each is Python
# that exits 0 when it got in and 13 when the system said no (a missing file counts as no, too).
_DENIED = "import sys\ntry:\n{body}\nexcept (PermissionError, FileNotFoundError):\n    sys.exit(13)\n"
PROBES = {
    "list the inbound folder (to learn submission names)": "import os; os.listdir(sys.argv[1] + '/inbound')",
    "read the first trainee's submission, its name known": "open(sys.argv[2] + '/' + sys.argv[3]).read()",
    "replace the first trainee's submitted notebook": "import os; p = sys.argv[2] + '/' + sys.argv[3]; "
    "open(p + '.new', 'w').write('{}'); os.replace(p + '.new', p)",
    "add a file to the first trainee's submission": "open(sys.argv[2] + '/extra.py', 'w').write('x')",
    "move the first trainee's submission away": "import os; os.rename(sys.argv[2], sys.argv[2] + 'x')",
    "read the first trainee's home (nbgrader's cache)": "import os; os.listdir(sys.argv[4])",
    "read the instructor's solutions": "open(sys.argv[5] + '/source/a3-case-formulation/a3-case-formulation.ipynb').read()",
    "read the answer keys": "open(sys.argv[5] + '/answer-keys/a3-case-formulation.yaml').read()",
    "list the course folder": "import os; os.listdir(sys.argv[5])",
}  # fmt: skip
# The gradebook: as themselves (no such role) and as the instructor (peer authentication says no).
GRADEBOOK_PROBE = (
    "import sys, psycopg\n"
    "for role in (None, sys.argv[3]):\n"
    "    try:\n"
    "        psycopg.connect(dbname=sys.argv[1], host='/var/run/postgresql', port=sys.argv[2], user=role).close()\n"
    "        sys.exit(0)\n"
    "    except psycopg.OperationalError:\n"
    "        pass\n"
    "sys.exit(13)\n"
)
FEEDBACK_PROBE = "import os; os.listdir(sys.argv[1])"


def _attack_cell(instructor_home: Path, course: Path, port: int) -> str:
    """A code cell that tries to leave the sandbox three ways, says how each went, and never raises."""
    return f"""import json, socket
tried = {{}}
try:
    open({str(instructor_home / "escaped.txt")!r}, "w").write("out of the sandbox")
    tried["write the instructor's home"] = "written"
except OSError as error:
    tried["write the instructor's home"] = type(error).__name__
for name, path in [("answer keys", {str(course / "answer-keys" / (A + ".yaml"))!r}),
                   ("answer keys, relative", "../../../answer-keys/{A}.yaml")]:
    try:
        tried["read the " + name] = open(path).read()[:40]
    except OSError as error:
        tried["read the " + name] = type(error).__name__
try:
    with socket.create_connection(("127.0.0.1", {port}), timeout=3) as connection:
        connection.sendall(b"hello from a trainee notebook")
    tried["open a socket"] = "connected"
except OSError as error:
    tried["open a socket"] = type(error).__name__
print({SANDBOX_MARK!r} + json.dumps(tried))"""


@dataclass
class Cycle:
    hub: Deployment
    seconds: dict[str, float] = field(default_factory=dict)
    probes: dict[str, int] = field(default_factory=dict)
    forged_name: str = ""
    saves_during_autograde: dict[str, int] = field(default_factory=dict)
    concurrent_autograde: subprocess.CompletedProcess | None = None
    feedback_html: str = ""
    lists: dict[str, dict] = field(default_factory=dict)
    listener_connections: list = field(default_factory=list)
    provisioned_again: str = ""


class Listener:
    """A TCP server on 127.0.0.1 that counts who connects (a sandboxed notebook never should)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, peer = self.server.accept()
            except TimeoutError:
                continue
            self.connections.append(peer)
            connection.close()

    def close(self):
        self._stop.set()
        self._thread.join()
        self.server.close()


def _assignment(hub: Deployment, trainee: str, action: str) -> list[dict]:
    """Fetch, submit or fetch feedback as the trainee's assignment list does; the list it answers with."""
    body = hub.succeeds(trainee, "POST", f"assignments/{action}", data={"course_id": COURSE_ID, "assignment_id": A})
    return [entry for entry in body["value"] if entry["assignment_id"] == A]


def _statuses(entries: list[dict]) -> set[str]:
    return {entry["status"] for entry in entries}


def _notebook(trainee_answers: dict[str, str], extra_code: str | None = None):
    notebook = answered(ROOT / "release" / A / f"{A}.ipynb", trainee_answers, written=WRITTEN)
    if extra_code:
        at = notebook.cells.index(grade_cell(notebook, "setup")) + 1
        notebook.cells.insert(at, nbformat.v4.new_code_cell(extra_code))
    return nbformat.writes(notebook)


def _run_cycle(hub: Deployment, cycle: Cycle, listener: Listener) -> None:
    t1, t2 = hub.trainees
    fg = "formgrader/api"
    started = time.monotonic()
    hub.succeeds(hub.instructor, "POST", f"{fg}/assignment/{A}/assign")
    hub.succeeds(hub.instructor, "POST", f"{fg}/assignment/{A}/release")
    answers = {q: right(KEY, q) for q in KEY.questions}
    contents = {t1: _notebook(answers),
                t2: _notebook(answers, _attack_cell(hub.home(hub.instructor), hub.course, listener.port))}  # fmt: skip
    for trainee in hub.trainees:
        cycle.lists[f"{trainee} fetched"] = _assignment(hub, trainee, "fetch")
        hub.server(trainee, "PUT", f"api/contents/{A}/{A}.ipynb",
                   json={"type": "notebook", "format": "json", "content": json.loads(contents[trainee])})  # fmt: skip
        cycle.lists[f"{trainee} submitted"] = _assignment(hub, trainee, "submit")

    # The second trainee tries their way in: the first trainee's submission's name is taken as known.
    inbound = hub.exchange / "inbound"
    submission = next(p for p in inbound.iterdir() if p.name.startswith(f"{t1}+{A}+"))
    for what, body in PROBES.items():
        code = _DENIED.format(body="    " + body)
        result = hub.as_user(t2, code, str(hub.exchange), str(submission), f"{A}.ipynb",
                             str(hub.home(t1)), str(hub.course))  # fmt: skip
        cycle.probes[what] = result.returncode
    cycle.probes["read the gradebook"] = hub.as_user(t2, GRADEBOOK_PROBE, hub.pg_db, str(hub.pg_port),
                                                     hub.instructor).returncode  # fmt: skip
    # ... and plants two submissions: one under the first trainee's name (newer than the real one), and one
    # of their own whose notebook is a link to the instructor's solution (newer than their real one).
    cycle.forged_name = f"{t1}+{A}+2999-01-01 00:00:00.000000 UTC+forged"
    plant = (
        "import os, sys, json\n"
        "forged = os.path.join(sys.argv[1], sys.argv[2]); os.mkdir(forged)\n"
        "open(os.path.join(forged, sys.argv[4] + '.ipynb'), 'w').write(sys.argv[5])\n"
        "open(os.path.join(forged, 'timestamp.txt'), 'w').write('2999-01-01 00:00:00.000000 UTC')\n"
        "open(os.path.join(forged, 'submission_secret.txt'), 'w').write('forged')\n"
        "linked = os.path.join(sys.argv[1], sys.argv[3] + '+' + sys.argv[4] + '+2999-01-01 00:00:00.000000 UTC+linked')\n"
        "os.mkdir(linked)\n"
        "os.symlink(sys.argv[6], os.path.join(linked, sys.argv[4] + '.ipynb'))\n"
        "open(os.path.join(linked, 'timestamp.txt'), 'w').write('2999-01-01 00:00:00.000000 UTC')\n"
    )  # fmt: skip
    blank = nbformat.writes(answered(ROOT / "release" / A / f"{A}.ipynb", {}))
    solution = hub.course / "source" / A / f"{A}.ipynb"
    hub.as_user(t2, plant, str(inbound), cycle.forged_name, t2, A, blank, str(solution), check=True)

    hub.succeeds(hub.instructor, "POST", f"{fg}/assignment/{A}/collect")
    hub.succeeds(hub.instructor, "POST", f"{fg}/submission/{A}/{t1}/autograde")

    # The second trainee's notebook is autograded (in a terminal, as the instructor would run a batch)
    # while both graders save the first trainee's written answers by hand, each from their own formgrader.
    grade_ids = _grade_ids(hub, t1)
    command = ["runuser", "-u", hub.instructor, "--", "env", "-i", f"HOME={hub.home(hub.instructor)}",
               f"PATH={SCRIPTS}:/usr/bin:/bin", "LANG=C.UTF-8", f"TRAUMA_CURRICULUM_DB_URL={hub.gradebook_url()}",
               "sh", "-c", f"umask 007; exec nbgrader autograde {A} --student {t2} --force"]  # fmt: skip
    autograde = subprocess.Popen(command, cwd=hub.course, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True)  # fmt: skip
    graders = {"instructor": hub.instructor, "grader": hub.grader}
    cycle.saves_during_autograde = dict.fromkeys(MANUAL, 0)
    for _ in range(200):  # bounded: stops once the autograde has finished
        for role, (cell, score) in MANUAL.items():
            hub.server(graders[role], "PUT", f"{fg}/grade/{grade_ids[cell]}", json={"manual_score": score})
            if autograde.poll() is None:
                cycle.saves_during_autograde[role] += 1
        if autograde.poll() is not None:
            break
        time.sleep(0.1)
    output, _ = autograde.communicate(timeout=WAIT_S)
    cycle.concurrent_autograde = subprocess.CompletedProcess(command, autograde.returncode, output)

    hub.succeeds(hub.instructor, "POST", f"{fg}/assignment/{A}/{t1}/generate_feedback")
    hub.succeeds(hub.instructor, "POST", f"{fg}/assignment/{A}/{t1}/release_feedback")
    cycle.lists[f"{t1} fetched feedback"] = _assignment(hub, t1, "fetch_feedback")
    feedback = f"{A}/feedback"
    for stamp in hub.server(t1, "GET", f"api/contents/{A}").json()["content"]:  # none: the test below says so
        if stamp["name"] == "feedback":
            stamp = hub.server(t1, "GET", f"api/contents/{feedback}").json()["content"][0]["name"]
            cycle.feedback_html = hub.server(t1, "GET", f"api/contents/{feedback}/{stamp}/{A}.html",
                                             params={"content": "1", "format": "text"}).json()["content"]  # fmt: skip
    cycle.probes["list the feedback folder"] = hub.as_user(t2, _DENIED.format(body="    " + FEEDBACK_PROBE),
                                                           str(hub.exchange / "feedback")).returncode  # fmt: skip
    cycle.seconds["cycle"] = time.monotonic() - started
    cycle.provisioned_again = run(["bash", str(HUB_DIR / "provision.sh")], env=hub.env()).stdout


def _grade_ids(hub: Deployment, trainee: str) -> dict[str, str]:
    notebooks = hub.server(hub.instructor, "GET", f"formgrader/api/submitted_notebooks/{A}/{A}").json()
    mine = next(n for n in notebooks if n["student"] == trainee)
    grades = hub.server(hub.instructor, "GET", "formgrader/api/grades", params={"submission_id": mine["id"]})
    return {g["name"]: g["id"] for g in grades.json()}


@pytest.fixture(scope="module")
def cycle():
    hub = Deployment()
    listener = Listener()
    try:
        hub.start()
        result = Cycle(hub=hub, seconds=dict(hub.seconds))
        _run_cycle(hub, result, listener)
        result.listener_connections = list(listener.connections)
        yield result
    finally:
        listener.close()
        hub.close()
        leftovers = hub.leftovers()
        assert not leftovers, f"the hub test left behind: {leftovers}"


def _grades(hub: Deployment) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    rows = hub.sql(
        "SELECT sa.student_id, bc.name, g.auto_score, g.manual_score FROM grade g "
        "JOIN submitted_notebook sn ON g.notebook_id = sn.id JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
        "JOIN assignment a ON sa.assignment_id = a.id JOIN base_cell bc ON g.cell_id = bc.id "
        f"WHERE a.name = '{A}'"
    )  # fmt: skip
    return {(student, cell): (auto, manual) for student, cell, auto, manual in rows}


def test_the_whole_cycle_runs_through_the_apis(cycle):
    t1, t2 = cycle.hub.trainees
    assert "fetched" in _statuses(cycle.lists[f"{t1} fetched"])
    assert "submitted" in _statuses(cycle.lists[f"{t2} submitted"])
    feedback = [notebook["has_local_feedback"] for entry in cycle.lists[f"{t1} fetched feedback"]
                for submission in entry.get("submissions", []) for notebook in submission["notebooks"]]  # fmt: skip
    assert feedback and all(feedback)
    print(f"\nhub test timings (s): {json.dumps({k: round(v, 1) for k, v in cycle.seconds.items()})}")


def test_every_way_into_another_trainees_work_is_denied(cycle):
    got_in = [what for what, code in cycle.probes.items() if code != 13]
    assert not got_in, f"the second trainee got in: {got_in} ({cycle.probes})"
    assert len(cycle.probes) == len(PROBES) + 2


def test_collect_takes_neither_a_forged_submission_nor_a_link_to_the_solutions(cycle):
    hub = cycle.hub
    t1, t2 = hub.trainees
    grades = _grades(hub)
    for trainee in (t1, t2):  # the real notebooks (all right), not the blank forged one nor the solution link
        collected = (hub.course / "submitted" / trainee / A / "timestamp.txt").read_text()
        assert not collected.startswith("2999"), f"{trainee}: collect took a planted submission"
        assert sum(grades[(trainee, f"{q}-check")][0] for q in KEY.questions) == AUTO_POINTS


def test_grades_reach_postgresql_and_no_manual_grade_is_lost(cycle):
    hub = cycle.hub
    t1, t2 = hub.trainees
    assert cycle.concurrent_autograde.returncode == 0, cycle.concurrent_autograde.stdout[-3000:]
    assert all(count > 0 for count in cycle.saves_during_autograde.values()), (
        f"no grader saved while the autograde ran, so this run shows nothing: {cycle.saves_during_autograde}")
    grades = _grades(hub)
    for cell, score in MANUAL.values():
        assert grades[(t1, cell)][1] == score
    assert grades[(t2, "formulation-answer")][1] is None  # the other trainee's written answers wait for a grader
    assert "locked" not in cycle.concurrent_autograde.stdout


def test_a_notebook_that_tries_to_leave_the_sandbox_fails_and_is_still_graded(cycle):
    hub = cycle.hub
    t2 = hub.trainees[1]
    graded = nbformat.read(hub.course / "autograded" / t2 / A / f"{A}.ipynb", as_version=4)
    said = [o.get("text", "") for c in graded.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    report = json.loads(next(t for t in said if t.startswith(SANDBOX_MARK)).removeprefix(SANDBOX_MARK))
    print(f"\nwhat the notebook met in the sandbox: {report}")
    assert report["write the instructor's home"] != "written"
    assert report["read the answer keys"] in {"FileNotFoundError", "PermissionError"}
    assert report["read the answer keys, relative"] in {"FileNotFoundError", "PermissionError"}
    assert report["open a socket"] != "connected"
    assert not (hub.home(hub.instructor) / "escaped.txt").exists()
    assert cycle.listener_connections == []
    assert sum(_grades(hub)[(t2, f"{q}-check")][0] for q in KEY.questions) == AUTO_POINTS


def test_the_trainee_receives_feedback_with_the_grades_and_without_the_key(cycle):
    html = cycle.feedback_html
    total = AUTO_POINTS + sum(score for _, score in MANUAL.values())
    assert f"Score: {total}" in html or f"Score: {total:g}" in html, html[:2000]
    assert WRITTEN["formulation-answer"] in html
    rubric = KEY.written["formulation-answer"].rubric[0].criteria
    assert rubric[:60] not in html and KEY.written["formulation-answer"].model_answer[:60] not in html


def test_provisioning_again_makes_nothing_new_and_keeps_the_graders_work(cycle):
    """provision.sh, run again after the cycle (as after adding trainees), leaves everything as it was."""
    hub = cycle.hub
    assert "made " not in cycle.provisioned_again and "copied" not in cycle.provisioned_again
    assert (hub.course / "autograded" / hub.trainees[0] / A / f"{A}.ipynb").is_file()
    assert oct((hub.exchange / "inbound").stat().st_mode & 0o7777) == oct(0o3773)
