"""Stable facade: what graded notebooks import (``from trauma_curriculum.answers import ...``)."""

from .core.answers import InvalidAnswer, check_answer, check_confidence, normalise

__all__ = ["InvalidAnswer", "check_answer", "check_confidence", "normalise"]
