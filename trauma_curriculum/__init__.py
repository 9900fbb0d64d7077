"""trauma-curriculum: teaching trainee clinicians to tell attachment trauma from relational trauma.

The package holds everything the notebooks would otherwise repeat: the definitions as code
(:mod:`.definitions`), the practice vignette bank (:mod:`.vignettes`), the widgets and figures that the
notebooks show, the answer checks for graded assignments, and the command line. It is a teaching tool,
never a diagnostic one.
"""

__version__ = "0.1.0"
