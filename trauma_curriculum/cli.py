"""The ``trauma-curriculum`` command: what the Makefile wraps, for trainees and supervisors without make.

``trauma-curriculum lab`` opens the curriculum in JupyterLab, exactly as ``make lab`` does.
``trauma-curriculum bank`` checks the practice vignette bank and prints its coverage.
``trauma-curriculum problems A`` lists every submission of assignment A with a problem, after autograding.
``trauma-curriculum present 03`` serves module 03 as live slides through Voila (what `make present` runs).
``trauma-curriculum handouts`` writes offline HTML handouts of every module to dist/handouts/.
``trauma-curriculum report A`` writes reports/A/: who needs help, and with what.
``trauma-curriculum demo-cohort`` writes a synthetic cohort's submissions, to rehearse the grading cycle.
``trauma-curriculum trainee-pack`` writes dist/trainee-workspace.zip (no keys, rubrics or solutions).
``trauma-curriculum regrade A [--trainee ID]`` autogrades again (after a key correction or a late
submission), leaving hand-graded scores and other assignments alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

START_NOTEBOOK = "notebooks/00-start-here.ipynb"


COURSE_CONFIG = "nbgrader_config.py"


def find_course_root(marker: str = START_NOTEBOOK, start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``marker``.

    The curriculum (a trainee's workspace or a course) holds the start notebook; a course directory, where
    supervisor commands run, holds ``nbgrader_config.py``.
    """
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / marker).is_file():
            return folder
    raise SystemExit(
        f"trauma-curriculum: no {marker} at or above {start}; run the command inside the curriculum "
        "(for supervisor commands, the course directory)"
    )


def environment_with_tools() -> dict[str, str]:
    """This environment with its own scripts first on PATH.

    nbgrader runs ``alembic`` from PATH when it creates a gradebook; without the virtual environment's
    scripts there, the gradebook is silently left broken.
    """
    scripts = str(Path(sys.executable).parent)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")])
    return env


def install_lab_overrides(root: Path) -> Path:
    """Copy the project's JupyterLab defaults to where JupyterLab reads overrides in this environment."""
    target = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    source = root / "jupyterlab-settings" / "overrides.json"
    json.loads(source.read_text(encoding="utf-8"))  # a broken file fails here, naming nothing worse
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def lab_command(root: Path, extra: list[str]) -> list[str]:
    """The JupyterLab command line that opens the start notebook at the course root.

    As root (a container, a CI machine) JupyterLab refuses to start without ``--allow-root``.
    """
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        *as_root,
        *extra,
        START_NOTEBOOK,
    ]  # fmt: skip


def run_lab(args: argparse.Namespace, jupyter_args: list[str]) -> int:
    root = find_course_root()
    install_lab_overrides(root)
    command = lab_command(root, jupyter_args)
    print("Opening the curriculum:", " ".join(command), flush=True)
    return subprocess.call(command, cwd=root, env=environment_with_tools())


def run_bank(args: argparse.Namespace, _extra: list[str]) -> int:
    from .coverage import coverage_gaps, coverage_report
    from .vignettes import VignetteBankError, load_bank

    try:
        bank = load_bank(args.directory) if args.directory else load_bank()
    except VignetteBankError as error:
        print(f"The vignette bank has problems:\n{error}", file=sys.stderr)
        return 1
    print(coverage_report(bank))
    gaps = coverage_gaps(bank)
    for gap in gaps:
        print(f"GAP: {gap}", file=sys.stderr)
    return 1 if gaps else 0


def course_db_url(root: Path) -> str:
    """The gradebook URL exactly as the course's nbgrader_config.py sets it (one source of truth)."""
    from traitlets.config import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return config.CourseDirectory.db_url


def run_problems(args: argparse.Namespace, _extra: list[str]) -> int:
    from .submissions import find_problems, format_problems, write_csv

    root = find_course_root(COURSE_CONFIG)
    if not (root / "submitted").is_dir():
        print(f"No submissions yet: {root / 'submitted'} does not exist. Collect submissions first.")
        return 1
    try:
        problems = find_problems(root, args.assignment, course_db_url(root))
    except FileNotFoundError as error:
        print(f"trauma-curriculum problems: {error}", file=sys.stderr)
        return 1
    print(format_problems(problems))
    if args.csv:
        write_csv(problems, Path(args.csv))
        print(f"\nWritten to {args.csv}")
    return 0


def run_regrade(args: argparse.Namespace, _extra: list[str]) -> int:
    root = find_course_root(COURSE_CONFIG)
    command = [str(Path(sys.executable).parent / "nbgrader"), "autograde", args.assignment, "--force"]
    if args.trainee:
        command.append(f"--student={args.trainee}")
    print("Regrading:", " ".join(command), flush=True)
    status = subprocess.call(command, cwd=root, env=environment_with_tools())
    run_problems(argparse.Namespace(assignment=args.assignment, csv=None), [])
    return status


def run_trainee_pack(args: argparse.Namespace, _extra: list[str]) -> int:
    from .trainee_pack import build_trainee_pack

    root = find_course_root(COURSE_CONFIG)
    target = build_trainee_pack(
        root, Path(args.output) if args.output else root / "dist" / "trainee-workspace.zip"
    )
    print(f"Wrote {target}")
    return 0


def run_demo_cohort(args: argparse.Namespace, _extra: list[str]) -> int:
    from .demo_cohort import build_demo_cohort, prepare_course

    root = find_course_root(COURSE_CONFIG)
    if not any((root / "release").glob("*/*.ipynb")):
        print("No released assignments: run `make release` first.", file=sys.stderr)
        return 1
    prepare_course(root, force=args.force)
    trainees = build_demo_cohort(root, trainees=args.trainees, seed=args.seed)
    print(f"Wrote a synthetic cohort of {len(trainees)} trainees to {root / 'submitted'}.")
    print("Next: `make grade` autogrades it; then grade the written answers in formgrader.")
    return 0


def run_report(args: argparse.Namespace, _extra: list[str]) -> int:
    from .report import ReportError, build_report
    from .report_stats import Mastery

    root = find_course_root(COURSE_CONFIG)
    mastery = Mastery(agreement=args.mastery_agreement, kappa=args.mastery_kappa)
    try:
        folder = build_report(root, args.assignment, course_db_url(root), mastery,
                              Path(args.output) if args.output else None)  # fmt: skip
    except ReportError as error:
        print(f"trauma-curriculum report: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {folder / 'index.html'} (with trainees.csv, items.csv and the figures)")
    return 0


def run_present(args: argparse.Namespace, voila_args: list[str]) -> int:
    from .present import find_module, install_template, voila_command
    from .widgets import WORKSHOP_ENV

    root = find_course_root()
    install_template()
    command = voila_command(find_module(root, args.module), voila_args)
    print("Presenting:", " ".join(command), flush=True)
    return subprocess.call(command, cwd=root, env={**environment_with_tools(), WORKSHOP_ENV: "1"})


def run_handouts(args: argparse.Namespace, _extra: list[str]) -> int:
    from tqdm import tqdm

    from .handouts import build_handout

    root = find_course_root()
    target = Path(args.output) if args.output else root / "dist" / "handouts"
    for notebook in tqdm(sorted((root / "notebooks").glob("0*.ipynb")), desc="Handouts", unit="module"):
        build_handout(notebook, target)
    print(f"Wrote the handouts to {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trauma-curriculum", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    lab = commands.add_parser("lab", help="open the curriculum in JupyterLab (what `make lab` does)")
    lab.add_argument(
        "jupyter_args", nargs=argparse.REMAINDER, help="passed on to JupyterLab, e.g. --no-browser"
    )
    lab.set_defaults(run=run_lab)
    bank = commands.add_parser("bank", help="check the practice vignette bank and print its coverage")
    bank.add_argument("--directory", help="a bank folder other than exercises/vignettes")
    bank.set_defaults(run=run_bank)
    problems = commands.add_parser("problems", help="list submissions with a problem, after autograding")
    problems.add_argument("assignment")
    problems.add_argument("--csv", help="also write the list to this CSV file")
    problems.set_defaults(run=run_problems)
    regrade = commands.add_parser("regrade", help="autograde an assignment again (all trainees, or one)")
    regrade.add_argument("assignment")
    regrade.add_argument("--trainee", help="only this trainee's submission")
    regrade.set_defaults(run=run_regrade)
    pack = commands.add_parser("trainee-pack", help="write dist/trainee-workspace.zip for trainees")
    pack.add_argument("--output", help="where to write the zip")
    pack.set_defaults(run=run_trainee_pack)
    demo = commands.add_parser(
        "demo-cohort", help="write a synthetic cohort's submissions to rehearse grading"
    )
    demo.add_argument("--trainees", type=int, default=32)
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--force", action="store_true", help="replace submissions that are not the demo's")
    demo.set_defaults(run=run_demo_cohort)
    report = commands.add_parser("report", help="write reports/<assignment>/: what the cohort misunderstands")
    report.add_argument("assignment")
    report.add_argument("--mastery-agreement", type=float, default=0.80, help="share of items (default 0.80)")
    report.add_argument("--mastery-kappa", type=float, default=0.70, help="Cohen's kappa (default 0.70)")
    report.add_argument("--output", help="a folder other than reports/")
    report.set_defaults(run=run_report)
    present = commands.add_parser(
        "present", help="serve a module as live slides through Voila (workshop mode)"
    )
    present.add_argument("module", help="the module number, for example 03")
    present.epilog = "Other options (for example --port=8866 or --no-browser) are passed on to Voila."
    present.set_defaults(run=run_present)
    handouts = commands.add_parser("handouts", help="write offline HTML handouts of every module")
    handouts.add_argument("--output", help="a folder other than dist/handouts")
    handouts.set_defaults(run=run_handouts)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in {"lab", "present"}:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args.run(args, extra)


if __name__ == "__main__":
    sys.exit(main())
