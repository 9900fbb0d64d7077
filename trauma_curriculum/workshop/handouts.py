"""Handouts for paper: every module executed (so its figures are in it) and exported to one HTML file, with
a facilitator's key sheet beside it.

A handout must open in a room with no network, so nothing may load from a CDN: MathJax, require.js and
Mermaid are switched off (the modules use none of them) and code is hidden. A live exercise cannot work
on paper, so each is printed as a paper exercise instead: the module's vignette cards, self-check
questions, cue statements, explorer histories and unfolding cases, read from the package, with a place to
answer and no key. The keys and rationales go to a separate sheet (``facilitator-keys/``), so the handout
can be given out as it is. Instructions for pressing buttons are left out of the printed prose, each
figure carries a description that names only what the figure shows, and the print styles keep a
heading with what follows it.
"""

from __future__ import annotations

import ast
import html
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from ..core.content import SIGNALS, load_self_check, load_statements
from ..core.definitions import RELATIONSHIPS, classify
from ..core.labels import LABEL_NAMES, LABELS, plain_name
from ..core.paths import BANK
from ..core.unfolding import UNFOLDING, load_cases
from ..core.vignettes import load_bank

DEFAULT_TARGET = Path("dist") / "handouts"
KEYS_FOLDER = "facilitator-keys"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LETTERS = "ABCDEFGH"
EXERCISE_NOTE = (
    "<p><i>This exercise needs the live notebook: your facilitator runs it on the screen, or open the module "
    "in JupyterLab (<code>make lab</code>) to use it.</i></p>"
)
#: Prose that tells the reader to work a control: right on a screen, wrong on paper.
ON_SCREEN = re.compile(r"\b(press|click|tick|untick|slider|buttons?)\b|as you go|Run All Cells", re.IGNORECASE)
FIGURE_DESCRIPTION = re.compile(r"\*Figure description:\s*(.+?)\*(?=\s|$)", re.DOTALL)
QUOTED = re.compile(r"\"([^\"]+)\"|\u201c([^\u201d]+)\u201d")

PRINT_CSS = """
<style>
  body { max-width: 48rem; margin: 0 auto; }
  .tc-paper { border: 1px solid #8c8c8c; border-radius: 4px; padding: 0.6em 0.9em; margin: 0.8em 0; }
  .tc-paper h4 { margin-top: 0.2em; }
  .tc-paper .tc-answer { margin: 0.4em 0 0.2em 0; }
  .tc-paper .tc-lines { border-bottom: 1px solid #5e5e5e; height: 1.6em; margin: 0.2em 0; }
  .tc-paper ol.tc-options { list-style: none; padding-left: 0.5em; }
  .tc-key { margin: 0.8em 0; }
  .tc-key table { border-collapse: collapse; width: 100%; }
  .tc-key th, .tc-key td { border: 1px solid #8c8c8c; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
  .tc-sheet { font-family: sans-serif; line-height: 1.4; }
  figure.tc-figure { margin: 0.8em 0; }
  figure.tc-figure figcaption { font-style: italic; margin-top: 0.4em; }
  @media print {
    @page { size: A4; margin: 18mm 16mm; }
    body { max-width: none; }
    h1, h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
    p:has(+ ul), p:has(+ ol), p:has(+ table) { break-after: avoid; page-break-after: avoid; }
    li, blockquote, tr, figure, img, .tc-paper { break-inside: avoid; page-break-inside: avoid; }
    p { orphans: 3; widows: 3; }
    .tc-new-sheet { break-before: page; page-break-before: always; }
  }
</style>
"""


@dataclass(frozen=True)
class Paper:
    """An exercise as it is printed: what the trainee works on, and what only the facilitator's sheet holds."""

    exercise: str
    key: str


def _escape(text: str) -> str:
    return html.escape(" ".join(text.split()))


def _options(options: Sequence[str]) -> str:
    items = "".join(f"<li>&#9744; <b>{LETTERS[i]}.</b> {_escape(option)}</li>" for i, option in enumerate(options))
    return f"<ol class='tc-options'>{items}</ol>"


def _box(heading: str, body: str) -> str:
    return f"<section class='tc-paper'><h4>{heading}</h4>{body}</section>"


def _on_paper(instructions: str) -> str:
    return f"<p><b>On paper:</b> {instructions}</p>"


def _key_table(heading: str, rows: list[tuple[str, str, str]]) -> str:
    body = "".join(f"<tr><td>{number}</td><td>{answer}</td><td>{why}</td></tr>" for number, answer, why in rows)
    return (f"<section class='tc-key'><h3>{heading}</h3><table><thead><tr><th>No.</th><th>Key</th>"
            f"<th>Why</th></tr></thead><tbody>{body}</tbody></table></section>")  # fmt: skip


# -- the paper version of each exercise ------------------------------------------------------------------
def sorter_paper(root: Path, module: str, labels: Sequence[str] | None = None, limit: int | None = None,
                 seed: int | None = 0, **_options) -> Paper:  # fmt: skip
    """The module's vignette cards (their ``modules`` field), in the order the sorter shows them."""
    from ..teaching.session import SortingSession
    from ..teaching.sorter import INTRO_LABELS

    labels = tuple(labels or (INTRO_LABELS if module == "00" else LABELS))
    cards = [v for v in load_bank(root / BANK) if module in v.modules and v.label in labels]
    cards = list(SortingSession(cards, labels, seed, limit).items)
    choices = " &nbsp; ".join(f"&#9744; {html.escape(plain_name(label))}" for label in labels)
    exercise = _on_paper("read each card and tick one label. Then note who harmed or failed the person, and "
                         "when it began: the two facts that decide the label. The labels are a teaching device "
                         "for written cases, never a diagnosis of a person.") + "".join(
        _box(f"Card {n} of {len(cards)}: {_escape(card.title)}",
             f"<p>{_escape(card.text)}</p><p class='tc-answer'>{choices}</p>"
             "<p class='tc-answer'>Who, and when:</p><div class='tc-lines'></div>")
        for n, card in enumerate(cards, start=1))  # fmt: skip
    key = _key_table("Vignette cards", [
        (str(n), html.escape(LABEL_NAMES[card.label]),
         _escape(card.rationale) + "<br><i>Cues:</i> " + "; ".join(f"&ldquo;{_escape(c)}&rdquo;" for c in card.cues))
        for n, card in enumerate(cards, start=1)])  # fmt: skip
    return Paper(exercise, key)


def self_check_paper(root: Path, module: str) -> Paper:
    """The module's self-check questions with lettered options."""
    questions = load_self_check(module)
    exercise = _on_paper("tick the letter of one answer for each question.") + "".join(
        _box(f"Question {n}", f"<p>{_escape(q.prompt)}</p>{_options(q.options)}")
        for n, q in enumerate(questions, start=1))  # fmt: skip
    key = _key_table("Self-check", [(str(n), f"{LETTERS[q.answer]}. {_escape(q.options[q.answer])}",
                                     _escape(q.explanation)) for n, q in enumerate(questions, start=1)])  # fmt: skip
    return Paper(exercise, key)


def cue_paper(root: Path) -> Paper:
    """The cue spotter's statements: which signal does the wording carry?"""
    statements = load_statements()
    signals = list(SIGNALS)
    exercise = _on_paper("for each statement, tick the signal its wording carries. Wording is a lead to "
                         "explore in the history (who, and when), never proof of either kind of wound.") + "".join(
        _box(f"Statement {n}", f"<blockquote><p><i>&ldquo;{_escape(s.text)}&rdquo;</i></p></blockquote>"
             + _options(list(SIGNALS.values())))
        for n, s in enumerate(statements, start=1))  # fmt: skip
    key = _key_table("Cue statements", [(str(n), f"{LETTERS[signals.index(s.signal)]}. {_escape(SIGNALS[s.signal])}",
                                         _escape(s.explanation)) for n, s in enumerate(statements, start=1)])  # fmt: skip
    return Paper(exercise, key)


def _histories_paper(heading: str, instructions: str, histories: list[tuple[str, list[dict]]],
                     extra: Callable[[list[dict]], str] = lambda _episodes: "") -> Paper:  # fmt: skip
    choices = " &nbsp; ".join(f"&#9744; {html.escape(plain_name(label))}" for label in LABELS)
    exercise = _on_paper(instructions) + "".join(
        _box(f"History {n}: {html.escape(text)}", f"<p class='tc-answer'>{choices}</p>"
             "<p class='tc-answer'>Which reason decides it:</p><div class='tc-lines'></div>")
        for n, (text, _episodes) in enumerate(histories, start=1))  # fmt: skip
    rows = []
    for n, (_text, episodes) in enumerate(histories, start=1):
        outcome = classify(episodes)
        rows.append((str(n), html.escape(LABEL_NAMES[outcome.label]),
                     " ".join(_escape(reason) for reason in outcome.reasons) + extra(episodes)))  # fmt: skip
    return Paper(exercise, _key_table(heading, rows))


def _episode(relationship: str, age: float | None) -> dict:
    return {"relationship": relationship, "age_at_onset": age}


def _who(relationship: str, age: float | None) -> str:
    when = "at an age nobody knows" if age is None else f"beginning at age {age:g}"
    return f"{RELATIONSHIPS[relationship].split(' (')[0]}, {when}"


def explorer_paper(root: Path) -> Paper:
    """The definitions explorer as histories to label: the same changes the screen version walks through."""
    cases = [[_episode("primary_caregiver", 3)], [_episode("primary_caregiver", 30)],
             [_episode("primary_caregiver", 3), _episode("partner", 30)], [_episode("primary_caregiver", None)],
             [_episode("partner", None)], [_episode("stranger", 30)]]  # fmt: skip
    histories = [("; and ".join(_who(e["relationship"], e["age_at_onset"]) for e in episodes), episodes)
                 for episodes in cases]  # fmt: skip
    return _histories_paper("Explore the definitions", "each history gives who harmed or failed the person and "
                            "when it began. Tick the label the definitions give, and note the reason that "
                            "decides it. Compare histories 1 and 2 (same person, same harm, another age), and "
                            "4 and 5 (an unknown age matters only where it could change the answer).", histories)


def same_event_paper(root: Path) -> Paper:
    """Module 04's explorer: one kind of caregiver failure, beginning at different ages."""
    from ..teaching.explorers import stage_at

    ages = (1, 4, 7, 15, 30)
    histories = [(f"the parent who raised them withdraws emotionally, beginning at age {age}",
                  [_episode("primary_caregiver", age)]) for age in ages]  # fmt: skip

    def resources(episodes: list[dict]) -> str:
        stage, available = stage_at(episodes[0]["age_at_onset"])
        return f"<br><i>At that age ({html.escape(stage)}):</i> {_escape(available)}"

    return _histories_paper("The same event at different ages", "the same event begins at different ages. Tick "
                            "the label for each, and note what the person has available at that age to make "
                            "sense of it.", histories, resources)  # fmt: skip


def unfolding_paper(root: Path, module: str, **_options) -> Paper:
    """The module's unfolding cases, stage by stage, with space to commit to a reading at each stage."""
    cases = [case for case in load_cases(root / UNFOLDING) if module in case.modules]
    choices = " &nbsp; ".join(f"&#9744; {html.escape(plain_name(label))}" for label in LABELS)
    parts, rows = [], []
    for c, case in enumerate(cases, start=1):
        stages = "".join(
            f"<h5>{html.escape(stage.heading)}</h5><p>{_escape(stage.text)}</p><p class='tc-answer'>{choices}</p>"
            "<p class='tc-answer'>What would you ask next?</p><div class='tc-lines'></div>"
            for stage in case.stages)  # fmt: skip
        parts.append(_box(f"Case {c}: {_escape(case.title)}", stages))
        rows += [(f"{c}.{s}", html.escape(LABEL_NAMES[stage.label]), _escape(stage.note))
                 for s, stage in enumerate(case.stages, start=1)]  # fmt: skip
    exercise = _on_paper("cover each case below its first stage. Read one stage, tick the label the history "
                         "supports so far and what you would ask next, then uncover the next stage.") + "".join(parts)
    return Paper(exercise, _key_table("Unfolding cases (case.stage)", rows))


#: Each exercise a notebook cell builds, by the name its one-line call starts with.
PAPER_VERSIONS: dict[str, Callable[..., Paper]] = {
    "VignetteSorter.for_module": sorter_paper,
    "SelfCheck.for_module": self_check_paper,
    "CueSpotter": cue_paper,
    "DefinitionsExplorer": explorer_paper,
    "SameEventAtDifferentAges": same_event_paper,
    "CaseUnfolding.for_module": unfolding_paper,
}


def paper_version(source: str, root: Path) -> Paper | None:
    """The paper version of the exercise that a cell's one-line call builds, or None if it has none."""
    try:
        call = ast.parse(source.strip()).body[0].value
        name = ast.unparse(call.func)
        args = [ast.literal_eval(arg) for arg in call.args]
        options = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    except (SyntaxError, IndexError, AttributeError, ValueError):
        return None
    build = PAPER_VERSIONS.get(name)
    return build(root, *args, **options) if build else None


# -- figures ---------------------------------------------------------------------------------------------
def figure_texts(source: str) -> tuple[str, list[str]] | None:
    """A teaching figure's title and every other piece of text it draws, from its one-line call."""
    import matplotlib
    from matplotlib.text import Text

    from ..teaching import diagrams

    match = re.fullmatch(r"\s*(\w+_figure)\(\)\s*", source)
    if not match or not hasattr(diagrams, match.group(1)):
        return None
    matplotlib.use("Agg")
    figure = getattr(diagrams, match.group(1))()
    titles = [figure.get_suptitle(), *(axes.get_title() for axes in figure.axes)]
    title = next((" ".join(t.split()) for t in titles if t.strip()), "")
    texts = [" ".join(t.get_text().split()) for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return title, [text for text in texts if text != title]


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def unmatched_labels(description: str, texts: Sequence[str]) -> list[str]:
    """The quoted labels of a figure description that the figure does not show (a label "A: B" may be drawn
    as two texts, A and B)."""
    drawn = _plain(" | ".join(texts))
    quoted = [a or b for a, b in QUOTED.findall(description)]
    return [label for label in quoted
            if not all(_plain(part) in drawn for part in label.split(":") if _plain(part))]  # fmt: skip


def described(title: str, texts: Sequence[str]) -> str:
    """A figure description made from what the figure draws."""
    return (f"Figure description: a figure titled &ldquo;{html.escape(title)}&rdquo;, with the labels "
            + ", ".join(f"&ldquo;{html.escape(label)}&rdquo;" for label in dict.fromkeys(texts)) + ".")


# -- the notebook on paper -------------------------------------------------------------------------------
def _blocks(markdown: str) -> list[str]:
    return re.split(r"\n\s*\n", markdown)


def _without_screen_instructions(markdown: str, introduces_exercise: bool) -> str:
    """Drop the paragraphs and lists that tell the reader to work a control (in the text that introduces an
    exercise), and the *Run All Cells* line (anywhere); headings always stay."""
    kept = []
    for block in _blocks(markdown):
        heading = block.lstrip().startswith("#")
        if "Run All Cells" in block or (introduces_exercise and not heading and ON_SCREEN.search(block)):
            continue
        kept.append(block)
    return "\n\n".join(kept)


def for_paper(notebook, root: Path, where: str = "") -> tuple[list[str], list[str]]:
    """Turn an executed module into its paper version in place; return the facilitator's keys (HTML) and
    the notes for the module's authors (a figure description that names what the figure does not show)."""
    notebook.metadata.pop("widgets", None)  # otherwise the HTML loads a widget manager from a CDN
    keys, notes = [], []
    cells = notebook.cells
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or cell.metadata.get("slideshow", {}).get("slide_type") == "skip":
            continue
        before = next((cells[i] for i in range(index - 1, -1, -1) if cells[i].cell_type == "markdown"), None)
        drawn = figure_texts(cell.source)
        if drawn is not None:
            notes += _describe_figure(cell, before, *drawn, where)
            continue
        if not any(WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", [])):
            continue
        paper = paper_version(cell.source, root)
        if before is not None and before is cells[index - 1]:
            before.source = _without_screen_instructions(before.source, introduces_exercise=True)
        cell.outputs = [nbformat.v4.new_output("display_data",
                                               data={"text/html": paper.exercise if paper else EXERCISE_NOTE})]  # fmt: skip
        if paper and paper.key:
            keys.append(paper.key)
    for cell in cells:
        if cell.cell_type == "markdown":
            cell.source = _without_screen_instructions(cell.source, introduces_exercise=False)
    return keys, notes


def _describe_figure(cell, before, title: str, texts: list[str], where: str) -> list[str]:
    """Give a figure's image a description that matches it: the authors' own, when every label it quotes
    is in the figure; otherwise one made from the figure, in place of theirs (and a note saying so)."""
    mine = described(title, texts)
    description = FIGURE_DESCRIPTION.search(before.source) if before is not None else None
    notes, caption = [], ""
    if description is None:
        caption = mine
    elif wrong := unmatched_labels(description.group(1), [title, *texts]):
        notes.append(f"{where}: the figure description before {cell.source.strip()} quotes "
                     + ", ".join(f'"{label}"' for label in wrong) + ", which the figure does not show; the "
                     "handout describes the figure from its own labels instead")  # fmt: skip
        before.source = before.source[: description.start()] + before.source[description.end():]
        caption = mine
    for output in cell.get("outputs", []):
        png = output.get("data", {}).get("image/png")
        if png:
            alt = html.escape(re.sub(r"&[lr]dquo;", '"', mine), quote=True)
            image = f"<img src='data:image/png;base64,{png.strip()}' alt=\"{alt}\" style='max-width:100%'>"
            body = f"<figure class='tc-figure'>{image}" + (f"<figcaption>{caption}</figcaption>" if caption else "")
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": body + "</figure>"})]
            break
    return notes


def exporter() -> HTMLExporter:
    """nbconvert's lab template with every network-loaded script switched off and code hidden."""
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)  # fmt: skip
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    exporter.mermaid_js_url = ""
    exporter.mermaid_layout_elk_js_url = ""
    exporter.jquery_url = ""
    return exporter


def key_sheet(title: str, keys: Sequence[str]) -> str:
    """The facilitator's key sheet of one module: every paper exercise's key and rationale."""
    heading = f"Facilitator's key sheet: {html.escape(title)}"
    warning = ("<p><b>For the facilitator only.</b> Keep this sheet apart from the handout. The keys sort "
               "written, fictional cases against this curriculum's definitions; they say nothing about any real "
               "person, and a label never decides a treatment by itself.</p>")  # fmt: skip
    body = "".join(keys) or "<p>This module's handout has no exercise with a key.</p>"
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{heading}</title>{PRINT_CSS}"
            f"</head><body class='tc-sheet'><h1>{heading}</h1>{warning}{body}</body></html>")  # fmt: skip


def build_handout(notebook_path: Path, target_dir: Path) -> Path:
    """Execute one module and write its paper handout, and its key sheet under ``facilitator-keys/``;
    return the handout written. Notes for the module's authors go to stderr, one line each."""
    notebook = nbformat.read(notebook_path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook_path.parent)}}).execute()  # fmt: skip
    root = notebook_path.resolve().parent.parent
    keys, notes = for_paper(notebook, root, where=str(notebook_path))
    for note in notes:
        print(note, file=sys.stderr)
    body, _ = exporter().from_notebook_node(notebook, resources={"metadata": {"name": notebook_path.stem}})
    body = body.replace("</head>", PRINT_CSS + "</head>", 1)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{notebook_path.stem}.html"
    target.write_text(body, encoding="utf-8")
    title = next((line.lstrip("# ").strip() for line in notebook.cells[0].source.splitlines()
                  if line.startswith("# ")), notebook_path.stem) if notebook.cells else notebook_path.stem  # fmt: skip
    keys_dir = target_dir / KEYS_FOLDER
    keys_dir.mkdir(exist_ok=True)
    (keys_dir / f"{notebook_path.stem}-key.html").write_text(key_sheet(title, keys), encoding="utf-8")
    return target
