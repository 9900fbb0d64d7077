"""What each label implies for the *focus* of treatment, as module 06 teaches it.

A teaching summary of the seed article's argument, not a treatment protocol: any real decision belongs
to a supervised clinical assessment. The treatment matcher derives its expected answer from a
vignette's label through this table, so the matcher can never disagree with the definitions.
"""

from __future__ import annotations

#: Focus name -> (short name, what it means).
FOCI: dict[str, tuple[str, str]] = {
    "long_arc": (
        "A longer arc: the relationship as the place of repair",
        "Safety is provided and experienced in the therapeutic relationship over time, with rupture and "
        "repair; understanding alone seldom changes expectations that were learned through experience.",
    ),
    "specific_wound": (
        "Process a specific wound and rebuild trust",
        "Work on what happened in that relationship, rebuild trust and restore capacities that were there "
        "before the rupture.",
    ),
    "both_layers": (
        "Work with both layers: track which wound is active",
        "Expect a later wound to reactivate an earlier one; notice which is active in a given moment and "
        "how they compound.",
    ),
    "event_focused": (
        "Trauma-focused work on the event",
        "No relationship of trust was involved, so relational repair is not the core target; work with the "
        "traumatic event itself.",
    ),
    "history_first": (
        "Gather the history first",
        "Who and when are not yet known; symptoms alone cannot set the focus, so the history comes first.",
    ),
}

#: The focus each label implies.
FOCUS_FOR_LABEL: dict[str, str] = {
    "attachment": "long_arc",
    "relational": "specific_wound",
    "both": "both_layers",
    "not_relational": "event_focused",
    "insufficient_information": "history_first",
}
