"""`trauma-curriculum lab` (what `make lab` runs) serves the curriculum with its extensions and defaults."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, SCRIPTS, tool_env
from trauma_curriculum.core.paths import START_NOTEBOOK
from trauma_curriculum.teaching.lab import lab_command

TOKEN = "curriculum-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {TOKEN}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.fixture(scope="module")
def lab():
    port = free_port()
    process = subprocess.Popen(
        [
            str(SCRIPTS / "trauma-curriculum"),
            "lab",
            "--no-browser",
            f"--port={port}",
            f"--IdentityProvider.token={TOKEN}",
            "--ServerApp.ip=127.0.0.1",
        ],  # fmt: skip
        cwd=ROOT / "notebooks",  # the command finds the course root above the working directory
        env=tool_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if get(port, "/api/status")[0] == 200:
                break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    else:
        os.killpg(process.pid, signal.SIGTERM)
        pytest.fail("JupyterLab did not start:\n" + process.communicate(timeout=10)[0])
    yield port
    os.killpg(process.pid, signal.SIGTERM)
    log = process.communicate(timeout=30)[0]
    exchange_errors = [line for line in log.splitlines() if "exchange" in line.lower() and "[E " in line]
    assert exchange_errors == [], exchange_errors


def test_the_command_opens_the_start_notebook_at_the_course_root():
    command = lab_command(ROOT, ["--no-browser"])
    assert command[-1] == START_NOTEBOOK == "notebooks/00-start-here.ipynb"
    assert f"--ServerApp.root_dir={ROOT}" in command and "--no-browser" in command


def test_lab_serves_the_start_notebook(lab):
    status, body = get(lab, f"/api/contents/{START_NOTEBOOK}?content=0")
    assert status == 200 and json.loads(body)["name"] == "00-start-here.ipynb"
    assert get(lab, f"/lab/tree/{START_NOTEBOOK}")[0] == 200


def test_project_settings_overrides_are_in_force(lab):
    for plugin, key, value in [
        ("@jupyterlab/notebook-extension:tracker", "windowingMode", "none"),
        ("@jupyterlab/apputils-extension:notification", "fetchNews", "false"),
        ("@jupyterlab/apputils-extension:notification", "checkForUpdates", False),
    ]:
        status, body = get(lab, f"/lab/api/settings/{plugin}")
        assert status == 200
        assert json.loads(body)["schema"]["properties"][key]["default"] == value, (plugin, key)


def test_nbgrader_and_widget_extensions_are_enabled(lab):
    assert get(lab, "/formgrader")[0] in (200, 302)
    listing = subprocess.run([str(SCRIPTS / "jupyter"), "labextension", "list"], capture_output=True, text=True,
                             env=tool_env(NO_COLOR="1"))  # fmt: skip
    text = listing.stdout + listing.stderr
    for extension in ("@jupyter/nbgrader", "@jupyter-widgets/jupyterlab-manager"):
        line = next(line for line in text.splitlines() if extension in line)
        assert "enabled" in line and "OK" in line, line
