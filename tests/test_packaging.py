"""What a facilitator installs: the sdist carries its tests, the wheel its agendas.

The sdist is built from a copy of the source tree, and the wheel from the
unpacked sdist (as pip does), so a file the sdist forgot breaks the wheel too.
The wheel is installed into a fresh virtual environment (its dependencies come
from this one, offline) and ``facilitate agendas`` must list the five bundled
agendas from there, not from this checkout.
"""

from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import facilitate

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = {
    "case-study-perspectives",
    "partnership-meeting",
    "sample-programme",
    "session-evaluation",
    "shared-solutions",
}
LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis",
    ".lock-venv", "snapshot_report.html",
)  # fmt: skip


@dataclass(frozen=True)
class Built:
    sdist: Path
    unpacked: Path
    wheel: Path


def backend(call: str, source: Path, out: Path) -> Path:
    """Ask setuptools' PEP 517 backend, in ``source``, to build into ``out`` (offline)."""
    code = f"from setuptools import build_meta as b; print(b.{call}({str(out)!r}))"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=source, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out / proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("packaging")
    tree = root / "tree"
    shutil.copytree(ROOT, tree, ignore=LEFT_OUT, symlinks=True)
    dist = root / "dist"
    dist.mkdir()
    sdist = backend("build_sdist", tree, dist)
    with tarfile.open(sdist) as archive:
        archive.extractall(root / "unpacked", filter="data")
    [unpacked] = (root / "unpacked").iterdir()
    wheel = backend("build_wheel", unpacked, dist)
    yield Built(sdist, unpacked, wheel)


def test_the_wheel_carries_the_agendas_the_licence_and_one_version(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = set(wheel.namelist())
        info = wheel.read(f"facilitate-{facilitate.__version__}.dist-info/METADATA").decode()
    agendas = {Path(n).stem for n in names if n.startswith("facilitate/agendas/")}
    assert agendas == BUNDLED
    assert "facilitate/facilitate.tcss" not in names and "facilitate/tui/facilitate.tcss" in names
    assert f"facilitate-{facilitate.__version__}.dist-info/licenses/LICENSE" in names
    metadata = email.parser.Parser().parsestr(info)
    assert metadata["Version"] == facilitate.__version__
    assert metadata["License-Expression"] == "MIT"
    classifiers = metadata.get_all("Classifier") or []
    assert "Operating System :: Microsoft :: Windows" in classifiers
    assert "Operating System :: MacOS" in classifiers


def test_the_wheel_installs_in_a_fresh_venv_and_lists_the_bundled_agendas(
    built: Built, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(built.wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    # Its dependencies (textual, rich...) from this environment, after its own packages.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "shared-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    script = venv / ("Scripts/facilitate.exe" if os.name == "nt" else "bin/facilitate")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FACILITATE_DATA_DIR")}
    env["FACILITATE_DATA_DIR"] = str(tmp_path / "data")
    listed = subprocess.run(
        [str(script), "agendas"], capture_output=True, text=True, env=env, timeout=120
    )
    assert listed.returncode == 0, listed.stderr
    names = {line.split()[0] for line in listed.stdout.splitlines()[1:] if line.strip()}
    assert names >= BUNDLED
    where = next(line for line in listed.stdout.splitlines() if "Bundled agendas are in" in line)
    assert str(venv) in where, "the agendas come from the installed package, not this checkout"
    version = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, env=env, timeout=60
    )
    assert version.stdout.strip() == f"facilitate {facilitate.__version__}"


def test_the_sdist_holds_the_tests_and_they_run(built: Built) -> None:
    for needed in ("LICENSE", "tests/apptools.py", "docs/agendas.md", "constraints.txt",
                   "src/facilitate/agendas/sample-programme.toml"):  # fmt: skip
        assert (built.unpacked / needed).is_file(), f"{needed} is not in the sdist"
    assert not (built.unpacked / "src" / "facilitate" / "agendas").is_symlink()
    env = {**os.environ, "PYTHONPATH": str(built.unpacked / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "tests/test_agenda.py", "tests/test_schedule.py"],
        cwd=built.unpacked, capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "passed" in proc.stdout or proc.stdout.count(".") > 20
