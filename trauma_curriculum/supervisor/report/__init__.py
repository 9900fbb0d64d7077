"""The cohort report: what the cohort misunderstands, after grading (``trauma-curriculum report A``).

Reads the gradebook, the autograded notebooks and the grader-side key of one assignment in a course
directory, and writes ``reports/<assignment>/``: a self-contained ``index.html``, ``trainees.csv``,
``items.csv`` and the figures as PNG files. ``reports/`` holds trainee data and is git-ignored.
"""

from __future__ import annotations

import ast
import base64
import csv
import math
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import nbformat
from jinja2 import Environment, PackageLoader, select_autoescape
from nbgrader.api import Gradebook, MissingEntry
from tqdm import tqdm

from ...core.answers import InvalidAnswer, normalise
from ...core.labels import LABEL_NAMES, LABELS
from ...course import keys_dir
from ...teaching import charts as shared_charts
from ..keys import load_key
from ..problems import find_problems
from . import charts
from .stats import NO_ANSWER, Mastery, Response, TraineeStats, brier, item_stats, trainee_stats


class ReportError(RuntimeError):
    """Nothing to report yet, or nothing to report from: the message says what to do."""


def _assigned_values(source: str) -> dict[str, object]:
    """Names assigned literal values in an answer cell (``item01 = ("both")``, ``confidence01 = 80``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                values[node.targets[0].id] = NO_ANSWER
    return values


def _confidence(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100:
        return value / 100
    return None


def load_responses(course: Path, assignment: str, db_url: str) -> list[Response]:
    """Every autograded answer of ``assignment``, with its points from the gradebook."""
    key = load_key(assignment, keys_dir(course))
    notebooks = sorted((course / "autograded").glob(f"*/{assignment}/*.ipynb"))
    if not notebooks:
        raise ReportError(f"Nothing has been autograded yet for {assignment}: run `make grade` (or "
                          f"`nbgrader autograde {assignment}`) first.")  # fmt: skip
    responses = []
    with Gradebook(db_url) as gradebook:
        for path in tqdm(notebooks, desc=f"Reading {assignment}", unit="submission", leave=False):
            trainee = path.parent.parent.name
            values = {}
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
                    values.update(_assigned_values(cell.source))
            for question, item in key.questions.items():
                try:
                    answer = str(normalise(item.kind, values.get(question, NO_ANSWER)))
                except InvalidAnswer:
                    answer = NO_ANSWER
                try:
                    grade = gradebook.find_grade(f"{question}-check", path.stem, assignment, trainee)
                    points = grade.auto_score or 0.0
                except MissingEntry:
                    points = 0.0
                number = question.removeprefix("item")
                responses.append(Response(
                    trainee, question, answer, str(key.answer(question)), points, item.points, _confidence(values.get(f"confidence{number}")) if number.isdigit() else None,
                ))  # fmt: skip
    return responses


def written_points(assignment: str, db_url: str, course: Path) -> dict[str, tuple[float, list[float], int]]:
    """For each hand-graded answer: its maximum, the points given so far, and how many await grading."""
    written = load_key(assignment, keys_dir(course)).written
    found = {}
    with Gradebook(db_url) as gradebook:
        for grade_id, item in written.items():
            given, waiting = [], 0
            for submission in gradebook.assignment_submissions(assignment):
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.name == grade_id:
                            if grade.manual_score is None:
                                waiting += 1
                            else:
                                given.append(grade.manual_score)
            found[grade_id] = (item.points, given, waiting)
    return found


def _check_gradebook(db_url: str, assignment: str) -> None:
    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).exists():
        raise ReportError(f"No gradebook at {db_url.removeprefix('sqlite:///')}: release and autograde the "
                          "assignment first (`make release`, then `make grade`).")  # fmt: skip
    with Gradebook(db_url) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            known = ", ".join(a.name for a in gradebook.assignments) or "none"
            raise ReportError(
                f"Assignment {assignment!r} is not in the gradebook (it has: {known})."
            ) from None


DEFAULT_MASTERY = Mastery()


def build_report(course: Path, assignment: str, db_url: str, mastery: Mastery = DEFAULT_MASTERY,
                 output: Path | None = None) -> Path:  # fmt: skip
    """Write the report for one assignment and return its folder."""
    _check_gradebook(db_url, assignment)
    responses = load_responses(course, assignment, db_url)
    key = load_key(assignment, keys_dir(course))
    sorting = [r for r in responses if key.questions[r.item].kind == "label"]
    folder = (output or course / "reports") / assignment
    folder.mkdir(parents=True, exist_ok=True)

    trainees = trainee_stats(sorting, mastery) if sorting else _percent_only(responses, mastery)
    items = item_stats(responses)
    images: dict[str, tuple[str, bytes]] = {}
    if sorting:
        images["confusion"] = ("The cohort's confusion matrix: expert label (rows) against the cohort's answers "
                               "(columns); the outlined cells are attachment and relational taken for each other.",
                               shared_charts.to_png(shared_charts.confusion_figure([r.expected for r in sorting], [r.answer for r in sorting])))  # fmt: skip
        images["kappas"] = ("The distribution of trainees' kappas, with the mastery line.",
                            shared_charts.to_png(charts.kappa_distribution_figure([t.kappa for t in trainees], mastery.kappa)))  # fmt: skip
    images["difficulty"] = ("Item difficulty: the proportion of the cohort right on each item, hardest first.",
                            shared_charts.to_png(charts.item_difficulty_figure([i.item for i in items],
                                                                [i.proportion_correct for i in items],
                                                                [i.expected for i in items])))  # fmt: skip
    rated = [r for r in sorting if r.confidence is not None]
    if rated:
        images["calibration"] = ("Calibration: how sure trainees said they were against how often they were right.",
                                 shared_charts.to_png(shared_charts.calibration_figure([r.confidence for r in rated],
                                                                 [r.answer == r.expected for r in rated],
                                                                 who="the cohort's answers")))  # fmt: skip
    written = written_points(assignment, db_url, course)
    for grade_id, (maximum, given, _waiting) in written.items():
        if given:
            images[f"written-{grade_id}"] = (f"Points given by hand for {grade_id}.",
                                             shared_charts.to_png(charts.written_points_figure(given, maximum, f"Written answer {grade_id}")))  # fmt: skip
    for name, (_, data) in images.items():
        (folder / f"{name}.png").write_bytes(data)

    titles = {q: (v.id, v.title) for q, v in key.vignettes.items()}
    _write_csv(folder / "trainees.csv", [_trainee_row(t) for t in trainees])
    _write_csv(folder / "items.csv", [_item_row(i, *titles.get(i.item, ("", ""))) for i in items])
    problems = find_problems(course, assignment, db_url)
    environment = Environment(loader=PackageLoader("trauma_curriculum.supervisor.report"),
                              autoescape=select_autoescape())  # fmt: skip
    page = environment.get_template("report.html.j2").render(
        assignment=assignment, mastery=mastery, sorting=bool(sorting),
        needs_help=[t for t in trainees if not t.mastery], trainees=trainees, items=items,
        problems=problems, written=written, brier=brier(sorting), label_names=LABEL_NAMES,
        images={name: (alt, base64.b64encode(data).decode()) for name, (alt, data) in images.items()},
        labels=LABELS, cohort=len(trainees), titles=titles, summary=_cohort_summary(trainees, items, sorting),
    )  # fmt: skip
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder


def _percent_only(responses: list[Response], mastery: Mastery):
    """Trainee rows for assignments without sorting items: points and percent right (no kappa)."""
    rows = []
    for trainee in sorted({r.trainee for r in responses}):
        mine = [r for r in responses if r.trainee == trainee]
        share = sum(r.answer == r.expected for r in mine) / len(mine)
        rows.append(TraineeStats(trainee, sum(r.points for r in mine), sum(r.max_points for r in mine), share,
                                 math.nan, "n/a", "", share >= mastery.agreement,
                                 answered=sum(r.answer != NO_ANSWER for r in mine)))  # fmt: skip
    return rows


def _trainee_row(t) -> dict:
    return {"trainee": t.trainee, "points": f"{t.points:g}", "max_points": f"{t.max_points:g}",
            "percent_agreement": f"{100 * t.agreement:.1f}", "kappa": "" if math.isnan(t.kappa) else f"{t.kappa:.3f}",
            "kappa_band": t.band, "most_frequent_confusion": t.confusion, "mastery_met": "yes" if t.mastery else "no"}  # fmt: skip


def _cohort_summary(trainees, items, sorting: list[Response]) -> list[str]:
    """Three sentences a supervisor reads first: mastery, the cohort's main confusions, the hardest items."""
    lines = [f"{sum(t.mastery for t in trainees)} of {len(trainees)} trainees met the mastery line."]
    wrong = Counter((r.expected, r.answer) for r in sorting if r.answer != r.expected)
    if wrong:
        top = "; ".join(f"{e} answered as {g} ({n} times)" for (e, g), n in wrong.most_common(3))
        lines.append(f"The cohort's most frequent confusions: {top}.")
    hardest = sorted(items, key=lambda i: i.proportion_correct)[:3]
    lines.append(
        "Hardest items: "
        + ", ".join(f"{i.item} ({100 * i.proportion_correct:.0f}% right)" for i in hardest)
        + "."
    )
    return lines


def _item_row(i, vignette: str = "", title: str = "") -> dict:
    row = {
        "item": i.item,
        "vignette": vignette,
        "title": title,
        **{k: v for k, v in asdict(i).items() if k != "item"},
    }
    row["proportion_correct"] = f"{i.proportion_correct:.3f}"
    row["discrimination"] = "" if math.isnan(i.discrimination) else f"{i.discrimination:.3f}"
    return row


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["empty"])
        writer.writeheader()
        writer.writerows(rows)
