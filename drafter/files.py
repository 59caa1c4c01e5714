"""Files written atomically, as every file drafter writes is: a temporary file beside the target, fsync, os.replace
(Windows too), the previous version kept as FILE.bak; through symlinks, with the file's mode and group kept and new
files following the umask.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path


def atomic_write(path: Path, data: str | bytes, keep_backup: bool = True) -> None:
    """Write `data` to `path` so that a crash at any moment leaves the old file or the new one, never half of one.

    The text goes to `.NAME.tmp` beside the file (flushed, fsynced), then replaces the file in one rename; the
    previous version is kept as NAME.bak. Through a symbolic link the linked file is written and the link stays a
    link. An existing file keeps its mode and group; a new one gets the umask's (0644 under 022). A temporary file
    left by a write that was killed has a fixed name, so the next write replaces it (it is never a report: the
    names end in .tmp)."""
    path = _write_target(Path(path))
    raw = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    tmp = folder / f".{path.name}.tmp"
    fd = _create(tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        if st is not None:
            _keep_owner_mode(tmp, st)
        if keep_backup and st is not None:
            try:
                _link_backup(path, path.with_name(path.name + ".bak"))
            except OSError:
                pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _write_target(path: Path) -> Path:
    """The file a write to `path` must change: the target of a symbolic link (of a chain of them), else `path`."""
    if not path.is_symlink():
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:           # a dangling link: the write creates its target
        return Path(os.path.realpath(path))


def _create(tmp: Path) -> int:
    """A new file for writing, mode 0666 less the umask (as any program's new file); one left by a killed write is
    replaced. O_EXCL: never writes through a link planted at the temporary name."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        return os.open(tmp, flags, 0o666)
    except FileExistsError:
        os.unlink(tmp)
        return os.open(tmp, flags, 0o666)


def _keep_owner_mode(tmp: Path, st: os.stat_result) -> None:
    """The new version gets the mode and group of the file it replaces (where the system allows)."""
    try:
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
    except OSError:
        pass
    chown = getattr(os, "chown", None)          # not on Windows, where a file has no group
    if chown is not None and getattr(st, "st_gid", None) is not None:
        try:
            chown(tmp, -1, st.st_gid)
        except OSError:
            pass


def _link_backup(path: Path, bak: Path) -> None:
    # a hard link keeps `path` in place until the rename, so there is no moment without the file
    tmp = bak.with_name(f".{bak.name}.tmp")
    try:
        os.link(path, tmp)
    except FileExistsError:             # left by a killed write
        os.unlink(tmp)
        os.link(path, tmp)
    os.replace(tmp, bak)
    if os.path.lexists(tmp):    # the backup already was this file (a save killed after linking it): POSIX rename
        os.unlink(tmp)          # of a hard link onto the same file does nothing
