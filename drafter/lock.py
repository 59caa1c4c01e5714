"""One editor per drafter file: a lock file beside it, created with O_CREAT|O_EXCL (atomic on POSIX and Windows).

The lock (``.~lock.<name>#``, as LibreOffice names its own) holds JSON: host, pid, user, since (ISO time) and a
token that tells this editor's lock from another's. A lock left by a process that has ended on this machine is
stale and taken over (the caller says so); a lock from another machine is never taken over without the clerk's
word, since its process cannot be seen from here.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import secrets
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROGRAM = "drafter"


def lock_path(path: Path | str) -> Path:
    """The lock file of a drafter file: ``.~lock.<name>#`` in the same folder."""
    p = Path(path)
    return p.with_name(f".~lock.{p.name}#")


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as read from its file (fields are '' / 0 when the file did not say)."""
    host: str
    pid: int
    user: str
    since: str
    token: str = ""

    def since_text(self) -> str:
        """The time the lock was taken, in local time: 2026-11-29 08:30."""
        try:
            t = dt.datetime.fromisoformat(self.since)
        except ValueError:
            return self.since or "时间不明"
        if t.tzinfo is not None:
            t = t.astimezone()
        return t.strftime("%Y-%m-%d %H:%M")

    def describe(self, path: Path | str) -> str:
        """「r.yaml」正由 张三 在 PC-01 上编辑（进程 1234，自 2026-11-29 08:30起）"""
        who = self.user or "另一位用户"
        host = self.host or "另一台电脑"
        pid = f"进程 {self.pid}，" if self.pid else ""
        return f"「{Path(path).name}」正由 {who} 在 {host} 上编辑（{pid}自 {self.since_text()}起）"

    def on_this_host(self) -> bool:
        return bool(self.host) and self.host.casefold() == this_host().casefold()


class Locked(Exception):
    """The file is being edited by another live editor (or one on another host, or one that cannot be told)."""

    def __init__(self, path: Path, holder: Holder | None, why: str):
        self.path, self.holder, self.why = Path(path), holder, why
        super().__init__(why)


def this_host() -> str:
    return socket.gethostname() or "localhost"


def this_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass raises OSError, KeyError or ImportError where there is no user name
        return os.environ.get("USERNAME") or os.environ.get("USER") or ""


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a process of another user counts as running)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - exercised on Windows only
    # os.kill(pid, 0) would end the process on Windows: ask the kernel instead
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    process_query_limited_information, still_active = 0x1000, 259
    h = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not h:
        return ctypes.get_last_error() == 5  # type: ignore[attr-defined]  # ERROR_ACCESS_DENIED: runs, as another user
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(h, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(h)


def read_holder(lock: Path) -> Holder | None:
    """The holder written in a lock file; None when the file is empty or not a drafter lock (or gone)."""
    try:
        raw = lock.read_bytes()
    except OSError:
        return None
    try:
        d = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(d, dict):
        return None
    pid = d.get("pid")
    return Holder(host=str(d.get("host") or ""), pid=pid if isinstance(pid, int) and not isinstance(pid, bool) else 0,
                  user=str(d.get("user") or ""), since=str(d.get("since") or ""), token=str(d.get("token") or ""))


class EditLock:
    """The lock this editor holds on one drafter file. Use `acquire`; `release` (or `with`) removes it."""

    def __init__(self, path: Path, holder: Holder, taken_over: Holder | None = None):
        self.path = Path(path)              # the drafter file
        self.lock = lock_path(path)
        self.holder = holder
        self.taken_over = taken_over        # the stale lock replaced, for the notice

    def notice(self) -> str | None:
        """The Chinese notice when a stale lock was taken over, else None."""
        t = self.taken_over
        if t is None:
            return None
        who = f"{t.user or '另一位用户'}（进程 {t.pid}，自 {t.since_text()}起）" if t.pid else "不明的程序"
        return f"上次由 {who} 打开的编辑已不在运行，其留下的锁已由本次编辑接管"

    def held(self) -> bool:
        """Whether the lock file is still this editor's."""
        h = read_holder(self.lock)
        return h is not None and h.token == self.holder.token

    def release(self) -> None:
        """Remove the lock file if it is still this editor's (never another editor's)."""
        if self.held():
            try:
                os.unlink(self.lock)
            except FileNotFoundError:
                pass

    def __enter__(self) -> "EditLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _create(lock: Path) -> Holder:
    """Create the lock file with O_EXCL (FileExistsError when there is one) and write this editor into it."""
    holder = Holder(host=this_host(), pid=os.getpid(), user=this_user(),
                    since=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                    token=secrets.token_hex(8))
    data = json.dumps({"program": PROGRAM, "host": holder.host, "pid": holder.pid, "user": holder.user,
                       "since": holder.since, "token": holder.token}, ensure_ascii=False).encode("utf-8")
    fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        try:
            os.unlink(lock)
        except OSError:
            pass
        raise
    os.close(fd)
    return holder


def _read_settled(lock: Path, wait: float = 0.5) -> Holder | None:
    """The lock's holder; an empty or half-written file (another editor is writing it this moment) is read again
    for up to `wait` seconds."""
    end = time.monotonic() + wait
    while True:
        h = read_holder(lock)
        if h is not None or time.monotonic() >= end or not lock.exists():
            return h
        time.sleep(0.05)


def _remove_if(lock: Path, holder: Holder) -> None:
    """Remove the lock file if it still is `holder`'s: moved aside first (one rename wins among racing editors),
    and put back when it turns out to be a fresh lock another editor has just taken."""
    aside = lock.with_name(f"{lock.name}.{os.getpid()}.{secrets.token_hex(4)}.old")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return
    if read_holder(aside) != holder:
        try:
            os.link(aside, lock)            # back in place, unless yet another editor has locked meanwhile
        except FileExistsError:
            pass
        except OSError:
            try:
                os.rename(aside, lock)      # no hard links here (FAT): the rename refuses to replace on Windows
            except OSError:
                pass
    try:
        os.unlink(aside)
    except FileNotFoundError:
        pass


def acquire(path: Path | str, take_over_foreign: bool = False) -> EditLock:
    """Lock `path` for this editor.

    Raises Locked when another editor holds it: one alive on this machine, one on another machine (unless
    `take_over_foreign`, the clerk's explicit word), or a lock file that names no holder. A lock of an ended
    process on this machine is taken over (EditLock.notice says so). OSError when the lock file cannot be
    created at all (a folder that cannot be written): the caller opens the file read-only."""
    path = Path(path)
    lock = lock_path(path)
    for _ in range(5):
        try:
            return EditLock(path, _create(lock))
        except FileExistsError:
            pass
        holder = _read_settled(lock)
        if holder is None:
            if not lock.exists():
                continue                    # released this moment: try again
            raise Locked(path, None, f"「{path.name}」已被锁定，但锁文件 {lock.name} 无法识别")
        if holder.on_this_host():
            if pid_alive(holder.pid):
                raise Locked(path, holder, holder.describe(path))
        elif not take_over_foreign:
            raise Locked(path, holder, holder.describe(path))
        # stale (its process ended) or taken over on the clerk's word: remove it if it is still that lock
        _remove_if(lock, holder)
        try:
            return EditLock(path, _create(lock), taken_over=holder)
        except FileExistsError:
            continue                        # another editor took it over first: look at theirs
    holder = read_holder(lock)
    raise Locked(path, holder, holder.describe(path) if holder else f"「{path.name}」已被锁定")
