"""The environment is described three times (pyproject, constraints, environment.yml): they must agree."""

import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT


def pyproject_requirements() -> dict[str, SpecifierSet]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    parsed = [Requirement(text) for text in requirements]
    return {canonicalize_name(r.name): r.specifier for r in parsed}


def conda_requirements() -> dict[str, SpecifierSet]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, str) and entry.split()[0] not in {"python", "pip"}:
            name, _, spec = entry.partition(" ")
            found[canonicalize_name(name)] = SpecifierSet(spec.replace(" ", ""))
    return found


def test_environment_yml_and_pyproject_name_the_same_dependencies_and_ranges():
    assert conda_requirements() == pyproject_requirements()


def test_environment_yml_python_matches_requires_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(e for e in environment["dependencies"] if isinstance(e, str) and e.startswith("python "))
    assert SpecifierSet(python.split(" ", 1)[1]) == SpecifierSet(project["requires-python"])


def test_constraints_pin_every_dependency_within_its_range():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = Version(version)
    for name, specifier in pyproject_requirements().items():
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert pins[name] in specifier, f"{name}=={pins[name]} is outside {specifier}"
