"""One schema layer for every YAML file the curriculum reads: vignettes, practice content, answer keys.

Each file is read as UTF-8 with ``yaml.safe_load`` (no tags, no arbitrary objects), then validated by a
pydantic model. Whatever goes wrong, the error names the file, the field and the fix, in one line per
problem, and never echoes a whole long value back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

M = TypeVar("M", bound=BaseModel)

#: Longest stretch of a bad value quoted back in an error message.
_SHOWN = 80


class SchemaError(ValueError):
    """A YAML file that cannot be used: the message names the file, the field and what to do."""


class Strict(BaseModel):
    """The base of every record read from YAML: unknown fields are errors, records never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _shown(value: object) -> str:
    if isinstance(value, (dict, list, tuple)) or value is None:
        return ""
    text = repr(value)
    return f" (given: {text[:_SHOWN]}{'...' if len(text) > _SHOWN else ''})"


def describe(error: ValidationError, whole: str = "(the file as a whole)") -> str:
    """pydantic's errors as "field 'a.b': what is wrong (given: ...)", joined by semicolons."""
    parts = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or whole
        parts.append(f"field '{field}': {item['msg'].removeprefix('Value error, ')}{_shown(item.get('input'))}")
    return "; ".join(parts)


def read_yaml(path: Path, error: type[SchemaError] = SchemaError) -> object:
    """The parsed content of a YAML file, or ``error`` naming the file and what to fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except UnicodeDecodeError as problem:
        raise error(f"{path}: not UTF-8 text (byte {problem.start}); save the file as UTF-8") from None
    except OSError as problem:
        raise error(f"{path}: cannot be read ({problem.strerror})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise error(f"{path}: not valid YAML{where} ({getattr(problem, 'problem', None) or problem}); "
                    "fix the syntax there") from None  # fmt: skip


def load_model(path: Path, model: type[M], error: type[SchemaError] = SchemaError,
                             prefix: str = "") -> M:  # fmt: skip
    """Read ``path`` and validate it as ``model``; ``prefix`` (for example "vignette p017: ") goes
    after the file name in any error."""
    data = read_yaml(path, error)
    if not isinstance(data, dict):
        raise error(f"{path}: {prefix}expected a mapping of fields, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as problem:
        raise error(f"{path}: {prefix}{describe(problem)}") from None
