"""The supervisor's side, run in the course directory: answer keys (checked whole before grading),
scoring outside the trainee's kernel, nbgrader preprocessors (``preprocessors/``), the problems list,
the cohort report (``report/``), the demo cohort and the trainee pack.

Never shipped to trainees: not in the trainee workspace, and hidden from autograded kernels.
"""
