"""The drafter file on disk as the editor last read or wrote it: outside changes told from the editor's own, and
write failures said in Chinese.

Core module (no textual): the TUI's Session keeps one DiskFile per open file.
"""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .files import atomic_write
from .report import Report, load

# files up to this size are compared by content at every save; larger ones (refused elsewhere) by size and time
HASH_LIMIT = 8 * 1024 * 1024


@dataclass(frozen=True)
class Stamp:
    """What a file was: size, modification time and (for files up to HASH_LIMIT) the SHA-256 of its bytes."""
    size: int
    mtime_ns: int
    digest: str

    def same_content(self, other: "Stamp | None") -> bool:
        if other is None:
            return False
        if self.digest and other.digest:
            return self.digest == other.digest
        return (self.size, self.mtime_ns) == (other.size, other.mtime_ns)


def stamp(path: Path, data: bytes | None = None) -> Stamp | None:
    """The stamp of `path` now (None when it is gone); `data`: the bytes just written there, saving a read."""
    try:
        st = os.stat(path)
        if data is None and st.st_size <= HASH_LIMIT:
            data = Path(path).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    digest = hashlib.sha256(data).hexdigest() if data is not None and len(data) <= HASH_LIMIT else ""
    return Stamp(st.st_size, st.st_mtime_ns, digest)


_WHY = {
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "磁盘是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "文件夹已不存在（被删除、改名或U盘已拔出）",
    errno.ENOTDIR: "文件夹已不存在（路径中有一项不是文件夹）",
    errno.EIO: "磁盘读写出错",
}
if hasattr(errno, "EDQUOT"):
    _WHY[errno.EDQUOT] = "超出磁盘配额"


def why_not_written(e: OSError) -> str:
    """Why a write failed, in Chinese: 磁盘已满, 没有写入权限, 文件夹已不存在 …"""
    if e.errno in _WHY:
        return _WHY[e.errno]
    if isinstance(e, PermissionError):
        return "没有写入权限"
    return f"无法写入（{e.strerror or e}）" if e.strerror or str(e) else "无法写入"


class OutsideChange(Exception):
    """The file on disk is no longer what the editor last read or wrote: another program changed or removed it."""

    def __init__(self, path: Path, gone: bool):
        self.path, self.gone = Path(path), gone
        super().__init__(f"「{self.path.name}」已被删除或改名" if gone else f"「{self.path.name}」已被其他程序修改")


class DiskFile:
    """One drafter file: read with its stamp, written only over what the editor last saw there."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.seen: Stamp | None = None      # the file as last read or written by this editor

    def read(self) -> Report:
        """Load the report and remember what the file was (read again if it changed while being read)."""
        for _ in range(3):
            before = stamp(self.path)
            report = load(self.path)
            after = stamp(self.path)
            if after is not None and after == before:
                break
        self.seen = after
        return report

    def outside_change(self) -> OutsideChange | None:
        """Whether another program changed or removed the file since this editor last read or wrote it."""
        now = stamp(self.path)
        if now is None:
            return OutsideChange(self.path, gone=True)
        if now == self.seen:
            return None
        if now.same_content(self.seen):
            self.seen = now                 # touched (or copied back unchanged): nothing to lose
            return None
        return OutsideChange(self.path, gone=False)

    def write(self, report: Report, force: bool = False) -> None:
        """Save `report` over the file. Raises OutsideChange (unless `force`) when the file is not what this editor
        last saw; OSError when it cannot be written (see why_not_written)."""
        if not self.path.parent.is_dir():     # a folder removed (or a USB stick pulled) is a failed write
            raise FileNotFoundError(errno.ENOENT, "folder gone", str(self.path.parent))
        if not force:
            change = self.outside_change()
            if change is not None:
                raise change
        text = report.dumps()
        atomic_write(self.path, text)
        report.path = self.path
        self.seen = stamp(self.path, text.encode("utf-8"))

    def unwritable(self) -> str | None:
        """Why the file cannot be saved where it is (said when it is opened), or None when it can."""
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return "文件设为只读"
        folder = self.path.parent
        probe = folder / f".~probe.{os.getpid()}.{self.path.name}.tmp"
        try:
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return None
        except OSError as e:
            return f"文件夹不能写入（{why_not_written(e)}）"
        os.close(fd)
        try:
            os.unlink(probe)
        except OSError:
            pass
        return None


def copy_name(path: Path, label: str = "我的版本", when: dt.datetime | None = None) -> Path:
    """A free name beside `path` for a copy: 青山镇-2021（我的版本 2026-11-29 0830）.yaml, then …（2）…"""
    path = Path(path)
    t = (when or dt.datetime.now()).strftime("%Y-%m-%d %H%M")
    base = f"{path.stem}（{label} {t}）"
    cand = path.with_name(base + path.suffix)
    n = 2
    while cand.exists():
        cand = path.with_name(f"{base}（{n}）{path.suffix}")
        n += 1
    return cand


def write_copy(report: Report, target: Path) -> Path:
    """Write `report` to a new file `target` (never over an existing one); OSError when it cannot be written."""
    target = Path(target)
    if target.exists():
        raise FileExistsError(errno.EEXIST, "文件已存在", str(target))
    atomic_write(target, report.dumps(), keep_backup=False)
    return target

