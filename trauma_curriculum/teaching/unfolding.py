"""Unfolding cases: a history that arrives in stages, with a label and a confidence committed at each.

A trainee reads what the person brings now, commits a label and how sure they are, sees what the
definitions make of the facts known so far, and only then reads the next stage (who, then when, then
perhaps a later account that revises an earlier one). At the end of each case a summary shows how the
expert label moved across the stages and where the trainee's reading moved before the facts did.

The widget is the sorter (:class:`~.sorter.VignetteSorter`) over the stages of the cases, so the room
vote of workshop mode, the confidence slider, the accessible card deck and the end-of-set figures are
the sorter's own; a notebook cell stays one line (``CaseUnfolding.for_module("03")``). Every expert label
and every reason comes from :func:`~trauma_curriculum.core.definitions.classify` of a stage's facts.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.labels import LABEL_NAMES, plain_name
from ..core.unfolding import UNFOLDING_MODULES, Stage, UnfoldingCase, load_cases
from . import markup
from .sorter import VignetteSorter, risk_html

UNDECIDED = "insufficient_information"


@dataclass(frozen=True)
class StageItem:
    """One stage of one case, as the sorter's card deck shows it (it answers to a vignette's names)."""

    case: UnfoldingCase
    index: int  # 0-based

    @property
    def stage(self) -> Stage:
        return self.case.stages[self.index]

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def last(self) -> bool:
        return self.number == len(self.case.stages)

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def title(self) -> str:
        return self.case.title

    @property
    def label(self) -> str:
        return self.stage.label

    @property
    def modules(self) -> tuple[str, ...]:
        return self.case.modules

    @property
    def current_risk(self):
        return self.stage.current_risk

    @property
    def text(self) -> str:
        """Every stage read so far, as plain text."""
        return " ".join(stage.text for stage in self.case.stages[: self.number])

    @property
    def cues(self) -> tuple[str, ...]:
        return ()

    def classification(self):
        return self.stage.classification()


def stage_items(cases: Sequence[UnfoldingCase]) -> list[StageItem]:
    return [StageItem(case, index) for case in cases for index in range(len(case.stages))]


def reading_flags(case: UnfoldingCase, answers: dict[int, str]) -> dict[int, str]:
    """For each stage answered (number -> label given), what the answer did, when it did something to note.

    ``too early``: a label the facts at that stage did not yet support (the definitions said insufficient
    information, or the answer was a label a later stage would give). ``held on``: an account was revised
    and the answer stayed with the earlier stage's label. ``waited``: the facts left the label open and
    so did the answer.
    """
    labels = case.labels
    flags = {}
    for number, answer in answers.items():
        expert = labels[number - 1]
        later = set(labels[number:])
        if answer == expert:
            if expert == UNDECIDED:
                flags[number] = "waited"
        elif expert == UNDECIDED or answer in later:
            flags[number] = "too early"
        elif case.stages[number - 1].kind == "revision" and answer == labels[number - 2]:
            flags[number] = "held on"
    return flags


_FLAG_TEXT = {
    "too early": "&#9888; moved before the facts did",
    "held on": "&#9888; kept the earlier reading after the account changed",
    "waited": "&#10003; waited for the history",
}


class CaseUnfolding(VignetteSorter):
    """Unfolding cases, one stage at a time: commit a label and a confidence, see the definitions' label
    for the facts so far, then the next stage; a summary at the end of each case and of the set.

    ``workshop`` (by default on when ``TRAUMA_CURRICULUM_WORKSHOP=1``) turns each stage into a room vote:
    feedback waits for the presenter's *Reveal answer*, as in the sorter.
    """

    item_word = "Stage "
    practice_source = "unfolding"

    def __init__(self, cases: Sequence[UnfoldingCase], *, title: str = "Unfolding cases",
                 workshop: bool | None = None, module: str | None = None):  # fmt: skip
        if not cases:
            raise ValueError(f"{title}: no unfolding cases to show")
        self.cases = tuple(cases)
        self.answers_by_stage: dict[tuple[str, int], dict] = {}
        super().__init__(stage_items(self.cases), confidence=True, workshop=workshop, seed=None, title=title,
                         module=module)  # fmt: skip

    # -- constructors -------------------------------------------------------------------------------------
    @classmethod
    def for_module(cls, module: str, **options) -> CaseUnfolding:
        """The unfolding cases a teaching module uses (modules 03 to 07)."""
        if module not in UNFOLDING_MODULES:
            raise ValueError(
                f"module {module!r} has no unfolding cases; use one of {', '.join(UNFOLDING_MODULES)}"
            )
        options.setdefault("title", f"Module {module}: a case that unfolds")
        options.setdefault("module", module)
        return cls([case for case in load_cases() if module in case.modules], **options)

    @classmethod
    def drill(cls, **options) -> CaseUnfolding:
        """Every unfolding case, in id order (the drill in ``exercises/``)."""
        options.setdefault("title", "Unfolding cases: commit at each stage")
        return cls(load_cases(), **options)

    # -- the deck's hooks -----------------------------------------------------------------------------------
    def practice_fields(self, record: dict) -> dict:
        """What the practice record keeps besides the answer: which stage it was."""
        return {"stage": self.current.number}

    def check(self) -> dict | None:
        item = self.current
        record = super().check()
        if record is not None:
            record["stage"] = item.number
            self.answers_by_stage[(item.id, item.number)] = record
        return record

    def _answers(self, case: UnfoldingCase) -> dict[int, dict]:
        return {
            number: record
            for (case_id, number), record in self.answers_by_stage.items()
            if case_id == case.id
        }

    def card_html(self, item: StageItem, record: dict | None) -> str:
        parts = []
        given = self._answers(item.case)
        for number, stage in enumerate(item.case.stages[: item.number], start=1):
            heading = f"Stage {number} of {len(item.case.stages)}: {stage.heading}"
            mine = given.get(number)
            if number < item.number and mine is not None:
                heading += f" (you said {plain_name(mine['answer'])})"
            colour = "" if number == item.number else "color:#444;"
            # spans shown as blocks: the card wraps its body in a paragraph, which cannot hold paragraphs
            parts.append(f"<span style='display:block;margin-bottom:0.8em;{colour}'><b>{html.escape(heading)}</b><br>"
                         f"{html.escape(' '.join(stage.text.split()))}</span>")  # fmt: skip
        return markup.card(item.title, "".join(parts))

    def feedback_html(self, item: StageItem, record: dict | None) -> str:
        expert = LABEL_NAMES[item.label]
        if record is None:
            verdict = f"<p><b>With what is known at this stage, the label is {expert}.</b></p>"
        else:
            chosen = LABEL_NAMES[record["answer"]]
            verdict = markup.verdict(
                record["credit"], f"<b>Agreed: with what is known so far, {expert}.</b>",
                f"You chose {chosen}; with what is known so far, the definitions give <b>{expert}</b>.",
                f"<b>Half right.</b> You chose {chosen}; with what is known so far, the definitions give "
                f"<b>{expert}</b>.",
            )  # fmt: skip
        text = (verdict + f"<p><b>What this stage added:</b> {html.escape(' '.join(item.stage.note.split()))}</p>"
                + risk_html(item) + markup.reasons(item.classification().reasons))  # fmt: skip
        if item.last:  # the record of this stage is not filed yet: it is passed along
            text += self.case_summary_html(item.case, {item.number: record} if record is not None else {})
        elif not self.workshop:
            text += "<p><i>Press <b>Next</b> for the next part of the history.</i></p>"
        return text

    def reveal(self) -> None:
        super().reveal()
        item = self.current
        if item is not None:
            record = self.answers_by_stage.get((item.id, item.number))
            self.card.value = self.card_html(item, record)

    def show_progress(self) -> None:
        item = self.current
        if item is None:
            self.progress.value = f"<p>{len(self.cases)} of {len(self.cases)} cases done</p>"
            return
        where = (f"Case {self.cases.index(item.case) + 1} of {len(self.cases)} &middot; stage {item.number} of "
                 f"{len(item.case.stages)}")  # fmt: skip
        right = sum(r["correct"] for r in self.session.records)
        score = "" if self.workshop else f" &middot; agreed so far: {right} of {len(self.session.records)}"
        self.progress.value = f"<p>{where}{score}</p>"

    # -- summaries ----------------------------------------------------------------------------------------
    def case_summary_html(self, case: UnfoldingCase, latest: dict[int, dict] | None = None) -> str:
        """How the expert label moved across the stages, beside the trainee's labels and what they did."""
        given = {**self._answers(case), **(latest or {})}
        flags = reading_flags(case, {number: r["answer"] for number, r in given.items()})
        rows = []
        for number, stage in enumerate(case.stages, start=1):
            mine = given.get(number)
            yours = "(not answered)" if mine is None else (
                plain_name(mine["answer"]) + ("" if mine.get("confidence") is None else f", {mine['confidence']:.0%} sure"))  # fmt: skip
            mine_cells = (
                ""
                if self.workshop
                else f"<td>{html.escape(yours)}</td><td>{_FLAG_TEXT.get(flags.get(number), '')}</td>"
            )
            rows.append(f"<tr><td>{number}. {html.escape(stage.heading)}</td><td>{plain_name(stage.label)}</td>"
                        f"{mine_cells}</tr>")  # fmt: skip
        path = " &rarr; ".join(plain_name(label) for label in case.labels)
        header = "" if self.workshop else "<th>Your label</th><th></th>"
        text = (f"<h4>How this case unfolded</h4><p><b>The expert label, stage by stage:</b> {path}.</p>"
                f"<table><tr><th>Stage</th><th>Expert label then</th>{header}</tr>" + "".join(rows) + "</table>")  # fmt: skip
        early = [n for n, flag in flags.items() if flag == "too early"]
        if early:
            text += (f"<p>At stage {', '.join(map(str, early))} your reading moved before the facts did. Symptoms, and "
                     "a who without a when, can point somewhere; only the history decides.</p>")  # fmt: skip
        elif given and not self.workshop:
            text += "<p>Your reading never moved ahead of the facts in this case.</p>"
        if case.revised:
            text += ("<p><i>A later account revised an earlier one here: a label holds only for what is known, and "
                     "the earlier label was right for what was known then.</i></p>")  # fmt: skip
        return text

    def reset(self) -> None:
        """Start again from the first stage of the first case, with no answers."""
        self.answers_by_stage.clear()
        super().reset()

    def done_html(self) -> str:
        return "<p><b>All cases done.</b> Your summary is below.</p>"

    def finish(self) -> None:
        super().finish()
        answered = [(case, self._answers(case)) for case in self.cases]
        flags = [flag for case, given in answered
                 for flag in reading_flags(case, {n: r["answer"] for n, r in given.items()}).values()]  # fmt: skip
        undecided = [r for r in self.session.records if r["expert"] == UNDECIDED]
        lines = [f"<h4>Across the {len(self.cases)} cases</h4><ul>",
                 f"<li>Stages where the facts left the label open: {len(undecided)}; you waited at "
                 f"{flags.count('waited')} of them.</li>",
                 f"<li>Stages where your reading moved before the facts: {flags.count('too early')}.</li>"]  # fmt: skip
        if any(case.revised for case in self.cases):
            lines.append(
                f"<li>Revised accounts where you kept the earlier reading: {flags.count('held on')}.</li>"
            )
        early = [r for r in undecided if r["answer"] != UNDECIDED and r.get("confidence") is not None]
        if early:
            mean = sum(r["confidence"] for r in early) / len(early)
            lines.append(f"<li>When you named a label before the history allowed one, you were {mean:.0%} sure on "
                         "average.</li>")  # fmt: skip
        self.summary.value = "".join(lines) + "</ul>" + self.summary.value
