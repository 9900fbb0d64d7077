"""A bound on what one cell of a submission may print, so a 50 MB output cannot swell the autograded
notebook, formgrader and the trainee's feedback. nbgrader's own ``LimitOutput`` counts lines, not bytes:
one enormous line passes it. Output past the bound is cut with a note, and the cell records it so the
problems list names the submission."""

from __future__ import annotations

import json

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from traitlets import Bool, Integer

CUT = "trauma_curriculum_output_cut"


class LimitOutputSize(Preprocessor):
    """Cut any cell whose outputs exceed ``max_bytes`` (as stored in the notebook)."""

    enabled = Bool(True, help="on by default: nbgrader registers these preprocessors without enabling them")
    max_bytes = Integer(200_000, help="the most a cell's outputs may hold, in bytes of notebook JSON").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        outputs = cell.get("outputs", [])
        size = len(json.dumps(outputs))
        if size > self.max_bytes:
            text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
            cell.outputs = [new_output("stream", name="stdout", text=text[: self.max_bytes // 4]),
                            new_output("stream", name="stdout", text=f"\n[output cut here: this cell printed {size:,} bytes, "
                                       f"more than the {self.max_bytes:,} a cell may keep]\n")]  # fmt: skip
            cell.metadata[CUT] = size
        return cell, resources
