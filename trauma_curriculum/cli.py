"""The ``trauma-curriculum`` command: a thin parser over the package; each command's defaults live in
the code it calls, never here.

For trainees: ``lab`` (what ``make lab`` runs). For workshop leaders: ``present 03`` (live slides through
Voila) and ``handouts``. For supervisors, inside the course directory: ``bank``, ``problems A``,
``regrade A [--trainee ID]``, ``report A``, ``demo-cohort``, ``trainee-pack``, ``sync``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from .core.paths import START_NOTEBOOK, NotInCurriculum, environment_with_tools, find_root


def _in(marker: str) -> Path:
    try:
        return find_root(marker)
    except NotInCurriculum as error:
        raise SystemExit(f"trauma-curriculum: {error}") from None


def run_lab(args: argparse.Namespace, jupyter_args: list[str]) -> int:
    from .teaching.lab import exec_server, install_lab_overrides, lab_command

    root = _in(START_NOTEBOOK)
    install_lab_overrides(root)
    exec_server(lab_command(root, jupyter_args), root, environment_with_tools())
    return 0


def run_bank(args: argparse.Namespace, _extra: list[str]) -> int:
    from .core.coverage import coverage_gaps, coverage_report
    from .core.vignettes import VignetteBankError, load_bank

    try:
        bank = load_bank(args.directory)
    except (VignetteBankError, NotInCurriculum) as error:
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

    from .course import CONFIG

    return PyFileConfigLoader(CONFIG, path=str(root)).load_config().CourseDirectory.db_url


def _course() -> Path:
    from .course import course_root

    try:
        return course_root()
    except NotInCurriculum as error:
        raise SystemExit(f"trauma-curriculum: {error} (supervisor commands run in the course directory)") from None


def run_problems(args: argparse.Namespace, _extra: list[str]) -> int:
    from .supervisor.problems import find_problems, format_problems, write_csv

    root = _course()
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


def run_autograde(args: argparse.Namespace, _extra: list[str]) -> int:
    """Autograde (or regrade, after a key correction or a late submission): checked first, in parallel."""
    from tqdm import tqdm

    from .supervisor.autograde import CannotGrade, autograde, format_summary, readable, submitted_trainees
    from .supervisor.problems import find_problems, format_problems, write_csv

    root = _course()
    try:
        total = len(submitted_trainees(root, args.assignment, args.trainee))
        with tqdm(total=total, desc=f"Autograding {args.assignment}", unit="submission", leave=False) as bar:
            summary = autograde(root, args.assignment, trainee=args.trainee, jobs=args.jobs, unsafe=args.unsafe,
                                progress=bar.update)  # fmt: skip
    except CannotGrade as error:
        print(f"trauma-curriculum autograde: {error}", file=sys.stderr)
        return 2
    problems = find_problems(root, args.assignment, course_db_url(root))
    print(format_summary(summary, problems))
    if problems:
        print(format_problems(problems))
    if args.csv:
        write_csv(problems, Path(args.csv))
    broken = [t for t in summary.failed if readable(root, args.assignment, t)]
    if broken:
        print(f"Not graded although readable: {', '.join(broken)} (see the log above).", file=sys.stderr)
    return 1 if broken else 0


def run_trainee_pack(args: argparse.Namespace, _extra: list[str]) -> int:
    from .supervisor.trainee_pack import DEFAULT_TARGET, build_trainee_pack

    root = _course()
    target = build_trainee_pack(root, Path(args.output) if args.output else root / DEFAULT_TARGET)
    print(f"Wrote {target}")
    return 0


def run_demo_cohort(args: argparse.Namespace, _extra: list[str]) -> int:
    from .supervisor.demo_cohort import build_demo_cohort, prepare_course

    root = _course()
    if not any((root / "release").glob("*/*.ipynb")):
        print("No released assignments: run `make release` first.", file=sys.stderr)
        return 1
    prepare_course(root, force=args.force)
    trainees = build_demo_cohort(root, trainees=args.trainees, seed=args.seed)
    print(f"Wrote a synthetic cohort of {len(trainees)} trainees to {root / 'submitted'}.")
    print("Next: `make grade` autogrades it; then grade the written answers in formgrader.")
    return 0


def run_report(args: argparse.Namespace, _extra: list[str]) -> int:
    from .supervisor.report import ReportError, build_report
    from .supervisor.report.stats import Mastery

    root = _course()
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
    from .teaching.lab import exec_server
    from .teaching.sorter import WORKSHOP_ENV
    from .workshop.present import find_module, install_template, voila_command

    root = _in(START_NOTEBOOK)
    install_template()
    command = voila_command(find_module(root, args.module), voila_args)
    exec_server(command, root, environment_with_tools(**{WORKSHOP_ENV: "1"}))
    return 0


def run_handouts(args: argparse.Namespace, _extra: list[str]) -> int:
    from tqdm import tqdm

    from .workshop.handouts import DEFAULT_TARGET, build_handout

    root = _in(START_NOTEBOOK)
    target = Path(args.output) if args.output else root / DEFAULT_TARGET
    for notebook in tqdm(sorted((root / "notebooks").glob("0*.ipynb")), desc="Handouts", unit="module"):
        build_handout(notebook, target)
    print(f"Wrote the handouts to {target}")
    return 0


def _shipped(journey: str) -> bool:
    """Whether a journey's subpackage is installed (the trainee workspace ships core and teaching only)."""
    return importlib.util.find_spec(f"{__package__}.{journey}") is not None


def run_panel(args: argparse.Namespace, _extra: list[str]) -> int:
    """Blind keying sheets for draft vignettes, or the panel's verdict on the returned sheets."""
    from .core.vignettes import VignetteBankError
    from .supervisor.panel import PanelError, score, write_sheets

    try:
        if args.action == "sheets":
            for path in write_sheets(Path(args.drafts), args.raters, Path(args.out), args.seed):
                print(f"Wrote {path}")
            print(f"Give each rater one sheet and {Path(args.out) / 'keying-rules.md'}; never the drafts or the key.")
            return 0
        report = score(Path(args.drafts), [Path(p) for p in args.sheets])
    except (PanelError, VignetteBankError) as error:
        print(f"trauma-curriculum panel: {error}", file=sys.stderr)
        return 2
    print(report.text())
    return 0 if all(item.status == "ready" for item in report.items) else 1


def run_sync(args: argparse.Namespace, _extra: list[str]) -> int:
    from .supervisor.authoring import sync

    stale = sync(_course(), check=args.check)
    for path in stale:
        print(f"{'out of date' if args.check else 'updated'}: {path}")
    if args.check and stale:
        print("Run `make sync` (trauma-curriculum sync), then `make release`.", file=sys.stderr)
        return 1
    print("Everything generated is up to date." if not stale else f"{len(stale)} files updated.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trauma-curriculum", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, run, help: str):
        sub = commands.add_parser(name, help=help)
        sub.set_defaults(run=run)
        return sub

    lab = command("lab", run_lab, "open the curriculum in JupyterLab (what `make lab` does)")
    lab.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="passed on to JupyterLab, e.g. --no-browser")
    if _shipped("workshop"):
        present = command("present", run_present, "serve a module as live slides through Voila (workshop mode)")
        present.add_argument("module", help="the module number, for example 03")
        present.epilog = "Other options (for example --port=8866 or --no-browser) are passed on to Voila."
        command("handouts", run_handouts, "write offline HTML handouts of every module").add_argument(
            "--output", help="a folder other than dist/handouts")
    if not _shipped("supervisor"):
        return parser
    from .supervisor.demo_cohort import DEFAULT_SEED, DEFAULT_TRAINEES
    from .supervisor.report.stats import Mastery

    command("bank", run_bank, "check the practice vignette bank and print its coverage").add_argument(
        "--directory", help="a bank folder other than exercises/vignettes")
    problems = command("problems", run_problems, "list submissions with a problem, after autograding")
    problems.add_argument("assignment")
    problems.add_argument("--csv", help="also write the list to this CSV file")
    for name, help in (("autograde", "autograde an assignment: checked first, in parallel, in the sandbox"),
                       ("regrade", "autograde again after a key correction or a late submission (all, or one)")):
        grade = command(name, run_autograde, help)
        grade.add_argument("assignment")
        grade.add_argument("--trainee", help="only this trainee's submission")
        grade.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
        grade.add_argument("--unsafe", action="store_true", help="grade without the sandbox (not recommended)")
        grade.add_argument("--csv", help="also write the problems list to this CSV file")
    command("trainee-pack", run_trainee_pack, "write dist/trainee-workspace.zip for trainees").add_argument(
        "--output", help="where to write the zip")
    demo = command("demo-cohort", run_demo_cohort, "write a synthetic cohort's submissions to rehearse grading")
    demo.add_argument("--trainees", type=int, default=DEFAULT_TRAINEES)
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED)
    demo.add_argument("--force", action="store_true", help="replace submissions that are not the demo's")
    report = command("report", run_report, "write reports/<assignment>/: what the cohort misunderstands")
    report.add_argument("assignment")
    report.add_argument("--mastery-agreement", type=float, default=Mastery.agreement,
                        help=f"share of items (default {Mastery.agreement})")
    report.add_argument("--mastery-kappa", type=float, default=Mastery.kappa,
                        help=f"Cohen's kappa (default {Mastery.kappa})")
    report.add_argument("--output", help="a folder other than reports/")
    panel = command("panel", run_panel, "blind keying of draft vignettes by a panel of raters")
    panel.add_argument("action", choices=("sheets", "score"), help="write the raters' sheets, or score them")
    panel.add_argument("drafts", help="the folder of draft vignettes (<id>.yaml)")
    panel.add_argument("sheets", nargs="*", help="score: the raters' returned sheets (CSV)")
    panel.add_argument("--raters", type=int, default=2, help="sheets: how many raters (default 2)")
    panel.add_argument("--out", default="panel", help="sheets: the folder to write them to (default panel/)")
    panel.add_argument("--seed", type=int, default=0, help="sheets: the shuffle's seed")
    command("sync", run_sync, "write the generated parts (support blocks, sorted items, MyST pairs)").add_argument(
        "--check", action="store_true", help="only list what is out of date (exit 1 if anything is)")
    return parser  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in {"lab", "present"}:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args.run(args, extra)


if __name__ == "__main__":
    sys.exit(main())
