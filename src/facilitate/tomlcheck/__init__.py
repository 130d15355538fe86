"""Checking TOML that people write by hand: shared by agendas and reference models.

``syntax`` reads a file (plain reasons when it cannot) and parses it with the
syntax error at its line and column; ``locate`` finds where each key was
written, since ``tomllib`` gives no positions; ``checker`` holds the field
readers that record every problem at its ``file:line:col`` and carry on;
``problems`` is the problem itself, with a did-you-mean.
"""

from __future__ import annotations

from facilitate.tomlcheck.checker import TomlChecker
from facilitate.tomlcheck.locate import Locator
from facilitate.tomlcheck.problems import Problem, did_you_mean, kind_name
from facilitate.tomlcheck.syntax import (
    Tolerant,
    TomlFileError,
    parse_tolerant,
    parse_toml,
    read_toml_text,
    toml_problem,
)

__all__ = [
    "Locator",
    "Problem",
    "Tolerant",
    "TomlChecker",
    "TomlFileError",
    "did_you_mean",
    "kind_name",
    "parse_tolerant",
    "parse_toml",
    "read_toml_text",
    "toml_problem",
]
