"""Reading and checking many files on every core: a process pool over chunks of files.

One bad file is one result (an Entry left out with its reason), never the end of the batch: a file that cannot be
read, or makes its worker process die, is left out with a Chinese message and the others are read as usual.
A worker sends back only what the summary keeps of a file (its Entry: name, year, format, figures, findings),
never the whole report.
"""
from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from ..checks import check, load_rules
from ..formats import FORMAT_IDS, load_format
from ..machine import gc_paused, usable_cpus
from ..report import Report, ReportError, agency_key, load
from .model import Entry, Number

Task = tuple[Path, "Report | None"]        # a file, and last year's report of its agency (None: the embedded one)
T = TypeVar("T")
R = TypeVar("R")

POOL_FROM = 48          # fewer files are read in this process: starting the workers costs more than it saves
CHUNK_MAX = 200         # files per task: few enough to balance the cores, enough to make a task's cost small
EMBEDDED = "文件内嵌的上年数据"
CRASHED = "无法读取：读取时程序异常退出（文件可能过大或已损坏）"


def read_entry(path: Path, previous: Report | None = None) -> Entry:
    """One file as the summary needs it: loaded, checked (against `previous`, else the data it embeds), its figures
    in cell order with None where a value is blank or invalid. Never raises: a bad file is left out with why."""
    r = _load_one(path)
    if isinstance(r, str):
        return Entry(path, left_out=f"无法读取：{r}", readable=False)
    e = Entry(path, r.agency_name, r.year, r.format)
    try:
        if previous is None:
            previous = r.previous()
            e.previous = EMBEDDED if previous is not None else None
        else:
            e.previous = previous.path
        e.findings = check(r, previous)
        # what the checker's schema rules refuse (a negative count, a fraction in a count cell) is not summed
        schema = _schema_rules(r.format)
        invalid = {cid for f in e.findings if f.rule in schema for cid in f.cells}
        cids = _cell_ids(r.format)
        figures = r.figures
        values: list[Number | None] = [figures.get(cid) for cid in cids]
        if invalid:
            values = [None if cid in invalid else v for cid, v in zip(cids, values, strict=True)]
        if None in values:
            e.not_summed = [cid for cid, v in zip(cids, values, strict=True) if v is None]
        e.values = tuple(values)
    except Exception as exc:  # noqa: BLE001 -- as above: the file is left out, with the reason
        return Entry(path, left_out=f"无法检查：{_internal(exc)}", readable=False)
    return e


def _load_one(path: Path | str) -> Report | str:
    """The file read, or why it could not be (never raises: one bad file is one result, the batch goes on)."""
    try:
        return load(path)
    except ReportError as exc:
        return exc.detail
    except (MemoryError, RecursionError):
        return "文件过大或嵌套过深"
    except Exception as exc:  # noqa: BLE001 -- as above
        return _internal(exc)


def _load_chunk(paths: Sequence[Path | str]) -> list[Report | str]:
    return [_load_one(path) for path in paths]


def index_previous(paths: Sequence[Path | str], year: int | None = None, jobs: int | None = None
                   ) -> tuple[dict[str, Report], list[tuple[str, str]]]:
    """Last year's reports, read on every core, by agency name (for pairing), and the files left out with the reason
    in Chinese: unreadable, of another year than `year`, without a name, or a second file of the same agency."""
    paths = list(paths)
    loaded = run_chunked(_load_chunk, paths, jobs, lambda path: CRASHED.removeprefix("无法读取："))
    index: dict[str, Report] = {}
    left_out: list[tuple[str, str]] = []
    for p, r in zip(paths, loaded, strict=True):
        if isinstance(r, str):
            left_out.append((str(p), f"无法读取：{r}"))
            continue
        if year is not None and r.year != year:
            left_out.append((str(p), f"年度为{r.year}，不是上一年度{year}"))
            continue
        key = agency_key(r.agency_name)
        if not key:
            left_out.append((str(p), "未填机关名称，无法配对"))
        elif key in index:
            left_out.append((str(p), f"机关名称与{Path(index[key].path or '').name}相同，只用一份"))
        else:
            index[key] = r
    return index, left_out


def _internal(exc: Exception) -> str:
    return f"程序内部错误（{type(exc).__name__}），请把这个文件交给维护人员查看"


@lru_cache(maxsize=None)
def _cell_ids(fid: str) -> tuple[str, ...]:
    return tuple(load_format(fid).cells)


@lru_cache(maxsize=None)
def _schema_rules(fid: str) -> frozenset[str]:
    """Ids of the rules that judge each value's kind (validators/<fid>.yaml, kind: schema)."""
    return frozenset(rule["id"] for rule in load_rules(fid)["rules"] if rule["kind"] == "schema")


def _read_chunk(chunk: Sequence[Task]) -> list[Entry]:
    """read_entry of each task, the cyclic garbage collector paused over every CHUNK_MAX files."""
    out: list[Entry] = []
    for i in range(0, len(chunk), CHUNK_MAX):
        with gc_paused():
            out += [read_entry(path, previous) for path, previous in chunk[i:i + CHUNK_MAX]]
    return out


def read_entries(tasks: Sequence[Task], jobs: int | None = None) -> list[Entry]:
    """`read_entry` of every task, in order, on `jobs` processes (default: every core)."""
    tasks = list(tasks)
    if len(tasks) >= POOL_FROM and (jobs or usable_cpus()) > 1:
        _warm()
    return run_chunked(_read_chunk, tasks, jobs, lambda task: Entry(task[0], left_out=CRASHED, readable=False))


def _warm() -> None:
    """Formats, rules and rule kinds loaded here once: forked workers inherit them instead of each loading them."""
    for fid in FORMAT_IDS:
        fmt = load_format(fid)
        check(Report.new(fmt.first_year, fmt=fid))
        _cell_ids(fid)
        _schema_rules(fid)


def run_chunked(fn: Callable[[Sequence[T]], list[R]], items: list[T], jobs: int | None,
                crashed: Callable[[T], R]) -> list[R]:
    """fn over chunks of `items` (fn gives one result per item), results in order. Few items, or one job: in this
    process. An item whose worker process dies is `crashed(item)`; the items its death interrupted are read again."""
    jobs = jobs or usable_cpus()
    if jobs <= 1 or len(items) < POOL_FROM:
        return fn(items)
    size = max(1, min(CHUNK_MAX, -(-len(items) // (jobs * 4))))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    done = _pool(fn, chunks, jobs)
    failed = [it for chunk, res in zip(chunks, done, strict=True) if res is None for it in chunk]
    again = iter(_one_by_one(fn, failed, crashed) if failed else [])
    out: list[R] = []
    for chunk, res in zip(chunks, done, strict=True):
        out += res if res is not None else [next(again) for _ in chunk]
    return out


def _pool(fn: Callable[[Sequence[T]], list[R]], chunks: list[list[T]], jobs: int) -> list[list[R] | None]:
    """Each chunk's results, None where the pool broke (a worker died) before the chunk was done."""
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as ex:
        futures: list[Future[list[R]]] = [ex.submit(fn, c) for c in chunks]
        out: list[list[R] | None] = []
        for f in futures:
            try:
                out.append(f.result())
            except BrokenProcessPool:
                out.append(None)
        return out


def _one_by_one(fn: Callable[[Sequence[T]], list[R]], items: list[T], crashed: Callable[[T], R]) -> list[R]:
    """Items of a chunk whose worker died, each alone in one worker: the first one that breaks it is the culprit."""
    out: list[R] = []
    rest = list(items)
    while rest:
        done = _pool(fn, [[it] for it in rest], 1)
        k = next((i for i, r in enumerate(done) if r is None), len(rest))
        for r in done[:k]:
            out += r or []
        if k < len(rest):
            out.append(crashed(rest[k]))
        rest = rest[k + 1:]
    return out
