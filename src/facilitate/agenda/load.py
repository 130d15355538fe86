"""Reading agenda files: bytes to text to a validated Agenda, with a plain reason when not."""

from __future__ import annotations

from pathlib import Path

from facilitate.agenda.model import Agenda, AgendaError
from facilitate.agenda.validate import Validator
from facilitate.tomlcheck import Problem, TomlFileError, parse_tolerant, read_toml_text


def read_agenda_text(path: Path) -> str:
    """The file's text, or an :class:`AgendaError` that says plainly why it cannot be read."""
    try:
        return read_toml_text(path, "agenda")
    except TomlFileError as exc:
        raise AgendaError([exc.problem]) from None


def load_agenda(path: Path, *, name: str | None = None) -> Agenda:
    """Read and validate an agenda file; raises :class:`AgendaError` with every problem."""
    text = read_agenda_text(path)
    return parse_agenda(text, file=str(path), name=name or path.stem)


def parse_agenda(text: str, *, file: str, name: str) -> Agenda:
    """Validate TOML text as an agenda; warnings ride along on ``Agenda.warnings``."""
    if not text.strip():
        raise AgendaError(
            [Problem(file, "is empty: an agenda needs an [agenda] title and segments")]
        )
    read = parse_tolerant(text, file)
    if read.data is None:
        raise AgendaError(read.problems)
    validator = Validator(read.text, file, name, syntax=read.problems, damaged=read.damaged)
    return validator.validate(read.data)
