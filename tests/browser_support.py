"""Fixtures for the browser tests (a plugin of tests/conftest.py): Debian's Chromium driven by
Playwright, against servers each test starts for itself.

Every test gets its own server on a free port with a temporary copy of the curriculum, fails on any
request to a host other than the local server (so nothing reaches for a CDN), and saves a screenshot of
each step under test-artifacts/ (git-ignored), kept only when the test fails.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from conftest import ROOT, SCRIPTS, tool_env

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
TOKEN = "e2e"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# As the machine's notes advise: without the background-networking flags Chromium reaches for Google.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it as root (apt-get install chromium); "
                    "otherwise run: sudo apt-get install chromium chromium-driver")  # fmt: skip
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Steps:
    """Screenshots of each step of one test, in test-artifacts/<test>/."""

    def __init__(self, page, folder: Path):
        self.page, self.folder, self.count = page, folder, 0
        folder.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"))


@pytest.fixture
def page(browser, request):
    """A fresh page that records (and blocks) every request to a non-local host."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    external: list[str] = []

    def only_local(route):
        url = route.request.url
        if urlparse(url).scheme in {"data", "blob", "file"} or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            external.append(url)
            route.abort()

    page.route("**/*", only_local)
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    page.steps = Steps(page, folder)
    yield page
    failed = getattr(request.node, "report_call", None) is None or request.node.report_call.failed
    if not failed and not os.environ.get("KEEP_SCREENSHOTS"):  # KEEP_SCREENSHOTS=1 keeps them after a pass
        shutil.rmtree(folder, ignore_errors=True)
    context.close()
    assert external == [], f"requests to hosts other than the local server: {external}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def curriculum_copy(tmp_path: Path) -> Path:
    """A temporary copy of what a trainee or presenter opens."""
    root = tmp_path / "curriculum"
    for folder in ("notebooks", "exercises"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


class Server:
    def __init__(self, command: list[str], cwd: Path, port: int, ready_path: str | None, env: dict[str, str]):
        """Start ``command`` and wait until ``ready_path`` answers (or, without one, the port accepts)."""
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = cwd / f"server-{port}.log"
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=self.log.open("w"),
                                        stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if ready_path is None:
                    socket.create_connection(("127.0.0.1", port), timeout=5).close()
                else:
                    urllib.request.urlopen(f"{self.url}{ready_path}", timeout=5)
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        self.stop()
        pytest.fail(f"the server did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture
def lab_server(tmp_path):
    """JupyterLab as `trauma-curriculum lab` starts it (its command line, with the pre-save hook)."""
    from trauma_curriculum.teaching.lab import install_lab_overrides, lab_command

    root = curriculum_copy(tmp_path)
    install_lab_overrides(ROOT)
    port = free_port()
    command = lab_command(root, ["--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                                 f"--IdentityProvider.token={TOKEN}", "--allow-root"])  # fmt: skip
    server = Server(command, root, port, f"/api/status?token={TOKEN}", tool_env())
    yield server
    server.stop()


@pytest.fixture
def slides_server(tmp_path, request):
    """`trauma-curriculum present 03` (another module where a test parametrizes this fixture indirectly)."""
    module = getattr(request, "param", "03")
    root = curriculum_copy(tmp_path)
    port = free_port()
    server = Server([str(SCRIPTS / "trauma-curriculum"), "present", module, f"--port={port}", "--no-browser",
                     "--Voila.ip=127.0.0.1"], root, port, None, tool_env())  # fmt: skip
    server.module = module
    yield server
    server.stop()



#: The impacts the accessibility audit fails on (axe-core's two highest).
SEVERE = ("serious", "critical")


def audit(page, ours: str = ".tc-widget") -> dict[str, list[dict]]:
    """axe-core's findings on the page (bundled by axe-playwright-python, so nothing is fetched), split
    into those inside the curriculum's own widgets (``ours``) and those in the host's interface
    (JupyterLab's or Voila's): {"ours": [...], "host": [...]}, each finding its rule, impact, help and
    the selectors of the elements it concerns."""
    from axe_playwright_python.sync_playwright import Axe

    found = {}
    for part, context in (("ours", {"include": [[ours]]}), ("host", {"exclude": [[ours]]})):
        response = Axe().run(page, context=context).response
        found[part] = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                        "targets": [node["target"] for node in v["nodes"]]} for v in response["violations"]]  # fmt: skip
    return found


def severe(findings: list[dict]) -> list[dict]:
    return [finding for finding in findings if finding["impact"] in SEVERE]


def open_notebook(page, server: Server, path: str) -> None:
    """Open ``path`` in JupyterLab and wait until its kernel is idle."""
    page.goto(f"{server.url}/lab/workspaces/e2e/tree/{path}?reset&token={TOKEN}")
    # the status bar's "Idle" (the toolbar's indicator says idle before a kernel even exists)
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=120_000)


def menu(page, top: str, item: str) -> None:
    """Choose ``top`` -> ``item`` from JupyterLab's menu bar, as a trainee would."""
    page.locator(".lm-MenuBar-itemLabel").filter(has_text=re.compile(rf"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel").filter(has_text=re.compile(rf"^{re.escape(item)}$")).click()


def run_all(page, until: str) -> None:
    """Run -> Run All Cells, then wait for the exercise showing ``until`` and for the kernel to be idle."""
    menu(page, "Run", "Run All Cells")
    page.locator(".tc-widget").filter(has_text=until).first.wait_for(timeout=180_000)
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=180_000)
