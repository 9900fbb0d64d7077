"""The map of the curriculum: its modules, in order, with what each one teaches.

The module map figure, the drills that tell a trainee which modules to revisit, and the vignette bank's
``modules`` field all read this one table; the teaching diagrams draw the stages, lifespans and shared
terrain below, which are curriculum content, not drawing code.
"""

from __future__ import annotations

#: Module number -> (title, what it teaches in one line).
MODULES: dict[str, tuple[str, str]] = {
    "00": ("Start here", "what the curriculum is for, how to use it, and where to find support"),
    "01": ("Relational trauma", "wounds inside relationships of trust, at any age"),
    "02": ("Attachment trauma", "wounds inside the early caregiver-child bond"),
    "03": ("The overlap", "every attachment wound is relational; not the reverse"),
    "04": ("The developmental window", "why the age at which a wound began matters"),
    "05": ("The past in the present", "reactivation, 'always', and symptoms that look alike"),
    "06": ("Healing", "why the distinction changes the focus of treatment"),
    "07": ("Shared terrain and integration", "what both wounds share; the capstone sort"),
}

#: What a person typically has available to make sense of a relational wound, by age in years:
#: (from, to, stage, resources). Development is gradual; the boundaries are approximate.
DEVELOPMENTAL_STAGES: tuple[tuple[float, float, str, str], ...] = (
    (0, 2, "infancy", "states and\nexpectations;\nlittle language"),
    (2, 6, "preschool years", "language and an early,\nfragile narrative"),
    (6, 12, "school years", "a fuller story; relationships\noutside the family"),
    (12, 25, "adolescence and early adulthood", "reflection, abstract reasoning,\nidentity"),
)

#: Relationships of trust across a lifespan, in years: (who, from, to). Spans are illustrative.
LIFESPAN_BARS = (
    ("Primary caregivers", 0, 80),
    ("Other family", 0, 80),
    ("Friends and peers", 3, 80),
    ("Teachers, coaches, mentors", 4, 30),
    ("Partners", 14, 80),
    ("Colleagues and supervisors", 16, 70),
    ("Professionals and helpers", 0, 80),
)

#: What both kinds of wound share, in this curriculum's words (after Leal's list).
SHARED_TERRAIN = (
    "held in the body and nervous system\nas states, not only as stories",
    "shame: the wound read as proof\nthat something is wrong with the self",
    "relational patterns that feel\nautomatic and unchosen",
    "healing needs a new relational\nexperience, not insight alone",
    "both can reorganise:\nneither is permanent",
)
