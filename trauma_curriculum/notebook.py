"""Stable facade: everything a teaching notebook calls, in one import: ``from trauma_curriculum.notebook import *``.

Keeping the import in one collapsed cell lets every other code cell be a single readable line. Importing
it also tells IPython to draw matplotlib figures inline: the figures are built without pyplot (no global
state), and such figures would otherwise print as ``<Figure size ...>`` instead of appearing.
"""

from IPython import get_ipython
from IPython.core.pylabtools import select_figure_formats

from .teaching.diagrams import (
    blueprint_figure,
    developmental_timeline_figure,
    lifespan_contexts_figure,
    module_map_figure,
    safe_haven_figure,
    shared_terrain_figure,
    subset_figure,
    symptom_overlap_figure,
    treatment_arcs_figure,
)
from .teaching.drills import CueSpotter, SelfCheck, TreatmentMatcher
from .teaching.explorers import DefinitionsExplorer, SameEventAtDifferentAges
from .teaching.progress import MyProgress
from .teaching.review import TodaysReview
from .teaching.sorter import VignetteSorter
from .teaching.store import PracticeRecordView
from .teaching.unfolding import CaseUnfolding

__all__ = [
    "CaseUnfolding",
    "CueSpotter",
    "DefinitionsExplorer",
    "MyProgress",
    "PracticeRecordView",
    "SameEventAtDifferentAges",
    "SelfCheck",
    "TodaysReview",
    "TreatmentMatcher",
    "VignetteSorter",
    "blueprint_figure",
    "developmental_timeline_figure",
    "lifespan_contexts_figure",
    "module_map_figure",
    "safe_haven_figure",
    "shared_terrain_figure",
    "subset_figure",
    "symptom_overlap_figure",
    "treatment_arcs_figure",
]


def _show_figures_inline() -> None:
    shell = get_ipython()
    if shell is not None:
        select_figure_formats(shell, {"png"}, bbox_inches="tight")


_show_figures_inline()
