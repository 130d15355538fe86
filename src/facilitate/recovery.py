"""Events that could not be saved when the process had to end, kept in a recovery file.

When a terminal is closed (SIGHUP), the process is asked to stop (SIGTERM), or the
app ends in any other way while events still wait for the session's disk (full,
read-only, gone), :func:`keep` writes them to a file of their own in the first
folder that takes it: the platform's state folder (:attr:`Paths.recovery_dir`),
else a private folder in the temp folder. The file is owner-only: a header line
(the session, its folder, the writer, when and why), then the records exactly as
the journal would hold them.

``resume`` asks :func:`find` for the files of the session it opens and offers to
bring them back; :func:`restore` appends each record to its writer's journal unless
one with the same (writer, seq) is there already, then removes the file.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from facilitate import osfs
from facilitate.files import MB, describe, read_prefix, read_regular
from facilitate.journal import JournalWriter, encode_record, journal_path, read_session
from facilitate.journal.format import Record
from facilitate.paths import Paths

HEADER = "facilitate_recovery"
FORMAT = 1
SUFFIX = ".jsonl"
MAX_RECOVERY_BYTES = 256 * MB
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class RecoveryError(OSError):
    """No folder would take the recovery file; ``str()`` says what each one answered."""


@dataclass(frozen=True)
class Recovery:
    """One recovery file: whose events, kept when and why, and the records themselves."""

    path: Path
    session: str
    folder: str
    writer: str
    kept_at: str
    why: str
    records: tuple[Record, ...]


@dataclass(frozen=True)
class Restored:
    written: int  # records appended to the journals
    already: int  # records the session already had (same writer and number)


def keep(
    paths: Paths,
    sid: str,
    folder: Path,
    writer: str,
    records: tuple[Record, ...] | list[Record],
    *,
    why: str,
    now: datetime,
) -> Path:
    """Write ``records`` to a new owner-only recovery file and return where it is; raise
    :class:`RecoveryError` when neither the state folder nor the temp folder takes it."""
    header = {
        HEADER: FORMAT,
        "session": sid,
        "folder": os.path.abspath(folder),
        "writer": writer,
        "kept_at": now.isoformat(),
        "why": why,
        "count": len(records),
    }
    data = encode_record(header) + b"".join(encode_record(dict(r)) for r in records)
    name = f"{_UNSAFE.sub('_', sid)[:120]}--{_UNSAFE.sub('_', writer)[:60]}--{now:%Y%m%dT%H%M%S}"
    answers = []
    for where in _writable_dirs(paths):
        try:
            return _write_new(where, name, data)
        except OSError as exc:
            answers.append(f"{where}: {describe(exc)}")
    raise RecoveryError("; ".join(answers) or "no folder to write to")


def find(paths: Paths, folder: Path) -> list[Recovery]:
    """The recovery files kept for the session in ``folder``, oldest first."""
    target = os.path.abspath(folder)
    found = []
    for where in _readable_dirs(paths):
        with contextlib.suppress(OSError):
            for path in sorted(where.glob(f"*{SUFFIX}")):
                recovery = read(path)
                if recovery is not None and recovery.folder == target:
                    found.append(recovery)
    return sorted(found, key=lambda r: (r.kept_at, str(r.path)))


def waiting(paths: Paths) -> dict[str, list[Path]]:
    """Every recovery file by the session folder it belongs to (absolute), by name.

    Cheap whatever the number of sessions: one listing of each folder a recovery file
    may be in, and only the first line (the header) of each file found there."""
    found: dict[str, list[Path]] = {}
    for where in _readable_dirs(paths):
        with contextlib.suppress(OSError):
            for path in sorted(where.glob(f"*{SUFFIX}")):
                header = _header(path)
                if header is not None:
                    found.setdefault(str(header.get("folder")), []).append(path)
    return found


def waiting_warning(sid: str, folder: Path, files: list[Path]) -> str | None:
    """What every reader of a session (a listing, an export) says of the changes its
    recovery ``files`` hold that its journals lack (None: they lack none). Reads those
    files and the session's journals: only for a session that has such files."""
    kept = [one for one in map(read, files) if one is not None]
    count = count_new(folder, kept) if kept else 0
    if not count:
        return None
    where = str(kept[0].path)
    if len(kept) > 1:
        where += f" and {len(kept) - 1} more file{'s' if len(kept) > 2 else ''} beside it"
    changes = f"{count} change{'s' if count != 1 else ''}"
    verb = "is" if count == 1 else "are"
    return (
        f"{changes} of session {sid} {verb} waiting in {where}, not yet in its journal "
        f"(lists and minutes leave them out): `facilitate resume {sid}` brings them back"
    )


def waiting_warnings(paths: Paths, sid: str, folder: Path) -> list[str]:
    """The warning for the session in ``folder`` if changes of it wait (else nothing)."""
    files = waiting(paths).get(os.path.abspath(folder))
    warning = waiting_warning(sid, folder, files) if files else None
    return [warning] if warning else []


def _header(path: Path) -> dict[str, object] | None:
    try:
        head = read_prefix(path, 64 * 1024, what="a recovery file")[0].split(b"\n", 1)[0]
        header = json.loads(head)
    except (OSError, ValueError):
        return None
    if not isinstance(header, dict) or header.get(HEADER) != FORMAT:
        return None
    return header


def read(path: Path) -> Recovery | None:
    """One recovery file, or None when it is not one (or cannot be read)."""
    try:
        data = read_regular(path, MAX_RECOVERY_BYTES, what="a recovery file")
    except OSError:
        return None
    lines = data.split(b"\n")
    try:
        header = json.loads(lines[0])
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get(HEADER) != FORMAT:
        return None
    records = []
    for line in lines[1:]:
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if isinstance(record, dict):
                records.append(record)

    def text(key: str) -> str:
        return str(header.get(key, ""))

    return Recovery(
        path,
        session=text("session"),
        folder=text("folder"),
        writer=text("writer"),
        kept_at=text("kept_at"),
        why=text("why"),
        records=tuple(records),
    )


def count_new(folder: Path, found: list[Recovery]) -> int:
    """How many of the kept records the session in ``folder`` does not have yet."""
    have = _numbers(folder)
    kept = {(r.get("writer"), r.get("seq")) for one in found for r in one.records}
    return len(kept - have)


def _numbers(folder: Path) -> set[tuple[object, object]]:
    return {(r.get("writer"), r.get("seq")) for r in read_session(folder).records}


def restore(folder: Path, recovery: Recovery) -> Restored:
    """Append the recovery file's records to their writers' journals in ``folder`` (each
    writer's in the order it numbered them), skipping those the session already has,
    then remove the file. Raises OSError (the file stays) when a journal cannot be
    written."""
    have = _numbers(folder)
    by_writer: dict[str, list[Record]] = {}
    already = 0
    for record in recovery.records:
        writer, seq = record.get("writer"), record.get("seq")
        if not isinstance(writer, str) or not isinstance(seq, int):
            continue
        if (writer, seq) in have:
            already += 1
            continue
        have.add((writer, seq))
        by_writer.setdefault(writer, []).append(record)
    written = 0
    for writer, records in sorted(by_writer.items()):
        try:
            journal_path(folder, writer)
        except ValueError:
            continue  # not a writer id a journal can be named after: not ours
        records.sort(key=lambda r: r["seq"])
        with JournalWriter(folder, writer) as journal:
            journal.append_line(b"".join(encode_record(r) for r in records))
        written += len(records)
    with contextlib.suppress(OSError):
        recovery.path.unlink()
    return Restored(written, already)


# --- where ------------------------------------------------------------------------------


def _temp_root() -> Path:
    return Path(tempfile.gettempdir())


def _me() -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    try:
        return _UNSAFE.sub("_", getpass.getuser())
    except (OSError, KeyError, ImportError):
        return "user"


def _writable_dirs(paths: Paths) -> Iterator[Path]:
    """The state folder, then ``<temp>/facilitate-<uid>/recovery`` (unless someone else
    made that folder), else a new private folder in the temp folder."""
    yield paths.recovery_dir
    mine = _temp_root() / f"facilitate-{_me()}"
    if not os.path.lexists(mine) or _ours(mine):
        yield mine / "recovery"
    with contextlib.suppress(OSError):
        yield Path(tempfile.mkdtemp(prefix="facilitate-recovery-"))


def _readable_dirs(paths: Paths) -> list[Path]:
    """Where :func:`_writable_dirs` may have put a file: the state folder, and our own
    ``facilitate-*`` folders in the temp folder."""
    dirs = [paths.recovery_dir]
    with contextlib.suppress(OSError):
        for entry in sorted(_temp_root().glob("facilitate-*")):
            if _ours(entry):
                dirs += [entry / "recovery", entry]
    return dirs


def _ours(path: Path) -> bool:
    """A real folder (not a link) that this user owns and nobody else can write to."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True  # Windows: the temp folder is inside the user's own profile
    return st.st_uid == getuid() and not st.st_mode & 0o022


def _write_new(folder: Path, name: str, data: bytes) -> Path:
    osfs.private_dir(folder)
    for part in (folder, folder.parent):
        if part.is_relative_to(_temp_root()) and part != _temp_root() and not _ours(part):
            raise PermissionError(f"{part} belongs to someone else")
    flags = osfs.open_flags(os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0))
    for n in range(1, 100):
        path = folder / (f"{name}{SUFFIX}" if n == 1 else f"{name}-{n}{SUFFIX}")
        try:
            fd = os.open(path, flags, osfs.FILE_MODE)
        except FileExistsError:
            continue
        try:
            osfs.make_private(fd)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            osfs.sync_file(fd)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        os.close(fd)
        osfs.sync_dir(folder)
        return path
    raise FileExistsError(f"{folder} holds too many recovery files named {name}")
