"""Shell completion for sub-commands, agenda names and session ids (argcomplete).

argcomplete asks the program itself at each Tab, so the names it offers are the
ones on disk now (this session list, your own agendas), written once in Python
for bash, zsh, fish and PowerShell alike (Windows laptops). It is imported only
when the shell asks (``_ARGCOMPLETE`` set), so ordinary commands pay nothing.
``facilitate completion SHELL`` prints the snippet to put in the shell's profile.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

from facilitate.cli.common import Commands, write_stdout
from facilitate.paths import Paths, resolve_paths

SHELLS = ("bash", "zsh", "fish", "powershell")


def register(commands: Commands) -> None:
    shell = commands.add(
        "completion",
        "print the shell code that completes commands, agendas and sessions on Tab",
        _completion,
    )
    shell.add_argument("shell", choices=SHELLS)
    shell.set_defaults(needs_folders=False)


def _completion(args: argparse.Namespace, paths: Paths) -> int:
    from argcomplete.shell_integration import shellcode

    write_stdout(shellcode(["facilitate"], shell=args.shell))
    return 0


def _paths(parsed: argparse.Namespace) -> Paths | None:
    try:
        return resolve_paths(getattr(parsed, "data_dir", None), os.environ)
    except Exception:  # a completer must never break the shell
        return None


def complete_sessions(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    from facilitate.store import session_ids

    paths = _paths(parsed_args)
    ids = session_ids(paths) if paths is not None else []
    return [s for s in ["latest", *reversed(ids)] if s.startswith(prefix)]


def complete_agendas(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    from facilitate.agenda.catalog import agenda_entries

    paths = _paths(parsed_args)
    names = [entry.name for entry in agenda_entries(paths)] if paths is not None else []
    files: list[str] = []
    if os.sep in prefix or prefix.endswith(".toml") or prefix.startswith("."):
        from argcomplete.completers import FilesCompleter

        files = list(FilesCompleter(allowednames=("toml",))(prefix))
    return [n for n in names if n.startswith(prefix)] + files


Completer = Callable[..., list[str]]


def completes(action: argparse.Action, completer: Completer) -> None:
    """Attach ``completer`` to an argument (argcomplete reads ``action.completer``)."""
    action.completer = completer  # type: ignore[attr-defined]


def autocomplete(parser: argparse.ArgumentParser, **options: Any) -> None:
    """Answer the shell and exit, when it is the shell asking."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    argcomplete.autocomplete(parser, **options)
