"""Measured learning gain: a baseline check and a parallel post-check (``trauma-curriculum gain A B``).

The two checks are the two parallel forms of the sorting assessment (for example ``a2-vignette-sorting``,
form A, and ``a2b-vignette-sorting``, form B: twenty items each, matched in difficulty, no vignette in
both). Half the cohort takes form A first and half form B (:func:`counterbalanced`), so a difference
between the forms does not pass for learning; which form each trainee took first is a small CSV (the
pairing), written by ``gain A B --plan roster.txt`` and read back by ``gain A B``.

For each trainee: the share of points before and after, and the normalised gain (Hake, 1998),
``g = (post - pre) / (1 - pre)``, the share of what could still be learnt that was; for the cohort,
Hake's gain of the class averages and the change in Cohen's kappa for each pair of labels, each with a
95% bootstrap interval over trainees. A pre/post design without a control group shows change, not its
cause, and the report says so where the numbers are.
"""

from __future__ import annotations

import base64
import csv
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from jinja2 import Environment, PackageLoader
from matplotlib.figure import Figure

from ...core.labels import LABELS, plain_name
from ...teaching.charts import to_png
from ..tables import write_csv
from .stats import NO_ANSWER, Response

#: Every pair of labels, in teaching order.
PAIRS: tuple[tuple[str, str], ...] = tuple(itertools.combinations(LABELS, 2))
RESAMPLES = 2000
#: Where the pairing lives in a course (reports/ is git-ignored: it names trainees).
DEFAULT_PAIRING = Path("reports") / "gain-pairing.csv"
CAVEAT = ("This is a comparison before and after, without a control group: it shows how much scores changed, "
          "not what changed them. Practice with the forms themselves, other teaching, time and regression "
          "towards the mean can all move scores; counterbalancing the two forms removes only the difference "
          "between the forms.")  # fmt: skip


class GainError(ValueError):
    """A pairing or a cohort the gain report cannot use: the message names the file, the row and the fix."""


# -- which form first --------------------------------------------------------------------------------
def counterbalanced(trainees: Sequence[str], first: str, second: str, seed: int = 0) -> dict[str, str]:
    """Trainee -> the form they take first: half (the odd one out to ``first``) each way, shuffled by ``seed``."""
    order = sorted(set(trainees))
    random.Random(seed).shuffle(order)
    half = math.ceil(len(order) / 2)
    return {trainee: first if index < half else second for index, trainee in enumerate(order)}


def write_pairing(path: Path, pairing: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(path, [{"trainee": trainee, "first": first} for trainee, first in sorted(pairing.items())],
              ["trainee", "first"])  # fmt: skip
    return path


def plan_pairing(roster: Path, forms: tuple[str, str], target: Path, seed: int = 0) -> str:
    """Write a counterbalanced pairing for the trainee ids in ``roster`` (one a line) to ``target``."""
    try:
        trainees = [line.strip() for line in roster.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        raise GainError(f"{roster}: no roster file; give a text file with one trainee id a line") from None
    if len(trainees) < 2:
        raise GainError(
            f"{roster}: {len(trainees)} trainee id(s); a counterbalanced pairing needs at least two"
        )
    pairing = counterbalanced(trainees, *forms, seed=seed)
    write_pairing(target, pairing)
    firsts = [sum(first == form for first in pairing.values()) for form in forms]
    return (
        f"Wrote {target}: {firsts[0]} trainees take {forms[0]} first and {firsts[1]} take {forms[1]} first. "
        "Release each trainee's first form as the baseline before module 01, the other after module 07."
    )


def read_pairing(path: Path, forms: tuple[str, str]) -> dict[str, str]:
    """The pairing CSV (columns ``trainee``, ``first``), checked: ``first`` must name one of ``forms``."""
    try:
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
    except FileNotFoundError:
        raise GainError(f"{path}: no pairing file; write one with `trauma-curriculum gain {forms[0]} {forms[1]} "
                        "--plan roster.txt` (one trainee id a line)") from None  # fmt: skip
    if rows and not {"trainee", "first"} <= set(rows[0]):
        raise GainError(f"{path}: needs the columns 'trainee' and 'first'; it has {sorted(rows[0])}")
    pairing = {}
    for number, row in enumerate(rows, start=2):
        if row["first"] not in forms:
            raise GainError(f"{path}: line {number}: field 'first' is {row['first']!r}; it must be "
                            f"{forms[0]!r} or {forms[1]!r}")  # fmt: skip
        pairing[row["trainee"]] = row["first"]
    return pairing


# -- the statistics ----------------------------------------------------------------------------------
def hake_g(pre: float, post: float) -> float:
    """Hake's normalised gain for shares from 0 to 1 (NaN when ``pre`` leaves nothing to gain)."""
    return (post - pre) / (1 - pre) if pre < 1 else math.nan


def pair_matrix(expected: Sequence[str], given: Sequence[str], pair: tuple[str, str]) -> np.ndarray:
    """Counts of key (rows: the pair's two labels, then "other") against answer (the same three columns),
    over the items whose key is one of ``pair``; any answer outside the pair counts as "other"."""
    index = {pair[0]: 0, pair[1]: 1}
    matrix = np.zeros((3, 3))
    for e, g in zip(expected, given, strict=True):
        if e in index:
            matrix[index[e], index.get(g, 2)] += 1
    return matrix


def kappas_of(matrices: np.ndarray) -> np.ndarray:
    """Cohen's kappa of each confusion matrix in a stack (``[..., k, k]``); NaN where there is nothing to
    compare (fewer than two keyed labels) or chance explains everything."""
    total = matrices.sum(axis=(-2, -1))
    rows, columns = matrices.sum(axis=-1), matrices.sum(axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.trace(matrices, axis1=-2, axis2=-1) / total
        chance = (rows * columns).sum(axis=-1) / total**2
        kappa = (observed - chance) / (1 - chance)
    return np.where((np.count_nonzero(rows, axis=-1) < 2) | (chance == 1), np.nan, kappa)


def kappa_of(matrix: np.ndarray) -> float:
    return float(kappas_of(matrix))


def pair_kappa(expected: Sequence[str], given: Sequence[str], pair: tuple[str, str]) -> float:
    """How well two labels are told apart: Cohen's kappa on the items keyed with either of them."""
    return kappa_of(pair_matrix(expected, given, pair))


def overall_kappa(responses: Sequence[Response]) -> float:
    """Cohen's kappa between the key and the answers over all five labels (a blank counts as its own answer),
    as the cohort report computes it."""
    index = {label: number for number, label in enumerate((*LABELS, NO_ANSWER))}
    matrix = np.zeros((len(index), len(index)))
    for r in responses:
        matrix[index[r.expected], index.get(r.answer, index[NO_ANSWER])] += 1
    return kappa_of(matrix)


def _share(responses: Sequence[Response]) -> float:
    return sum(r.points for r in responses) / sum(r.max_points for r in responses)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def text(self, digits: int = 2) -> str:
        if math.isnan(self.low):
            return "n/a"
        return f"{self.low:.{digits}f} to {self.high:.{digits}f}"


@dataclass(frozen=True)
class TraineeGain:
    trainee: str
    first: str
    pre: float
    post: float
    g: float
    kappa_pre: float
    kappa_post: float


@dataclass(frozen=True)
class PairChange:
    pair: tuple[str, str]
    kappa_pre: float
    kappa_post: float
    interval: Interval  # of the change

    @property
    def change(self) -> float:
        return self.kappa_post - self.kappa_pre


@dataclass(frozen=True)
class GainReport:
    forms: tuple[str, str]
    trainees: tuple[TraineeGain, ...]
    cohort_g: float
    cohort_g_interval: Interval
    pre_mean: float
    post_mean: float
    pairs: tuple[PairChange, ...]
    form_means: dict[str, float]
    unpaired: tuple[str, ...]
    first_counts: dict[str, int]
    caveat: str = CAVEAT

    @property
    def mean_g(self) -> float:
        """The average of the trainees' own gains (Hake's g is of the class averages; both are shown)."""
        values = [t.g for t in self.trainees if not math.isnan(t.g)]
        return float(np.mean(values)) if values else math.nan


def _percentile(values: Sequence[float]) -> Interval:
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return Interval(math.nan, math.nan)
    low, high = np.percentile(finite, [2.5, 97.5])
    return Interval(float(low), float(high))


def gain_report(responses: dict[str, Sequence[Response]], pairing: dict[str, str] | None, forms: tuple[str, str],
                seed: int = 0, resamples: int = RESAMPLES) -> GainReport:  # fmt: skip
    """The gain of every trainee who took both forms; ``pairing`` says which form each took first (None:
    everyone took ``forms[0]`` first, which the report then says confounds the forms with the change)."""
    by_form = {form: {} for form in forms}
    for form in forms:
        for response in responses[form]:
            by_form[form].setdefault(response.trainee, []).append(response)
    both = sorted(set(by_form[forms[0]]) & set(by_form[forms[1]]))
    if len(both) < 2:
        raise GainError(
            f"only {len(both)} trainee(s) took both {forms[0]} and {forms[1]}; a gain needs at least two"
        )
    unpaired = sorted((set(by_form[forms[0]]) | set(by_form[forms[1]])) - set(both))
    first_of = {t: (pairing or {}).get(t, forms[0]) for t in both}
    missing = [t for t in both if pairing is not None and t not in pairing]
    if missing:
        raise GainError(
            f"the pairing does not say which form {', '.join(missing[:5])} took first; add them to it"
        )
    pre = {t: by_form[first_of[t]][t] for t in both}
    post = {t: by_form[forms[1] if first_of[t] == forms[0] else forms[0]][t] for t in both}
    trainees = tuple(TraineeGain(t, first_of[t], _share(pre[t]), _share(post[t]), hake_g(_share(pre[t]), _share(post[t])),
                                 overall_kappa(pre[t]), overall_kappa(post[t])) for t in both)  # fmt: skip

    shares = np.array([[t.pre, t.post] for t in trainees])  # (trainee, sitting)
    # per trainee, pair and sitting, a confusion matrix; a bootstrap resample of trainees is a weighted sum
    matrices = np.array(
        [
            [
                [
                    pair_matrix([r.expected for r in sitting[t]], [r.answer for r in sitting[t]], pair)
                    for sitting in (pre, post)
                ]
                for pair in PAIRS
            ]
            for t in both
        ]
    )  # (trainee, pair, 2, 3, 3)
    chooser = np.random.default_rng(seed)
    weights = np.stack(
        [
            np.bincount(chooser.integers(0, len(both), len(both)), minlength=len(both))
            for _ in range(resamples)
        ]
    )  # (resample, trainee): how often each trainee was drawn
    resampled = np.einsum("st,tpxij->spxij", weights, matrices)
    whole = matrices.sum(axis=0)
    pairs = []
    for index, pair in enumerate(PAIRS):
        before, after = kappa_of(whole[index, 0]), kappa_of(whole[index, 1])
        if math.isnan(before) and math.isnan(after):
            continue
        changes = kappas_of(resampled[:, index, 1]) - kappas_of(resampled[:, index, 0])
        pairs.append(PairChange(pair, before, after, _percentile(changes.tolist())))
    means = weights @ shares / len(both)  # (resample, sitting): the resampled cohort's mean shares
    with np.errstate(divide="ignore", invalid="ignore"):
        resampled_g = np.where(means[:, 0] < 1, (means[:, 1] - means[:, 0]) / (1 - means[:, 0]), np.nan)
    form_means = {form: float(np.mean([_share(by_form[form][t]) for t in both])) for form in forms}
    mean_pre, mean_post = (float(value) for value in shares.mean(axis=0))
    return GainReport(forms, trainees, hake_g(mean_pre, mean_post), _percentile(resampled_g.tolist()), mean_pre,
                      mean_post, tuple(pairs), form_means, tuple(unpaired),
                      {form: sum(first_of[t] == form for t in both) for form in forms})  # fmt: skip


# -- the page ----------------------------------------------------------------------------------------
def slope_figure(report: GainReport) -> Figure:
    """Each trainee's share of points before and after, one line each; the cohort's means in bold."""
    figure = Figure(figsize=(5.5, 4.5), layout="constrained")
    axes = figure.subplots()
    for trainee in report.trainees:
        axes.plot([0, 1], [trainee.pre, trainee.post], color="#999999", lw=1, marker="o", ms=4)
    axes.plot(
        [0, 1],
        [report.pre_mean, report.post_mean],
        color="#0072B2",
        lw=3,
        marker="s",
        ms=8,
        label="cohort mean",
    )
    axes.set_xticks([0, 1], ["baseline (first form)", "post-check (other form)"])
    axes.set_xlim(-0.2, 1.2)
    axes.set_ylim(0, 1.02)
    axes.set_ylabel("Share of points")
    axes.set_title("Before and after, trainee by trainee")
    axes.legend(loc="lower right")
    return figure


def kappa_change_figure(report: GainReport) -> Figure:
    """The change in kappa for each pair of labels, with its 95% interval; zero marked."""
    pairs = report.pairs
    figure = Figure(figsize=(7.5, 0.45 * len(pairs) + 1.6), layout="constrained")
    axes = figure.subplots()
    names = [f"{plain_name(a)} / {plain_name(b)}" for a, b in (p.pair for p in pairs)]
    changes = [p.change for p in pairs]
    errors = np.array([[max(0.0, c - p.interval.low), max(0.0, p.interval.high - c)]
                       for c, p in zip(changes, pairs, strict=True)]).T  # fmt: skip
    axes.errorbar(
        changes, range(len(pairs)), xerr=errors, fmt="o", color="#0072B2", ecolor="#333333", capsize=4
    )
    axes.axvline(0, color="#D55E00", ls="--", lw=1.5, label="no change")
    axes.set_yticks(range(len(pairs)), names)
    axes.invert_yaxis()
    axes.set_xlabel("Change in Cohen's kappa (post-check minus baseline)")
    axes.set_title("Telling each pair of labels apart: change, with 95% intervals")
    axes.legend(loc="lower right")
    return figure


def write_gain_report(report: GainReport, folder: Path) -> Path:
    """Write ``index.html`` (self-contained), ``trainees.csv``, ``pairs.csv`` and the figures; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    images = {
        "slopes": ("Each trainee's share of points on the baseline and on the post-check, with the cohort's means.",
                   to_png(slope_figure(report))),
        "kappa-change": ("The change in Cohen's kappa for each pair of labels, with 95% bootstrap intervals; the "
                         "dashed line is no change.", to_png(kappa_change_figure(report))),
    }  # fmt: skip
    for name, (_, data) in images.items():
        (folder / f"{name}.png").write_bytes(data)
    write_csv(folder / "trainees.csv", [
        {"trainee": t.trainee, "first_form": t.first, "pre": f"{t.pre:.3f}", "post": f"{t.post:.3f}",
         "hake_g": _number(t.g), "kappa_pre": _number(t.kappa_pre), "kappa_post": _number(t.kappa_post),
         "kappa_change": _number(t.kappa_post - t.kappa_pre)} for t in report.trainees],
        ["trainee", "first_form", "pre", "post", "hake_g", "kappa_pre", "kappa_post", "kappa_change"])  # fmt: skip
    write_csv(folder / "pairs.csv", [
        {"pair": f"{p.pair[0]}/{p.pair[1]}", "kappa_pre": _number(p.kappa_pre), "kappa_post": _number(p.kappa_post),
         "kappa_change": _number(p.change), "interval_low": _number(p.interval.low),
         "interval_high": _number(p.interval.high)} for p in report.pairs],
        ["pair", "kappa_pre", "kappa_post", "kappa_change", "interval_low", "interval_high"])  # fmt: skip
    environment = Environment(loader=PackageLoader("trauma_curriculum.supervisor.report"), autoescape=True)
    page = environment.get_template("gain.html.j2").render(
        report=report, name=plain_name, number=_number,
        images={name: (alt, base64.b64encode(data).decode()) for name, (alt, data) in images.items()},
    )  # fmt: skip
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder


def _number(value: float, digits: int = 3) -> str:
    return "" if math.isnan(value) else f"{value:.{digits}f}"


def build_gain_report(course: Path, forms: tuple[str, str], db_url: str, pairing_path: Path | None,
                      output: Path | None = None) -> tuple[Path, GainReport]:  # fmt: skip
    """Read both forms' autograded answers from the course and write ``reports/gain-<A>-<B>/``."""
    from . import load_responses

    pairing = read_pairing(pairing_path, forms) if pairing_path is not None else None
    report = gain_report({form: load_responses(course, form, db_url) for form in forms}, pairing, forms)
    folder = (output or course / "reports") / f"gain-{forms[0]}-{forms[1]}"
    return write_gain_report(report, folder), report
