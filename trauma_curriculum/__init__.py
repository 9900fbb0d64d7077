"""trauma-curriculum: teaching trainee clinicians to tell attachment trauma from relational trauma.

One subpackage per journey: :mod:`.core` (the definitions and the bank; no screen), :mod:`.teaching`
(the trainee's widgets and figures), :mod:`.workshop` (slides and handouts) and :mod:`.supervisor`
(keys, grading, reports). The top-level modules are stable facades that stored notebooks and gradebooks
import (:mod:`.notebook`, :mod:`.answers`, :mod:`.grading`), the course directory (:mod:`.course`) and
the command line (:mod:`.cli`). It is a teaching tool, never a diagnostic one.
"""

__version__ = "0.2.0"
