"""The card deck every one-card-at-a-time exercise shares: the sorter and the drills.

:class:`DeckView` shows a :class:`~.session.Deck` model: a heading, the progress line, the card, one
button per option, *Check* and *Next*, and the feedback. Subclasses say only what differs: the options
of an item, its card, its feedback and the end of the deck. The chosen option is marked with a tick as
well as a colour, so the choice is never shown by colour alone.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import traitlets

from .session import Deck

_PROSE = "<div style='line-height:1.5'>"
TICK = "\u2713 "


class Prose(widgets.HTML):
    """An HTML widget that reads like prose: ipywidgets gives every line of HTML text a fixed 28px
    height, which double-spaces paragraphs; the value is wrapped to restore ordinary line spacing."""

    @traitlets.validate("value")
    def _wrap(self, proposal):
        value = proposal["value"]
        return value if not value or value.startswith(_PROSE) else f"{_PROSE}{value}</div>"


class DeckView(widgets.VBox):
    """The widgets of a deck; subclasses provide :meth:`options`, :meth:`card_html`,
    :meth:`feedback_html` and :meth:`done_html`, and may add widgets with ``before_buttons`` and
    ``after``."""

    item_word, score_word = "", "right so far"

    def __init__(self, deck: Deck, title: str, instructions: str = "", *, before_buttons: Sequence = (),
                 extra_buttons: Sequence = (), after: Sequence = ()):  # fmt: skip
        self.deck = deck
        self.heading = widgets.HTML(f"<h3>{html.escape(title)}</h3>" + (f"<p>{instructions}</p>" if instructions else ""))
        self.progress = widgets.HTML()
        self.card = Prose(layout=widgets.Layout(max_width="46em"))
        self.choices = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.check_button = widgets.Button(description="Check", button_style="primary", disabled=True)
        self.next_button = widgets.Button(description="Next", disabled=True)
        self.feedback = Prose(layout=widgets.Layout(max_width="46em"))
        self.check_button.on_click(lambda _: self.check())
        self.next_button.on_click(lambda _: self.next())
        self._option_keys: tuple[str, ...] = ()
        super().__init__([self.heading, self.progress, self.card, self.choices, *before_buttons,
                          widgets.HBox([self.check_button, self.next_button, *extra_buttons]),
                          self.feedback, *after])  # fmt: skip
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
        self.show_progress()
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

    def finish(self) -> None:
        """After the last item (the sorter adds a summary)."""

    def show_progress(self) -> None:
        deck = self.deck
        shown = min(deck.position + 1, len(deck.items))
        self.progress.value = (f"<p>{self.item_word}{shown} of {len(deck.items)} &middot; {self.score_word}: {deck.score:g} of "
                               f"{len(deck.records)}</p>")  # fmt: skip

    def show_item(self) -> None:
        item = self.deck.current
        self.feedback.value = ""
        self.next_button.disabled = True
        self.check_button.disabled = True
        if item is None:
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
                button = widgets.Button(description=text, tooltip=tooltip, layout=widgets.Layout(width="auto"))
                button.option_key, button.plain_text = key, text
                button.on_click(lambda _button, key=key: self.choose(key))
                buttons.append(button)
            self.choices.children = buttons
            self._option_keys = keys
        for button in self.choices.children:
            button.disabled, button.button_style, button.description = False, "", button.plain_text
