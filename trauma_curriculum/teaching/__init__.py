"""What a trainee works with: the vignette sorter (a pure session model and its widget views), a card
deck shared by the sorter and the drills, explorers, the teaching diagrams, the charts that feedback
shares with the cohort report, and opening JupyterLab.

Uses :mod:`trauma_curriculum.core`; never the workshop's or the supervisor's code. Shipped in the
trainee workspace with core.
"""
