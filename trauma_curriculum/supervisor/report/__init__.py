"""The cohort report: what the cohort misunderstands, after grading (``trauma-curriculum report A``).

Reads the gradebook, the autograded notebooks and the grader-side key of one assignment in a course
directory, and writes ``reports/<assignment>/``: a self-contained ``index.html``, ``trainees.csv``,
``items.csv`` and the figures as PNG files. ``reports/`` holds trainee data and is git-ignored.

Everything a trainee typed or named (answers, trainee ids, file names) reaches the page through Jinja's
autoescaping and the CSV files through :mod:`..tables`, so neither runs as a script or a formula. Answers
are read from the answer cells with the same function the grader scores them with
(:func:`~trauma_curriculum.core.answers.read_answer_cell`), so the report and the grades agree on what
each trainee said.
"""

from __future__ import annotations

import base64
import math
import re
from collections import Counter
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import nbformat
from jinja2 import Environment, PackageLoader
from nbgrader.api import Gradebook, MissingEntry
from tqdm import tqdm

from ...core.answers import read_answer_cell
from ...course import keys_dir
from ...teaching import charts as shared_charts
from .. import tables
from ..keys import ASSESSMENT_DIRNAME, Key, load_key
from ..problems import find_problems
from . import charts
from .stats import (
    MET,
    NO_ANSWER,
    NOT_MET,
    Mastery,
    Response,
    TraineeStats,
    balanced,
    brier,
    item_stats,
    name,
    points_stats,
    trainee_stats,
)


class ReportError(RuntimeError):
    """Nothing to report yet, or nothing to report from: the message says what to do."""


def _notebooks(gradebook: Gradebook, assignment: str) -> dict[str, str]:
    """Each graded cell's notebook (grade_id -> notebook name), as the gradebook knows the assignment."""
    return {cell.name: notebook.name for notebook in gradebook.find_assignment(assignment).notebooks
            for cell in notebook.grade_cells}  # fmt: skip


def _autograded(course: Path, assignment: str, names: set[str]) -> dict[str, list[Path]]:
    """Trainee -> their autograded notebooks of the assignment (only notebooks the assignment has)."""
    found: dict[str, list[Path]] = {}
    for path in sorted((course / "autograded").glob(f"*/{assignment}/*.ipynb")):
        if path.stem in names:
            found.setdefault(path.parent.parent.name, []).append(path)
    return found


def _score(gradebook: Gradebook, grade_id: str, notebook: str | None, assignment: str, trainee: str,
           manual: bool = False) -> float | None:  # fmt: skip
    """A grade's score (a supervisor's override included); None when missing or, for ``manual``, ungraded."""
    if notebook is None:
        return None
    try:
        grade = gradebook.find_grade(grade_id, notebook, assignment, trainee)
    except MissingEntry:
        return None
    if manual and grade.manual_score is None:
        return None
    return grade.score


def load_responses(course: Path, assignment: str, db_url: str) -> list[Response]:
    """Every autograded answer of ``assignment``, read from its answer cell, with its points."""
    key = load_key(assignment, keys_dir(course))
    with Gradebook(db_url) as gradebook:
        home = _notebooks(gradebook, assignment)
        graded = _autograded(course, assignment, set(home.values()))
        if not graded:
            raise ReportError(f"Nothing has been autograded yet for {assignment}: run `make grade` (or "
                              f"`nbgrader autograde {assignment}`) first.")  # fmt: skip
        responses = []
        for trainee, paths in tqdm(graded.items(), desc=f"Reading {assignment}", unit="trainee", leave=False):
            cells = {}
            for path in paths:
                for cell in nbformat.read(path, as_version=4).cells:
                    cells.setdefault(cell.metadata.get("nbgrader", {}).get("grade_id"), cell)
            for question, item in key.questions.items():
                answer = cells.get(f"{question}-answer")
                reading = read_answer_cell(question, item.kind, answer.source if answer is not None else "",
                                           rated=question in key.vignettes)  # fmt: skip
                check = f"{question}-check"
                points = _score(gradebook, check, home.get(check), assignment, trainee) or 0.0
                given = str(reading.value) if reading.status == "valid" else NO_ANSWER
                expected = str(key.answer(question))
                responses.append(
                    Response(trainee, question, given, expected, points, item.points, reading.confidence)
                )
    return responses


def written_scores(
    key: Key, assignment: str, db_url: str, trainees: list[str]
) -> dict[str, dict[str, float | None]]:
    """Trainee -> hand-graded answer -> points given (None while waiting for grading in formgrader)."""
    with Gradebook(db_url) as gradebook:
        home = _notebooks(gradebook, assignment)
        return {
            trainee: {
                g: _score(gradebook, g, home.get(g), assignment, trainee, manual=True) for g in key.written
            }
            for trainee in trainees
        }


def item_titles(course: Path, assignment: str, key: Key) -> dict[str, str]:
    """Each question as people know it: the first line of its prompt in the released notebook
    ("Scene 2: The letter on the mat", "TF3: Relational trauma from adulthood is..."), else its vignette's
    title, else its id."""
    titles = {question: f"{question}: {vignette.title}" for question, vignette in key.vignettes.items()}
    for path in sorted((course / "release" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            question = cell.metadata.get("nbgrader", {}).get("grade_id", "").removesuffix("-prompt")
            if question in key.questions and cell.source.strip():
                line = re.sub(r"[#*`]", "", cell.source.strip().splitlines()[0]).strip()
                line = re.sub(r"^(\w+)\.\s+", r"\1: ", line)  # "TF3. Relational..." -> "TF3: Relational..."
                titles[question] = line if len(line) <= 70 else line[:67].rstrip() + "..."
    return {question: titles.get(question, question) for question in key.questions}


def staleness(course: Path, key: Key, notebooks: list[Path]) -> str:
    """Why the report may mix two keys, or "" when it does not.

    A key (or an assessment vignette it uses) changed after some notebooks were autograded means that
    their points come from the old key while this report's agreement comes from the new one.
    """
    sources = [
        key.path,
        *(keys_dir(course) / ASSESSMENT_DIRNAME / f"{v.id}.yaml" for v in key.vignettes.values()),
    ]
    changed = max((p for p in sources if p.exists()), key=lambda p: p.stat().st_mtime)
    when = changed.stat().st_mtime
    older = [p for p in notebooks if p.stat().st_mtime < when]
    if not older:
        return ""
    shown = changed.relative_to(course) if changed.is_relative_to(course) else changed
    return (
        f"{shown} changed on {datetime.fromtimestamp(when):%Y-%m-%d %H:%M}, after {len(older)} of "
        f"{len(notebooks)} notebooks were autograded, so their points come from the old key and this page's "
        f"agreement from the new one. Regrade first (trauma-curriculum regrade {key.data.assignment}), "
        "then rebuild this report."
    )


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
    trainee_ids = sorted({r.trainee for r in responses})
    written = written_scores(key, assignment, db_url, trainee_ids)
    written_max = {grade_id: item.points for grade_id, item in key.written.items()}
    if sorting:
        trainees = trainee_stats(sorting, mastery)
        for t in trainees:
            t.written = written[t.trainee]
    else:
        trainees = points_stats(responses, written, written_max, mastery)
    items = item_stats(responses)
    titles = item_titles(course, assignment, key)
    folder = (output or course / "reports") / assignment
    folder.mkdir(parents=True, exist_ok=True)
    images = _figures(trainees, items, sorting, titles, written, written_max, mastery)
    for image, (_, data) in images.items():
        (folder / f"{image}.png").write_bytes(data)

    tables.write_csv(folder / "trainees.csv", [_trainee_row(t, titles) for t in trainees])
    tables.write_csv(folder / "items.csv", [_item_row(i, key, titles) for i in items])
    notebooks = sorted((course / "autograded").glob(f"*/{assignment}/*.ipynb"))
    sorted_items = len({r.item for r in sorting})
    key_labels = [r.expected for r in sorting if r.trainee == trainee_ids[0]]
    environment = Environment(loader=PackageLoader("trauma_curriculum.supervisor.report"), autoescape=True)
    page = environment.get_template("report.html.j2").render(
        assignment=assignment, mastery=mastery, sorting=bool(sorting), trainees=trainees, items=items,
        needs_help=sorted((t for t in trainees if t.needs_help), key=lambda t: t.points / t.max_points),
        problems=find_problems(course, assignment, db_url), written_max=written_max, brier=brier(sorting),
        images={image: (alt, base64.b64encode(data).decode()) for image, (alt, data) in images.items()},
        cohort=len(trainees), titles=titles, name=name, stale=staleness(course, key, notebooks),
        balanced=balanced(key_labels), chance=1 / max(len(set(key_labels)), 1), sorted_items=sorted_items,
        worth=_worth(key, key_labels, written_max), summary=_cohort_summary(trainees, items, sorting, titles),
    )  # fmt: skip
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder


def _figures(trainees: list[TraineeStats], items, sorting: list[Response], titles: dict[str, str],
             written: dict[str, dict[str, float | None]], written_max: dict[str, float],
             mastery: Mastery) -> dict[str, tuple[str, bytes]]:  # fmt: skip
    """The page's figures as (alt text, PNG), by file name."""
    images: dict[str, tuple[str, bytes]] = {}
    if sorting:
        images["confusion"] = ("The cohort's confusion matrix: expert label (rows) against the cohort's answers "
                               "(columns); the outlined cells are attachment and relational taken for each other.",
                               shared_charts.to_png(shared_charts.confusion_figure([r.expected for r in sorting], [r.answer for r in sorting])))  # fmt: skip
        images["kappas"] = ("The distribution of trainees' kappas (point estimates), with the mastery line.",
                            shared_charts.to_png(charts.kappa_distribution_figure([t.kappa for t in trainees], mastery.kappa)))  # fmt: skip
    images["difficulty"] = ("Item difficulty: the proportion of the cohort right on each item, hardest first.",
                            shared_charts.to_png(charts.item_difficulty_figure([titles[i.item] for i in items],
                                                                [i.proportion_correct for i in items],
                                                                [i.expected for i in items])))  # fmt: skip
    rated = [r for r in sorting if r.confidence is not None]
    if rated:
        images["calibration"] = ("Calibration: how sure trainees said they were against how often they were right.",
                                 shared_charts.to_png(shared_charts.calibration_figure([r.confidence for r in rated],
                                                                 [r.answer == r.expected for r in rated],
                                                                 who="the cohort's answers")))  # fmt: skip
    for grade_id, maximum in written_max.items():
        given = [scores[grade_id] for scores in written.values() if scores.get(grade_id) is not None]
        if given:
            images[f"written-{grade_id}"] = (f"Points given by hand for {grade_id}.",
                                             shared_charts.to_png(charts.written_points_figure(given, maximum, f"Written answer {grade_id}")))  # fmt: skip
    return images


def _worth(key: Key, key_labels: list[str], written_max: dict[str, float]) -> str:
    """How many items the page rests on, and what one of them is worth."""
    if key_labels:
        n, chance = len(key_labels), 1 / len(set(key_labels))
        kappa = f" and, with this key's equal share of each label, kappa by {1 / (n * (1 - chance)):.2f}"
        return (
            f"{n} sorted items: one item moves a trainee's agreement by {100 / n:.0f} percentage "
            f"points{kappa if balanced(key_labels) else ''}."
        )
    auto = sum(q.points for q in key.questions.values())
    total = auto + sum(written_max.values())
    hand = f" and {sum(written_max.values()):g} points graded by hand" if written_max else ""
    return (
        f"{len(key.questions)} autograded items ({auto:g} points){hand}: one 1-point item is "
        f"{100 / total:.0f}% of the {total:g} points."
    )


def _trainee_row(t: TraineeStats, titles: dict[str, str]) -> dict:
    def interval(found) -> tuple[str, str]:
        return (
            ("", "") if found is None or math.isnan(found.low) else (f"{found.low:.3f}", f"{found.high:.3f}")
        )

    row = {"trainee": t.trainee, "points": f"{t.points:g}", "max_points": f"{t.max_points:g}", "items": t.items,
           "percent_agreement": f"{100 * t.agreement:.1f}"}  # fmt: skip
    if t.agreement_interval is not None:
        (low, high), (k_low, k_high) = interval(t.agreement_interval), interval(t.kappa_interval)
        row |= {"agreement_low": low, "agreement_high": high,
                "kappa": "" if math.isnan(t.kappa) else f"{t.kappa:.3f}", "kappa_low": k_low, "kappa_high": k_high,
                "kappa_band": t.band, "most_frequent_confusion": t.confusion}  # fmt: skip
    else:
        row["missed"] = "; ".join(f"{titles[item]} (answered {name(answer)}, key {name(expected)})"
                                  for item, answer, expected in t.missed)  # fmt: skip
    row |= {
        f"{grade_id}_points": "" if score is None else f"{score:g}" for grade_id, score in t.written.items()
    }
    row["mastery"] = t.decision
    return row


def _cohort_summary(
    trainees: list[TraineeStats], items, sorting: list[Response], titles: dict[str, str]
) -> list[str]:
    """The sentences a supervisor reads first: decisions, the cohort's main confusions, the hardest items."""
    decisions = Counter(t.decision for t in trainees)
    lines = [f"Of {len(trainees)} trainees, {decisions[MET]} met the mastery line and {decisions[NOT_MET]} did not"
             + (f"; for {len(trainees) - decisions[MET] - decisions[NOT_MET]} it is not yet decidable."
                if len(trainees) > decisions[MET] + decisions[NOT_MET] else ".")]  # fmt: skip
    wrong = Counter((r.expected, r.answer) for r in sorting if r.answer != r.expected)
    if wrong:
        total, cut = (
            sum(wrong.values()),
            sorted(wrong.values(), reverse=True)[:3][-1],
        )  # ties at the cut stay in
        top = "; ".join(f"{name(e)} answered as {name(g)} ({n} of {total} errors)"
                        for (e, g), n in wrong.most_common() if n >= cut)  # fmt: skip
        lines.append(f"The cohort's most frequent confusions: {top}.")
    hardest = sorted(items, key=lambda i: i.proportion_correct)[:3]
    lines.append("Hardest items: " + "; ".join(f"{titles[i.item]} ({100 * i.proportion_correct:.0f}% right)"
                                                for i in hardest) + ".")  # fmt: skip
    return lines


def _item_row(i, key: Key, titles: dict[str, str]) -> dict:
    vignette = key.vignettes.get(i.item)
    row = {"item": i.item, "vignette": vignette.id if vignette else "", "title": titles[i.item],
           **{k: v for k, v in asdict(i).items() if k != "item"}}  # fmt: skip
    row["expected"] = name(i.expected)
    row["proportion_correct"] = f"{i.proportion_correct:.3f}"
    row["discrimination"] = "" if math.isnan(i.discrimination) else f"{i.discrimination:.3f}"
    return row
