"""A real hub for the hub test: local Linux users made by deploy/hub/provision.sh, a PostgreSQL cluster of
the test's own, JupyterHub with its proxy on 127.0.0.1, and a client for the hub's REST API and the
users' servers. Everything it makes, it removes (:meth:`Deployment.close`), also after a failure.

Runs only as root (it makes users). ``TC_HUB_TEST_LAYOUT=nbgrader-default`` rebuilds nbgrader's documented
layout instead (exchange root 1777, homes 0755, nbgrader's own exchange): the test must then fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from conftest import ROOT

HUB_DIR = ROOT / "deploy" / "hub"
PROXY = ROOT / ".venv" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
# The hub's own venv (make hub-test-venv), on Debian's Python and outside the clone: every local user must
# be able to run it, and the clone's folder or the project venv's interpreter may be private to root.
HUB_VENV = Path(os.environ.get("TC_HUB_TEST_VENV", "/opt/trauma-curriculum-test/venv"))
SCRIPTS = HUB_VENV / "bin"
COURSE_ID = "trauma-curriculum"
LAYOUT = os.environ.get("TC_HUB_TEST_LAYOUT", "hardened")
WAIT_S = 180  # the longest any one step may take on a loaded 2-core machine before the test gives up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing_prerequisites() -> str | None:
    """Why the hub test cannot run here, or None."""
    if os.geteuid() != 0:
        return "the hub test makes Linux users and a PostgreSQL cluster, so it runs only as root (as CI does)"
    needs = {"bubblewrap (bwrap)": shutil.which("bwrap"), "PostgreSQL (pg_createcluster)":
             shutil.which("pg_createcluster"), "configurable-http-proxy": PROXY.exists(),
             f"the hub's venv ({HUB_VENV})": (SCRIPTS / "jupyterhub-singleuser").exists()}  # fmt: skip
    absent = [name for name, found in needs.items() if not found]
    return f"not installed: {', '.join(absent)}; run `make hub-prereqs` as root" if absent else None


def _pg_version() -> str:
    return sorted((p.name for p in Path("/usr/lib/postgresql").iterdir() if (p / "bin" / "postgres").exists()),
                  key=int)[-1]  # fmt: skip


class Deployment:
    """One cohort's hub, with an instructor, a second grader and two trainees (ids unique to the run)."""

    def __init__(self):
        tag = "tch" + secrets.token_hex(2)
        self.instructor, self.grader = f"{tag}-instr", f"{tag}-grader"
        self.trainees = [f"{tag}-t1", f"{tag}-t2"]
        self.users = [self.instructor, self.grader, *self.trainees]
        self.groups = [f"{tag}-graders", f"{tag}-trainees"]
        self.root = Path(f"/srv/{tag}-hub")
        self.course = self.root / "graders" / COURSE_ID
        self.exchange = self.root / "exchange" / COURSE_ID
        self.pg_cluster, self.pg_version, self.pg_port = tag, _pg_version(), free_port()
        self.pg_db = f"{tag.replace('-', '_')}_gradebook"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(32)
        self.tokens: dict[str, str] = {}
        self.hub: subprocess.Popen | None = None
        self.log = self.root.parent / f"{tag}-hub.log"  # kept outside the root, so a failure can be read
        self._made: list[str] = []
        self.seconds: dict[str, float] = {}  # how long each step of start() took, for the test's report

    # -- set-up ------------------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        return {
            "PATH": f"{SCRIPTS}:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
            "TC_HUB_ROOT": str(self.root), "TC_COURSE_ID": COURSE_ID, "TC_INSTRUCTOR": self.instructor,
            "TC_GRADERS": self.grader, "TC_TRAINEES": ",".join(self.trainees),
            "TC_GRADER_GROUP": self.groups[0], "TC_TRAINEE_GROUP": self.groups[1],
            "TC_HUB_BIN": str(SCRIPTS), "TC_HUB_PROXY": str(PROXY), "TC_COURSE_SOURCE": str(ROOT),
            "TC_PG_DB": self.pg_db, "TC_PG_PORT": str(self.pg_port), "TC_HUB_ADMIN_TOKEN": self.admin_token,
            "TC_HUB_PORT": str(self.port), "TC_HUB_API_PORT": str(free_port()),
            "TC_PROXY_API_PORT": str(free_port()),
        }  # fmt: skip

    def start(self) -> None:
        started = time.monotonic()
        install_package()
        self.seconds["the package installed in the hub's venv"] = time.monotonic() - started
        self._made.append("cluster")
        run(["pg_createcluster", self.pg_version, self.pg_cluster, "-p", str(self.pg_port), "--start",
             "-o", "listen_addresses=", "-o", "fsync=off"])  # fmt: skip  (unix socket only; a test database)
        self._made.append("provisioned")
        provision = run(["bash", str(HUB_DIR / "provision.sh")], env=self.env())
        assert "made user" in provision.stdout, provision.stdout
        self.seconds["PostgreSQL cluster and provision.sh"] = time.monotonic() - started - sum(self.seconds.values())
        if LAYOUT == "nbgrader-default":
            self._nbgrader_default_layout()
        self.hub = subprocess.Popen([str(SCRIPTS / "jupyterhub"), "-f", str(HUB_DIR / "jupyterhub_config.py")],
                                    cwd=self.root / "hub", env=self.env(), stdout=self.log.open("w"),
                                    stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self._wait(lambda: self._get_or_none(f"{self.base}/hub/api/") is not None, "the hub to answer")
        self.seconds["hub up"] = time.monotonic() - started - sum(self.seconds.values())
        for user in self.users:
            answer = self.hub_api("POST", f"users/{user}/tokens", json={"note": "hub test", "expires_in": 3600})
            self.tokens[user] = answer.json()["token"]
            self.hub_api("POST", f"users/{user}/server")
        for user in self.users:
            self._wait(lambda u=user: self.hub_api("GET", f"users/{u}").json()["servers"].get("", {}).get("ready"),
                       f"{user}'s server")  # fmt: skip
        self.seconds["four servers up"] = time.monotonic() - started - sum(self.seconds.values())

    def _nbgrader_default_layout(self) -> None:
        """nbgrader's documented multi-user layout, to show that the test catches it."""
        shutil.rmtree(self.root / "exchange")
        (self.root / "exchange").mkdir(mode=0o777)
        os.chmod(self.root / "exchange", 0o1777)
        os.chmod(self.root / "graders", 0o755)
        os.chmod(self.course, 0o2775)
        for user in self.users:
            os.chmod(self.home(user), 0o755)
        config = self.root / "config" / "nbgrader_config.py"
        config.write_text(f"c = get_config()\nc.Exchange.root = {str(self.root / 'exchange')!r}\n"
                          "import os\nif os.environ.get('TC_COURSE_ROOT'):\n"
                          "    c.CourseDirectory.root = os.environ['TC_COURSE_ROOT']\n")  # fmt: skip
        course_config = self.course / "nbgrader_config.py"  # the course's own laptop exchange, pointed here
        course_config.write_text(course_config.read_text() + f"\nc.Exchange.root = {str(self.root / 'exchange')!r}\n")

    # -- talking to the hub and the servers --------------------------------------------------------------
    def hub_api(self, method: str, path: str, **kw) -> requests.Response:
        answer = requests.request(method, f"{self.base}/hub/api/{path}", timeout=60,
                                  headers={"Authorization": f"token {self.admin_token}"}, **kw)  # fmt: skip
        assert answer.status_code < 300, f"{method} /hub/api/{path}: {answer.status_code} {answer.text[:300]}"
        return answer

    def server(self, user: str, method: str, path: str, **kw) -> requests.Response:
        """A request to ``user``'s own server, with ``user``'s token, through the proxy."""
        answer = requests.request(method, f"{self.base}/user/{user}/{path}", timeout=WAIT_S,
                                  headers={"Authorization": f"token {self.tokens[user]}"}, **kw)  # fmt: skip
        assert answer.status_code < 300, f"{user}: {method} {path}: {answer.status_code} {answer.text[:500]}"
        return answer

    def succeeds(self, user: str, method: str, path: str, **kw):
        """The JSON body of an nbgrader endpoint that answers 200 even when it failed: ``success`` decides."""
        body = self.server(user, method, path, **kw).json()
        assert body.get("success"), f"{user}: {method} {path} failed: {json.dumps(body)[:3000]}"
        return body

    def as_user(self, user: str, code: str, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        """Python code run as a local user, with nothing of root's environment."""
        result = subprocess.run(["runuser", "-u", user, "--", "env", "-i", f"HOME={self.home(user)}",
                                 f"PATH={SCRIPTS}:/usr/bin:/bin", "LANG=C.UTF-8",
                                 str(SCRIPTS / "python"), "-c", code, *args],
                                capture_output=True, text=True, timeout=WAIT_S, cwd="/")  # fmt: skip
        if check:
            assert result.returncode == 0, f"as {user}: {result.stdout}\n{result.stderr}"
        return result

    def sql(self, query: str) -> list[list]:
        """Rows of a query on the gradebook, read by the database's superuser over the local socket."""
        code = ("import json, sys, psycopg\n"
                "with psycopg.connect(dbname=sys.argv[1], host='/var/run/postgresql', port=sys.argv[2]) as db:\n"
                "    print(json.dumps([list(r) for r in db.execute(sys.argv[3]).fetchall()], default=str))\n")  # fmt: skip
        result = subprocess.run(["runuser", "-u", "postgres", "--", str(SCRIPTS / "python"), "-c", code,
                                 self.pg_db, str(self.pg_port), query], capture_output=True, text=True,
                                cwd="/", timeout=60)  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def home(self, user: str) -> Path:
        return Path(pwd.getpwnam(user).pw_dir)

    def gradebook_url(self) -> str:
        return f"postgresql+psycopg:///{self.pg_db}?host=/var/run/postgresql&port={self.pg_port}"

    def _get_or_none(self, url: str):
        with contextlib.suppress(requests.RequestException):
            answer = requests.get(url, timeout=5)
            return answer if answer.status_code == 200 else None
        return None

    def _wait(self, ready, what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if self.hub is not None and self.hub.poll() is not None:
                raise AssertionError(f"the hub exited while waiting for {what}:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(requests.RequestException, KeyError):
                if ready():
                    return
            time.sleep(0.5)
        raise AssertionError(f"gave up waiting for {what} after {WAIT_S} s:\n{self.log.read_text()[-3000:]}")

    # -- clean-up ----------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop the hub and every process of the test's users; remove users, groups, folders, database."""
        if self.hub is not None and self.hub.poll() is None:
            self.hub.send_signal(signal.SIGTERM)  # the hub stops the users' servers and its proxy
            try:
                self.hub.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.hub.pid, signal.SIGKILL)
                self.hub.wait()
        uids = set()
        for user in self.users:
            with contextlib.suppress(KeyError):
                uids.add(pwd.getpwnam(user).pw_uid)
        for pid in _pids_of(uids):  # anything left by a server the hub could not stop
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for user in self.users:
            if user in {p.pw_name for p in pwd.getpwall()}:
                subprocess.run(["userdel", "--remove", user], capture_output=True)
        for group in self.groups:
            subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)
        if "cluster" in self._made:
            subprocess.run(["pg_dropcluster", "--stop", self.pg_version, self.pg_cluster], capture_output=True)
        self.log.unlink(missing_ok=True)

    def leftovers(self) -> list[str]:
        """What close() should have removed and did not."""
        found = [f"user {u}" for u in self.users if u in {p.pw_name for p in pwd.getpwall()}]
        found += [f"group {g}" for g in self.groups if subprocess.run(["getent", "group", g],
                                                                      capture_output=True).returncode == 0]  # fmt: skip
        found += [str(p) for p in (self.root, Path(f"/etc/postgresql/{self.pg_version}/{self.pg_cluster}"),
                                   Path(f"/var/lib/postgresql/{self.pg_version}/{self.pg_cluster}")) if p.exists()]  # fmt: skip
        return found


def install_package() -> None:
    """This clone's package, installed normally (not editable) into the hub's venv, as on a real server:
    built from a copy of only what the wheel needs, so no build folder lands in the clone."""
    with tempfile.TemporaryDirectory(prefix="tc-hub-package-") as copy:
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, copy)
        shutil.copytree(ROOT / "trauma_curriculum", Path(copy) / "trauma_curriculum",
                        ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
        run([str(SCRIPTS / "pip"), "install", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--force-reinstall", copy])  # fmt: skip


def _pids_of(uids: set[int]) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid in uids:
                    pids.append(int(entry.name))
    return pids


def run(command: list[str], **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=WAIT_S, cwd="/", **kw)
    assert result.returncode == 0, f"{' '.join(command)}: {result.stdout}\n{result.stderr}"
    return result
