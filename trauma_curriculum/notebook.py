"""Everything a teaching notebook calls, in one import: ``from trauma_curriculum.notebook import *``.

Keeping the import in one collapsed cell lets every other code cell be a single readable line.
"""

from .figures import module_map_figure
from .widgets import DefinitionsExplorer, VignetteSorter

__all__ = ["DefinitionsExplorer", "VignetteSorter", "module_map_figure"]
