"""The card deck every one-card-at-a-time exercise shares: the sorter and the drills.

:class:`DeckView` shows a :class:`~.session.Deck` model: a heading, the progress line, the card, one
button per option, *Check* and *Next*, and the feedback. Subclasses say only what differs: the options
of an item, its card, its feedback and the end of the deck.

For a keyboard and a screen reader (through :class:`~.access.Access`): the chosen option is marked with a
tick and ``aria-pressed`` as well as a colour; feedback is a live region, read out when it appears;
after *Check* focus moves to *Next*, after *Next* to the first option, and at the end to the end screen. *Start again* sits above the card, out of
the forward path choose, *Check*, *Next*, and asks before it clears anything.
"""

from __future__ import annotations

import base64
import html
import struct
from collections.abc import Sequence

import ipywidgets as widgets
import traitlets

from .access import accessible
from .session import Deck
from .store import save_practice

_PROSE = "<div style='line-height:1.5'>"
TICK = "\u2713 "


class Prose(widgets.HTML):
    """An HTML widget that reads like prose: ipywidgets gives every line of HTML text a fixed 28px
    height, which double-spaces paragraphs; the value is wrapped to restore ordinary line spacing."""

    @traitlets.validate("value")
    def _wrap(self, proposal):
        value = proposal["value"]
        return value if not value or value.startswith(_PROSE) else f"{_PROSE}{value}</div>"


def png_width(png: bytes) -> int:
    """The width in pixels a PNG was drawn at (from its header)."""
    return struct.unpack(">I", png[16:20])[0]


class Picture(widgets.HTML):
    """A figure in a widget, as an ``<img>`` with alt text (``ipywidgets.Image`` has no alt) shown at
    the width it was drawn at, so its text is as large on screen as it was drawn."""

    def __init__(self, png: bytes = b"", alt: str = "", **kwargs):
        super().__init__(**kwargs)
        self.show(png, alt)

    def show(self, png: bytes, alt: str) -> None:
        """Show ``png`` described by ``alt`` (nothing when ``png`` is empty)."""
        self.png, self.alt = png, alt
        if not png:
            self.value = ""
            return
        source = base64.b64encode(png).decode("ascii")
        self.value = (f"<img src='data:image/png;base64,{source}' alt='{html.escape(alt, quote=True)}' "
                      f"width='{png_width(png)}' style='max-width:100%;height:auto'>")  # fmt: skip


def _button(description: str, part: str, **options) -> widgets.Button:
    """A button named for the script and the styles by the class ``tc-<part>``."""
    button = widgets.Button(description=description, **options)
    button.add_class(f"tc-{part}")
    return button


class DeckView(widgets.VBox):
    """The widgets of a deck; subclasses provide :meth:`options`, :meth:`card_html`,
    :meth:`feedback_html` and :meth:`done_html`, and may add widgets with ``before_buttons`` and
    ``after``."""

    item_word, score_word = "", "right so far"
    #: Where focus goes when the deck is finished (a subclass with a summary points it there).
    end_focus = ".tc-card-area"

    def __init__(self, deck: Deck, title: str, instructions: str = "", *, before_buttons: Sequence = (),
                 extra_buttons: Sequence = (), after: Sequence = ()):  # fmt: skip
        self.deck = deck
        self.heading = widgets.HTML(f"<h3>{html.escape(title)}</h3>" + (f"<p>{instructions}</p>" if instructions else ""))
        self.progress = widgets.HTML()
        self.reset_button = _button("Start again", "reset", tooltip="Clear your answers and start from the first item",
                                    layout=widgets.Layout(width="auto", margin="0 0 0 1em"))  # fmt: skip
        self.confirm_text = widgets.HTML()
        self.confirm_text.add_class("tc-live")
        self.confirm_yes = _button("Yes, start again", "yes", layout=widgets.Layout(width="auto"))
        self.confirm_no = _button("No, keep my answers", "keep", layout=widgets.Layout(width="auto"))
        self.confirm = widgets.HBox([self.confirm_text, self.confirm_yes, self.confirm_no],
                                    layout=widgets.Layout(display="none", flex_flow="row wrap"))  # fmt: skip
        self.card = Prose(layout=widgets.Layout(max_width="46em"))
        self.card.add_class("tc-card-area")
        self.choices = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.check_button = _button("Check", "check", button_style="primary", disabled=True)
        self.next_button = _button("Next", "next", disabled=True)
        self.feedback = Prose(layout=widgets.Layout(max_width="46em"))
        self.feedback.add_class("tc-live")
        self.again_button = _button("Start again", "again", layout=widgets.Layout(display="none"))
        self.check_button.on_click(lambda _: self.check())
        self.next_button.on_click(lambda _: self.next())
        self.reset_button.on_click(lambda _: self.ask_reset(".tc-reset"))
        self.again_button.on_click(lambda _: self.ask_reset(".tc-again"))
        self.confirm_yes.on_click(lambda _: self.reset())
        self.confirm_no.on_click(lambda _: self.keep_going())
        self._option_keys: tuple[str, ...] = ()
        self._asked_from = ".tc-reset"
        top = widgets.HBox([self.progress, self.reset_button], layout=widgets.Layout(align_items="center"))
        self.buttons_row = widgets.HBox([self.check_button, self.next_button, *extra_buttons])
        super().__init__([self.heading, top, self.confirm, self.card, self.choices, *before_buttons,
                          self.buttons_row, self.feedback, *after, self.again_button])  # fmt: skip
        self.access = accessible(self)
        self.show_item()

    # -- what subclasses say -----------------------------------------------------------------------
    def options(self, item) -> list[tuple[str, str, str]]:
        """(key, button text, tooltip) for each option of ``item``."""
        raise NotImplementedError

    def card_html(self, item, record: dict | None) -> str:
        raise NotImplementedError

    def feedback_html(self, item, record: dict) -> str:
        raise NotImplementedError

    def done_html(self) -> str:
        raise NotImplementedError

    def check_extra(self) -> dict:
        """Extra fields the deck records with a check (the sorter's confidence)."""
        return {}

    # -- the shared loop ---------------------------------------------------------------------------
    @property
    def option_buttons(self) -> dict[str, widgets.Button]:
        """The current option buttons, by option key."""
        return {button.option_key: button for button in self.choices.children}

    def choose(self, key: str) -> None:
        """Select an option (what clicking its button does); it can change until Check."""
        self.deck.choose(key)
        for option, button in self.option_buttons.items():
            chosen = option == self.deck.choice
            button.button_style = "info" if chosen else ""
            button.description = (TICK if chosen else "") + button.plain_text
            (button.add_class if chosen else button.remove_class)("tc-chosen")
        self.check_button.disabled = self.deck.choice is None or self.deck.checked

    def check(self) -> dict | None:
        record = self.deck.check(**self.check_extra())
        if record is None:
            return None
        self.check_button.disabled = True
        for button in self.choices.children:
            button.disabled = True
        self.next_button.disabled = False
        self.show_feedback(record)
        save_practice(self, record)  # the trainee's private practice record (store.py)
        self.show_progress()
        self.access.move_focus(".tc-next")
        return record

    def show_feedback(self, record: dict) -> None:
        self.card.value = self.card_html(self.deck.current, record)
        self.feedback.value = self.feedback_html(self.deck.current, record)

    def next(self) -> None:
        if self.deck.current is None:
            return
        self.deck.next()
        self.show_item()
        if self.deck.current is None:
            self.finish()
            self.access.move_focus(self.end_focus)
        else:
            self.access.move_focus(".tc-option")

    def finish(self) -> None:
        """After the last item (the sorter adds a summary)."""

    # -- start again, after asking -------------------------------------------------------------------
    def ask_reset(self, asked_from: str = ".tc-reset") -> None:
        """Ask before clearing anything; focus goes to the safe answer (keep my answers)."""
        self._asked_from = asked_from
        self.confirm_text.value = ("<p><b>Start again?</b> This clears your answers in this exercise and goes "
                                   "back to the first item.</p>")  # fmt: skip
        self.confirm.layout.display = None
        self.access.move_focus(".tc-keep")

    def keep_going(self) -> None:
        """Close the question and go back to where it was asked."""
        self._close_confirm()
        self.access.move_focus(self._asked_from)

    def _close_confirm(self) -> None:
        self.confirm.layout.display = "none"
        self.confirm_text.value = ""

    def reset(self) -> None:
        """Start again from the first item with no answers (after the trainee said yes)."""
        self._close_confirm()
        self.deck.reset()
        self.show_item()
        self.access.move_focus(".tc-option")

    # -- drawing ---------------------------------------------------------------------------------------
    def show_progress(self) -> None:
        deck = self.deck
        shown = min(deck.position + 1, len(deck.items))
        self.progress.value = (f"<p>{self.item_word}{shown} of {len(deck.items)} &middot; {self.score_word}: {deck.score:g} of "
                               f"{len(deck.records)}</p>")  # fmt: skip

    def show_item(self) -> None:
        item = self.deck.current
        finished = item is None
        self.feedback.value = ""
        self.next_button.disabled = True
        self.check_button.disabled = True
        # the end screen shows the end and Start again, not the options and buttons of the last card
        for part in (self.reset_button, self.choices, self.buttons_row):
            part.layout.display = "none" if finished else None
        self.again_button.layout.display = None if finished else "none"
        if finished:
            self.card.value = self.done_html()
            for button in self.choices.children:
                button.disabled = True
        else:
            self.card.value = self.card_html(item, None)
            self._set_buttons(self.options(item))
        self.show_progress()

    def _set_buttons(self, options: list[tuple[str, str, str]]) -> None:
        keys = tuple(key for key, _, _ in options)
        if keys != self._option_keys:
            buttons = []
            for key, text, tooltip in options:
                button = _button(text, "option", tooltip=tooltip, layout=widgets.Layout(width="auto"))
                button.option_key, button.plain_text = key, text
                button.on_click(lambda _button, key=key: self.choose(key))
                buttons.append(button)
            self.choices.children = buttons
            self._option_keys = keys
        for button in self.choices.children:
            button.disabled, button.button_style, button.description = False, "", button.plain_text
            button.remove_class("tc-chosen")
