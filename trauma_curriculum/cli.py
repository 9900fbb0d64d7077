"""The ``trauma-curriculum`` command: a thin parser over the package; each command's defaults live in
the code it calls, never here.

For trainees: ``lab`` (what ``make lab`` runs). For workshop leaders: ``present 03`` (live slides through
Voila) and ``handouts``. For supervisors, inside the course directory: ``bank``, ``autograde A``,
``problems A``, ``regrade A [--trainee ID]``, ``feedback A``, ``export``, ``report A``, ``demo-cohort``,
``trainee-pack``, ``sync``.

Bad input never ends in a traceback: an option out of range is refused by the parser, and a missing,
corrupt or locked gradebook, or an output path of the wrong kind, by the command, each in one line on
stderr naming what is wrong and what to do, with a non-zero exit status.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
from pathlib import Path

from .core.paths import START_NOTEBOOK, NotInCurriculum, environment_with_tools, find_root


class Parser(argparse.ArgumentParser):
    """argparse, with a bad option reported in one line (argparse's default adds the whole usage)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def fraction(text: str) -> float:
    """A share from 0 to 1, for a mastery line (``nan``, ``2`` or ``-1`` would pass or fail everyone)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1 (for example 0.8)")
    return value


def at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


def _fail(command: str, message: object) -> int:
    print(f"trauma-curriculum {command}: {message}", file=sys.stderr)
    return 1


def _cannot_write(command: str, error: OSError) -> int:
    return _fail(command, f"cannot write {error.filename}: {error.strerror}")


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

    if args.directory and not Path(args.directory).is_dir():
        return _fail("bank", f"{args.directory}: no such folder; --directory takes a folder of vignette "
                             "files (<id>.yaml), by default exercises/vignettes")  # fmt: skip
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
    from .supervisor.autograde import course_config

    return course_config(root).CourseDirectory.db_url


def _gradebook(root: Path, command: str) -> str | None:
    """The gradebook's URL if it is there, readable and not locked; otherwise None, after one line."""
    from .supervisor.autograde import CannotGrade
    from .supervisor.gradebook import require_gradebook

    url = course_db_url(root)
    try:
        require_gradebook(url)
    except CannotGrade as error:
        _fail(command, error)
        return None
    return url


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
    if not (root / "release" / args.assignment).is_dir():  # the likelier mistake: say it first
        return _fail("problems", f"no release/{args.assignment}/ in {root}: is the assignment name right?")
    url = _gradebook(root, "problems")
    if url is None:
        return 1
    try:
        problems = find_problems(root, args.assignment, url)
    except FileNotFoundError as error:
        print(f"trauma-curriculum problems: {error}", file=sys.stderr)
        return 1
    print(format_problems(problems))
    if args.csv:
        try:
            write_csv(problems, Path(args.csv))
        except OSError as error:
            return _cannot_write("problems", error)
        print(f"\nWritten to {args.csv}")
    return 0


def run_autograde(args: argparse.Namespace, _extra: list[str]) -> int:
    """Autograde (or regrade, after a key correction or a late submission): checked first, in parallel."""
    from tqdm import tqdm

    from .supervisor import handgrades
    from .supervisor.autograde import (
        CannotGrade,
        autograde,
        check_gradebook,
        format_summary,
        readable,
        submitted_trainees,
    )
    from .supervisor.problems import find_problems, format_problems, write_csv

    root = _course()
    url = course_db_url(root)
    try:
        check_gradebook(url)  # before the snapshot of what was graded, which reads it
        before = handgrades.snapshot(root, args.assignment, url)
        total = len(submitted_trainees(root, args.assignment, args.trainee))
        with tqdm(total=total, desc=f"Autograding {args.assignment}", unit="submission", leave=False) as bar:
            summary = autograde(root, args.assignment, trainee=args.trainee, jobs=args.jobs, unsafe=args.unsafe,
                                progress=bar.update)  # fmt: skip
    except CannotGrade as error:
        print(f"trauma-curriculum {args.command}: {error}", file=sys.stderr)
        return 2
    changes = handgrades.format_changes(handgrades.settle(root, args.assignment, url, before))
    problems = find_problems(root, args.assignment, url)
    print(format_summary(summary, problems))
    if changes:
        print(changes)
    if problems:
        print(format_problems(problems))
    if args.csv:
        try:
            write_csv(problems, Path(args.csv))
        except OSError as error:
            return _cannot_write(args.command, error)
    broken = [t for t in summary.failed if readable(root, args.assignment, t)]
    if broken:
        print(f"Not graded although readable: {', '.join(broken)} (see the log above).", file=sys.stderr)
    return 1 if broken else 0


def run_trainee_pack(args: argparse.Namespace, _extra: list[str]) -> int:
    from .supervisor.trainee_pack import DEFAULT_TARGET, build_trainee_pack

    root = _course()
    target = Path(args.output) if args.output else root / DEFAULT_TARGET
    if target.is_dir():
        return _fail("trainee-pack", f"{target} is a folder; --output takes the zip file's name, for example "
                                     f"{target / DEFAULT_TARGET.name}")  # fmt: skip
    _warn_stray(root)
    try:
        build_trainee_pack(root, target)
    except OSError as error:
        return _cannot_write("trainee-pack", error)
    print(f"Wrote {target}")
    return 0


def _warn_stray(root: Path) -> None:
    """One line per file that nbgrader would hand to every trainee although it is not a notebook."""
    from .supervisor.trainee_pack import stray_files

    for path in stray_files(root):
        print(f"warning: {path.relative_to(root)} is not a notebook, yet nbgrader copies every file of "
              "source/<a>/ into release/ and so into the trainee pack: move it out unless trainees should have it",
              file=sys.stderr)  # fmt: skip


def run_demo_cohort(args: argparse.Namespace, _extra: list[str]) -> int:
    from .supervisor.autograde import CannotGrade
    from .supervisor.demo_cohort import (
        DUE,
        LATE,
        DemoRefused,
        build_demo_cohort,
        late_ones,
        name_trainees,
        prepare_course,
    )

    root = _course()
    if not any((root / "release").glob("*/*.ipynb")):
        print("No released assignments: run `make release` first.", file=sys.stderr)
        return 1
    try:
        prepared = prepare_course(root, force=args.force)
    except (DemoRefused, CannotGrade) as error:
        return _fail("demo-cohort", error)
    trainees = build_demo_cohort(root, trainees=args.trainees, seed=args.seed)
    name_trainees(prepared.db_url, trainees)
    replaced = f" (replacing the previous demo's {len(prepared.replaced)})" if prepared.replaced else ""
    print(f"Wrote a synthetic cohort of {len(trainees)} named trainees{replaced} to {root / 'submitted'}.")
    print(f"Every assignment is due {DUE.removesuffix(':00 UTC')} UTC.", end="")
    late = [f"{trainee} ({assignment})" for trainee, assignment in late_ones(root, trainees)]
    print(f" Handed in late, on {LATE[:16]} UTC: {', '.join(late)}." if late else "")
    print("Next: `make grade` autogrades it; then grade the written answers in formgrader.")
    return 0


def run_report(args: argparse.Namespace, _extra: list[str]) -> int:
    from .supervisor.report import ReportError, build_report
    from .supervisor.report.stats import Mastery

    root = _course()
    output = Path(args.output) if args.output else None
    if output is not None and output.exists() and not output.is_dir():
        return _fail("report", f"{output} is a file; --output takes a folder (the report goes to "
                               f"{output}/<assignment>/)")  # fmt: skip
    url = _gradebook(root, "report")
    if url is None:
        return 1
    mastery = Mastery(agreement=args.mastery_agreement, kappa=args.mastery_kappa)
    try:
        folder = build_report(root, args.assignment, url, mastery, output)
    except ReportError as error:
        return _fail("report", error)
    except OSError as error:
        return _cannot_write("report", error)
    print(f"Wrote {folder / 'index.html'} (with trainees.csv, items.csv and the figures)")
    return 0


def run_gain(args: argparse.Namespace, _extra: list[str]) -> int:
    """Learning gain between the two parallel forms (or, with --plan, who takes which form first)."""
    from .supervisor.report import ReportError
    from .supervisor.report.gain import DEFAULT_PAIRING, GainError, build_gain_report, plan_pairing

    root = _course()
    forms = (args.first, args.second)
    pairing = Path(args.pairing) if args.pairing else root / DEFAULT_PAIRING
    try:
        if args.plan:
            print(plan_pairing(Path(args.plan), forms, pairing))
            return 0
        url = _gradebook(root, "gain")
        if url is None:
            return 1
        folder, _ = build_gain_report(root, forms, url, pairing if args.pairing or pairing.exists() else None,
                                      Path(args.output) if args.output else None)  # fmt: skip
    except (GainError, ReportError) as error:
        return _fail("gain", error)
    except OSError as error:
        return _cannot_write("gain", error)
    print(f"Wrote {folder / 'index.html'} (with trainees.csv, pairs.csv and the figures)")
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

    root = _course()
    stale = sync(root, check=args.check)
    _warn_stray(root)
    for path in stale:
        print(f"{'out of date' if args.check else 'updated'}: {path}")
    if args.check and stale:
        print("Run `make sync` (trauma-curriculum sync), then `make release`.", file=sys.stderr)
        return 1
    print("Everything generated is up to date." if not stale else f"{len(stale)} files updated.")
    return 0


def run_feedback(args: argparse.Namespace, _extra: list[str]) -> int:
    """nbgrader's generate_feedback, refused while answers wait for a supervisor (unless allowed)."""
    from .supervisor.returns import format_ungraded, generate_feedback, ungraded

    root = _course()
    url = _gradebook(root, "feedback")
    if url is None:
        return 1
    waiting = ungraded(root, url, args.assignment)
    if waiting and not args.allow_ungraded:
        print(format_ungraded(args.assignment, waiting), file=sys.stderr)
        return _fail("feedback", "no feedback written: grade these in formgrader first, or pass "
                                 '--allow-ungraded to return it now, marked "not yet graded" for them')  # fmt: skip
    if waiting:
        print(format_ungraded(args.assignment, waiting), file=sys.stderr)
        print('warning: writing feedback anyway (--allow-ungraded); those answers show as "not yet graded"',
              file=sys.stderr)  # fmt: skip
    ok, log, pages = generate_feedback(root, args.assignment)
    if not ok:
        return _fail("feedback", f"nbgrader generate_feedback {args.assignment} failed; its log: {log}")
    print(f"{args.assignment}: {pages} feedback pages in {root / 'feedback'}/<trainee>/{args.assignment}/ "
          f"(nbgrader's log: {log}). Return them with `nbgrader release_feedback {args.assignment}`.")  # fmt: skip
    return 0


def run_export(args: argparse.Namespace, _extra: list[str]) -> int:
    """grades.csv with what each score means (status, problems, ungraded cells, lateness)."""
    from .supervisor.export import ExportError, grade_rows, write_grades

    root = _course()
    target = Path(args.output) if args.output else root / "grades.csv"
    if target.is_dir():
        return _fail("export", f"{target} is a folder; --output takes the CSV file's name, for example "
                               f"{target / 'grades.csv'}")  # fmt: skip
    url = _gradebook(root, "export")
    if url is None:
        return 1
    try:
        rows = grade_rows(root, url, args.assignment)
        write_grades(rows, target)
    except ExportError as error:
        return _fail("export", error)
    except OSError as error:
        return _cannot_write("export", error)
    unsettled = sum(row["status"] != "graded" for row in rows)
    print(f"Wrote {target}: {len(rows)} rows, {unsettled} of them not simply graded (see the status and "
          "problems columns).")  # fmt: skip
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="trauma-curriculum", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, run, help: str):
        sub = commands.add_parser(name, help=help)  # of the parser's own class: one-line errors too
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
        grade.add_argument("--jobs", type=at_least_one, help="worker processes (default: one per core)")
        grade.add_argument("--unsafe", action="store_true", help="grade without the sandbox (not recommended)")
        grade.add_argument("--csv", help="also write the problems list to this CSV file")
    command("trainee-pack", run_trainee_pack, "write dist/trainee-workspace.zip for trainees").add_argument(
        "--output", help="where to write the zip")
    demo = command("demo-cohort", run_demo_cohort, "write a synthetic cohort's submissions to rehearse grading")
    demo.add_argument("--trainees", type=at_least_one, default=DEFAULT_TRAINEES)
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED)
    demo.add_argument("--force", action="store_true", help="replace a previous demo cohort (never anyone else)")
    feedback = command("feedback", run_feedback, "write feedback/<trainee>/<assignment>/, once grading is done")
    feedback.add_argument("assignment")
    feedback.add_argument("--allow-ungraded", action="store_true",
                          help="write it even though some answers are not graded (they show as not yet graded)")
    export = command("export", run_export, "write grades.csv, with what each score means")
    export.add_argument("--assignment", action="append", help="only this assignment (repeatable; default: all)")
    export.add_argument("--output", help="a file other than grades.csv in the course directory")
    report = command("report", run_report, "write reports/<assignment>/: what the cohort misunderstands")
    report.add_argument("assignment")
    report.add_argument("--mastery-agreement", type=fraction, default=Mastery.agreement,
                        help=f"share of items, 0 to 1 (default {Mastery.agreement})")
    report.add_argument("--mastery-kappa", type=fraction, default=Mastery.kappa,
                        help=f"Cohen's kappa, 0 to 1 (default {Mastery.kappa})")
    report.add_argument("--output", help="a folder other than reports/")
    gain = command("gain", run_gain, "write reports/gain-<A>-<B>/: learning gain between the two parallel forms")
    gain.add_argument("first", help="one form, for example a2-vignette-sorting")
    gain.add_argument("second", help="the parallel form, for example a2b-vignette-sorting")
    gain.add_argument("--pairing", help="CSV of trainee,first: the form each took first (default reports/gain-pairing.csv)")
    gain.add_argument("--plan", metavar="ROSTER", help="write a counterbalanced pairing for these trainee ids instead")
    gain.add_argument("--output", help="a folder other than reports/")
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
