"""The curriculum's knowledge, with no screen: definitions, labels, modules, the vignette bank, practice
content, coverage, answers as typed, and one schema layer for every YAML file.

Core never imports Jupyter, ipywidgets or matplotlib (a test checks), so the same definitions serve the
trainee's widgets, the workshop's slides and the supervisor's grading. ``teaching``, ``workshop`` and
``supervisor`` use core; core uses none of them.
"""
