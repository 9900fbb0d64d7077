"""The benchmarks' results table: every measurement beside its anchor, from one run on one machine.

Absolute times mean little across machines, so each row is a median and a ratio against an anchor
measured in the same run (for example stock nbgrader for parallel autograde, a bare kernel start for a
notebook). ``make bench`` writes the table to ``benchmarks/results.md``.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import pytest

# The test suite's course and cohort helpers (tests/conftest.py, tests/nbgrader_helpers.py): this file is
# the `conftest` module while benchmarks run, so it passes the suite's helpers on under the same names.
_TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(_TESTS))
_spec = importlib.util.spec_from_file_location("suite_conftest", _TESTS / "conftest.py")
_suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_suite)
ROOT, SCRIPTS, make_course, tool_env = _suite.ROOT, _suite.SCRIPTS, _suite.make_course, _suite.tool_env
RESULTS = Path(__file__).parent / "results.md"
_ROWS: list[tuple[str, float, str, float | None, str]] = []
_MEDIANS: dict[str, float] = {}


def median_of(run, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@pytest.fixture(scope="session")
def record():
    """record(name, seconds, anchor=None, target=""): a row of the results table."""

    def add(name: str, seconds: float, anchor: str | None = None, target: str = "") -> None:
        _MEDIANS[name] = seconds
        ratio = seconds / _MEDIANS[anchor] if anchor in _MEDIANS else None
        _ROWS.append((name, seconds, anchor or "", ratio, target))

    return add


def pytest_sessionfinish(session, exitstatus):
    if not _ROWS:
        return
    lines = [f"# Benchmark results ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
             f"{os.cpu_count()} cores; one run)", "",
             "| measurement | median | anchor | ratio | target |", "|---|---|---|---|---|"]  # fmt: skip
    for name, seconds, anchor, ratio, target in _ROWS:
        shown = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
        lines.append(f"| {name} | {shown} | {anchor} | {'' if ratio is None else f'{ratio:.2f}x'} | {target} |")
    RESULTS.write_text("\n".join(lines) + "\n")
