"""The core never needs Textual: it must import and work with Textual blocked.

That is what lets the reducer, the exporters and ``facilitate check`` run in a
plain script, a CI job or over ssh, and keeps the timing maths testable
without a screen. Two guards: a subprocess that imports every core module with
``textual`` unimportable, and a static scan of the source for textual imports.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import facilitate

PACKAGE = Path(facilitate.__file__).resolve().parent
TUI = PACKAGE / "tui"


def core_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if TUI not in path.parents and path.name != "__main__.py"
    )


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


CORE_MODULES = [module_name(path) for path in core_files()]

BLOCKER = """
import importlib, importlib.abc, json, sys

class BlockTextual(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError(f"core module imported {name}")
        return None

sys.meta_path.insert(0, BlockTextual())
for name in list(sys.modules):
    if name == "textual" or name.startswith("textual."):
        del sys.modules[name]
loaded = []
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    loaded.append(name)
assert not any(m == "textual" or m.startswith("textual.") for m in sys.modules)
print(json.dumps(loaded))
"""


def test_the_core_module_list_is_complete() -> None:
    # A guard on the guard: if the scan found nothing, the tests below prove nothing.
    for expected in (
        "agenda",
        "clock",
        "schedule",
        "state",
        "reducer",
        "commands",
        "events",
        "store",
        "cli",
    ):
        assert f"facilitate.{expected}" in CORE_MODULES
    assert not any(name.startswith("facilitate.tui") for name in CORE_MODULES)


def test_every_core_module_imports_with_textual_blocked() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKER, json.dumps(CORE_MODULES)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == CORE_MODULES


def test_the_blocker_really_blocks() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKER, json.dumps(["textual"])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "core module imported textual" in proc.stderr


def is_textual(name: str) -> bool:
    return name == "textual" or name.startswith("textual.")


def textual_imports(source: str) -> list[int]:
    """Lines that import textual, at any depth (inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(is_textual(name) for name in names):
            found.append(node.lineno)
    return found


def test_no_core_file_imports_textual() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): lines
        for path in [*core_files(), PACKAGE / "__main__.py"]
        if (lines := textual_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_scan_recognises_every_spelling() -> None:
    source = "import textual\nfrom textual.app import App\ndef f():\n    import textual.widgets\n"
    assert textual_imports(source) == [1, 2, 4]
    assert textual_imports("import textualize\nfrom facilitate import textual_x\n") == []
