"""drafter's benchmarks (issue 8): one JSON object on stdout, progress on stderr, exit status 0.

Every figure is measured in the same run as its baseline, each the median of repeated runs after a warm-up.
The targets of issue 8 are on the first four:
  check_ms        one full drafter.checks.check() of the 2021 sample; check_vs_load = check / drafter.report.load
  keystroke_ratio in Pilot: a digit pressed in requests.new.natural of the sample (pilot.press) until the screen is
                  repainted (pilot.pause), the new row total read from the painted screen / the same for a bare
                  Textual app with one Input
  startup_ratio   `drafter edit SAMPLE --goto requests.new.natural`, a new process in a 100×30 pseudo-terminal,
                  until its first screen shows the cell's place / a bare one-Input Textual app started the same way
  render_ratio    drafter.render.render_docx of the sample / DocxTemplate(the same template).render({}) + save
and, with no target, what lies under them:
  keystroke_work_ratio, keystroke_idle_ratio  the CPU work of one key: the event loop run until no task is ready and
                  the screen painted at once (no idle sleeps, no 60 Hz tick), to the paint showing the new total
                  (work) and until all the key caused is done (idle), against the bare app's (about 1 ms)
  startup_work_ratio  DrafterApp under run_test until everything is built and painted / the bare app, same method
  import_docx_ms  drafter.importing.import_file of the sample rendered to .docx
  files_per_s     bench/check_many.run(): checking many generated files
  process_import_ratio  a fresh Python process importing the editor / importing textual's App
  province_*      bench/check_many.province(): `drafter check DIR --json` and `drafter summary DIR` of 20,000
                  generated files as new processes (wall time, peak memory), beside the figures of before issue 13;
                  province_samples_check_*: `drafter check DIR` of as many copies of the bundled real reports

    .venv/bin/python bench/run.py [--repeat N] [--files N] [--province N]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"
SIZE = (100, 30)
CELL = "requests.new.natural"
TARGETS = {"check_ms": 2.0, "keystroke_ratio": 1.5, "startup_ratio": 2.0, "render_ratio": 1.5}


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


def median_ms(fn, repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


# ---- check, render, import ----------------------------------------------------------------------
def bench_check(sample: Path, repeat: int) -> dict:
    from drafter.checks import check
    from drafter.report import load

    report = load(sample)
    check_ms = median_ms(lambda: check(report, report.previous()), repeat * 20, warmup=3)
    load_ms = median_ms(lambda: load(sample), repeat * 20, warmup=3)
    return {"check_ms": check_ms, "load_ms": load_ms, "check_vs_load": check_ms / load_ms}


def bench_render(sample: Path, tmp: Path, repeat: int) -> dict:
    import jinja2
    from docxtpl import DocxTemplate

    from drafter.render import render_docx, template_path
    from drafter.report import load

    report = load(sample)
    template = template_path(report.format)
    out = tmp / "render.docx"
    base_out = tmp / "bare.docx"

    # an empty context: the template's names are undefined (printed empty, loops run no times), not an error
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=True)

    def bare():
        tpl = DocxTemplate(str(template))
        tpl.render({}, jinja_env=env)
        tpl.save(str(base_out))

    # interleaved (one of each per round) so a slow moment of the machine hits both
    for _ in range(2):
        render_docx(report, out)
        bare()
    ours, base = [], []
    for _ in range(repeat * 3):
        t0 = time.perf_counter()
        render_docx(report, out)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        bare()
        base.append(time.perf_counter() - t0)
    r_ms, b_ms = statistics.median(ours) * 1000, statistics.median(base) * 1000
    return {"render_ms": r_ms, "render_base_ms": b_ms, "render_ratio": r_ms / b_ms, "_docx": out}


def bench_import(docx: Path, repeat: int) -> dict:
    from drafter.importing import import_file

    res = import_file(docx)
    assert res.report.figures.get(CELL) is not None, "the rendered sample did not import"
    return {"import_docx_ms": median_ms(lambda: import_file(docx), repeat * 3, warmup=1)}


def bench_files(files: int) -> dict:
    from check_many import run
    res = run(files=files, distinct=min(files, 100), summary=False)
    assert res["errors_found"] == 0, res
    return {"files": files, "files_per_s": res["check_files_per_s"], "load_files_per_s": res["load_files_per_s"]}


def bench_province(files: int) -> dict:
    """`drafter check DIR` and `drafter summary DIR` of `files` generated files, as new processes (issue 13)."""
    from check_many import province
    res = province(files=files, distinct=min(files, 1000))
    out = {f"province_{k}": v for k, v in res.items() if k not in ("bench", "cpus")}
    real = province(files=files, summary=False, samples=True)      # the same on real reports' texts
    out.update({f"province_samples_{k}": v for k, v in real.items() if k.startswith("check_")})
    return out


# ---- the terminal UI ----------------------------------------------------------------------------
def _paint_like_a_terminal(app) -> None:
    """Headless apps skip turning screen updates into terminal text: do it (and discard it), as a terminal run would."""
    from textual._compositor import CompositorUpdate

    original = app._display

    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None and isinstance(renderable, CompositorUpdate) and not app._batch_count:
            renderable.render_segments(app.console)
            app.bench_painted = time.perf_counter()     # when the last paint reached the (pretend) terminal

    app._display = display
    app.bench_painted = None


async def settle(app) -> None:
    """Run until every message is handled and the screen is painted (no task left ready, no repaint pending)."""
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(0)
        if loop._ready:                  # some message pump, callback or task still has work
            continue
        app.screen._on_timer_update()    # paint now (what the update timer would do at its next tick)
        if not loop._ready:
            return


def screen_text(app) -> list[str]:
    """The lines on the screen as painted (for the assertions, outside the timings)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def bare_app():
    from textual.app import App
    from textual.widgets import Input

    class Bare(App):
        def compose(self):
            yield Input(id="in")

        def on_mount(self):
            self.query_one(Input).focus()

    return Bare()


async def press(app, ch: str) -> tuple[float, float]:
    """Seconds from the key reaching the app (1) until the last paint it caused reached the terminal, (2) until
    everything it caused is done (work after that paint, such as a save, counts in (2) only)."""
    from textual import events

    app.bench_painted = None
    t0 = time.perf_counter()
    app.post_message(events.Key(ch, ch))
    await settle(app)
    t1 = time.perf_counter()
    return (app.bench_painted or t1) - t0, t1 - t0


async def _pilot_keys(app, n: int, reset, shown) -> list[float]:
    """Seconds of pilot.press(digit) + pilot.pause() for n digits (after two unmeasured), `reset()` before each and
    `shown(digit)` asserted on the painted screen after each."""
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for i in range(n + 2):
            reset()
            await pilot.pause()
            digit = str(7 + i % 2)
            t0 = time.perf_counter()
            await pilot.press(digit)
            await pilot.pause()
            t = time.perf_counter() - t0
            assert shown(digit), "\n".join(screen_text(app))
            if i >= 2:
                times.append(t)
    return times


async def keystroke_pilot(sample: Path, tmp: Path, repeat: int) -> dict:
    """The issue's measure: in Pilot, a key pressed (pilot.press) until the screen is repainted (pilot.pause, which
    waits for the app to be idle and paints), the new total then read from the painted screen; the same for a bare
    one-Input app. Pilot's idle wait is part of both sides, as it is of every Pilot test."""
    from drafter.tui.app import DrafterApp

    path = tmp / "keystroke-pilot.yaml"
    shutil.copyfile(sample, path)
    app = DrafterApp(path, goto=CELL)
    s = app.session
    row = s.fmt.cells[CELL].row
    row_total = next(d for d in s.derived if s.fmt.cells[d].table == "requests" and s.fmt.cells[d].row == row)

    def shown(digit):
        return s.value(CELL) == int(digit) and f"本行总计：{s.value(row_total)}" in "\n".join(screen_text(app))

    ours = await _pilot_keys(app, repeat * 3, lambda: app.query_one("#grid-requests").commit(), shown)
    bare = bare_app()
    base = await _pilot_keys(bare, repeat * 3, lambda: setattr(bare.query_one("#in"), "value", ""),
                             lambda digit: screen_text(bare)[1].strip("▊▎ ") == digit)
    k, b = statistics.median(ours) * 1000, statistics.median(base) * 1000
    return {"keystroke_ms": k, "keystroke_base_ms": b, "keystroke_ratio": k / b}


async def keystroke_work(sample: Path, tmp: Path, repeat: int) -> dict:
    from textual.widgets import Input

    from drafter.report import load
    from drafter.tui.app import DrafterApp
    from drafter.tui.grid import NumberGrid

    path = tmp / "keystroke.yaml"
    shutil.copyfile(sample, path)
    n = repeat * 10
    ours, base, ours_idle, base_idle = [], [], [], []

    app = DrafterApp(path, goto=CELL)
    _paint_like_a_terminal(app)
    async with app.run_test(size=SIZE):
        await settle(app)
        grid = app.query_one("#grid-requests", NumberGrid)
        assert app.focused is grid and grid.cid == CELL, (app.focused, grid.cid)
        s = app.session
        row_total = next(d for d in s.derived if s.fmt.cells[d].table == "requests"
                         and s.fmt.cells[d].row == s.fmt.cells[CELL].row)
        others = sum(s.value(c.id) or 0 for c in s.fmt.tables["requests"].cells
                     if c.row == s.fmt.cells[CELL].row and c.id not in (CELL, row_total) and c.id not in s.derived)
        for i in range(n + 3):
            grid.commit()                 # the next digit starts a new value: one digit, then the next
            await settle(app)
            digit = str(7 + i % 2)
            painted, idle = await press(app, digit)
            want = others + int(digit)
            assert s.value(CELL) == int(digit) and s.value(row_total) == want, (s.value(CELL), s.value(row_total))
            shown = "\n".join(screen_text(app))     # (not timed) the painted screen shows the new total
            assert f"本行总计：{want}" in shown, shown
            if i >= 3:                    # the first three are the warm-up
                ours.append(painted)
                ours_idle.append(idle)
        assert load(path).figures[CELL] == int(digit)     # saved at each key

    bare = bare_app()
    _paint_like_a_terminal(bare)
    async with bare.run_test(size=SIZE):
        await settle(bare)
        inp = bare.query_one(Input)
        assert bare.focused is inp
        for i in range(n + 3):
            inp.value = ""
            await settle(bare)
            digit = str(7 + i % 2)
            painted, idle = await press(bare, digit)
            assert inp.value == digit
            assert screen_text(bare)[1].strip("▊▎ ") == digit, screen_text(bare)[:3]
            if i >= 3:
                base.append(painted)
                base_idle.append(idle)
    k, b = statistics.median(ours) * 1000, statistics.median(base) * 1000
    ki, bi = statistics.median(ours_idle) * 1000, statistics.median(base_idle) * 1000
    return {"keystroke_work_ms": k, "keystroke_work_base_ms": b, "keystroke_work_ratio": k / b,
            "keystroke_idle_ms": ki, "keystroke_idle_base_ms": bi, "keystroke_idle_ratio": ki / bi}


async def startup_work(sample: Path, tmp: Path, repeat: int) -> dict:
    from textual.widgets import Input

    from drafter.tui.app import DrafterApp
    from drafter.tui.grid import NumberGrid

    path = tmp / "startup.yaml"
    ours, base = [], []
    for i in range(repeat + 1):
        shutil.copyfile(sample, path)   # the same file each time (the editor remembers its place in it)
        t0 = time.perf_counter()
        app = DrafterApp(path, goto=CELL)
        _paint_like_a_terminal(app)
        async with app.run_test(size=SIZE):
            await settle(app)
            t = (app.bench_painted or time.perf_counter()) - t0
            grid = app.query_one("#grid-requests", NumberGrid)
            assert grid.display and grid.region.height > 0 and app.focused is grid
            assert any("自然人" in line for line in screen_text(app))
        if i:
            ours.append(t)

        t0 = time.perf_counter()
        bare = bare_app()
        _paint_like_a_terminal(bare)
        async with bare.run_test(size=SIZE):
            await settle(bare)
            t = (bare.bench_painted or time.perf_counter()) - t0
            assert bare.focused is bare.query_one(Input)
        if i:
            base.append(t)
    s, b = statistics.median(ours) * 1000, statistics.median(base) * 1000
    return {"startup_work_ms": s, "startup_work_base_ms": b, "startup_work_ratio": s / b}


BARE_APP = """from textual.app import App
from textual.widgets import Input


class Bare(App):
    def compose(self):
        yield Input(placeholder="ready")


Bare().run()
"""
_ANSI = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78])")


def first_screen(argv: list[str], marker: str, cwd: Path, timeout: float = 30.0) -> float:
    """Seconds from starting `argv` in a 100×30 pseudo-terminal until `marker` is on the screen it draws."""
    import fcntl
    import pty
    import select
    import signal
    import struct
    import termios

    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:                                   # the child: the program, in the terminal
        os.chdir(cwd)
        os.environ["TERM"] = "xterm-256color"
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    want, buf, seen = marker.encode(), b"", None
    try:
        while seen is None and time.perf_counter() - t0 < timeout:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                buf += os.read(fd, 1 << 16)
            except OSError:
                break
            if want in _ANSI.sub(b"", buf):
                seen = time.perf_counter() - t0
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if seen is None:
        raise RuntimeError(f"{argv[0]}: 「{marker}」 never shown:\n" + _ANSI.sub(b"", buf)[-2000:].decode("utf-8", "replace"))
    return seen


def startup_process(sample: Path, tmp: Path, repeat: int) -> dict:
    """The issue's measure: `drafter edit` on the sample, a new process in a terminal, until its first screen shows
    the --goto cell's place; against a bare one-Input Textual app started the same way. Interleaved, median."""
    drafter = str(Path(sys.executable).with_name("drafter"))
    bare = tmp / "bare_app.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    path = tmp / "startup-process.yaml"
    ours, base = [], []
    for i in range(repeat + 1):
        shutil.copyfile(sample, path)
        a = first_screen([drafter, "edit", path.name, "--goto", CELL], "列：申请人情况／自然人", tmp)
        b = first_screen([sys.executable, str(bare)], "ready", tmp)
        if i:
            ours.append(a)
            base.append(b)
    o, b = statistics.median(ours) * 1000, statistics.median(base) * 1000
    return {"startup_ms": o, "startup_base_ms": b, "startup_ratio": o / b}


def compile_sources() -> None:
    """drafter's modules byte-compiled, as an installed package is (textual's already are): with
    PYTHONDONTWRITEBYTECODE set, an editable install would otherwise compile them at every start."""
    import compileall
    compileall.compile_dir(str(ROOT / "drafter"), quiet=1)


def process_import(repeat: int) -> dict:
    """Wall time of a fresh interpreter importing the editor, against one importing textual's App."""
    def once(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return time.perf_counter() - t0

    ours, base = [], []
    for i in range(repeat + 1):
        a = once("import drafter.tui.app")
        b = once("import textual.app, textual.widgets; textual.widgets.Input")
        if i:
            ours.append(a)
            base.append(b)
    o, b = statistics.median(ours) * 1000, statistics.median(base) * 1000
    return {"process_import_ms": o, "process_import_base_ms": b, "process_import_ratio": o / b}


# ---- all ----------------------------------------------------------------------------------------
def run(repeat: int = 7, files: int = 2000, sample: Path = SAMPLE, province: int | None = None) -> dict:
    out: dict = {"bench": "drafter", "python": platform.python_version(), "cpus": os.cpu_count(), "repeat": repeat}
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as t:
        tmp = Path(t)
        log("check …")
        out.update(bench_check(sample, repeat))
        log("render …")
        r = bench_render(sample, tmp, repeat)
        docx = r.pop("_docx")
        out.update(r)
        log("import …")
        out.update(bench_import(docx, repeat))
        log("keystroke …")
        out.update(asyncio.run(keystroke_pilot(sample, tmp, repeat)))
        out.update(asyncio.run(keystroke_work(sample, tmp, repeat)))
        log("startup …")
        compile_sources()
        out.update(startup_process(sample, tmp, repeat))
        out.update(asyncio.run(startup_work(sample, tmp, repeat)))
        log("process import …")
        out.update(process_import(max(3, repeat // 2)))
        log(f"{files} files …")
        out.update(bench_files(files))
        province = 10 * files if province is None else province
        log(f"province: drafter check and summary of {province} files …")
        out.update(bench_province(province))
    for k, v in list(out.items()):
        if isinstance(v, float):
            out[k] = round(v, 3)
    out["targets"] = {k: f"<= {v}" for k, v in TARGETS.items()}
    out["met"] = {k: out[k] <= v for k, v in TARGETS.items()}
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7, help="timed runs per figure (more for the fast ones)")
    p.add_argument("--files", type=int, default=2000, help="generated files for files_per_s")
    p.add_argument("--province", type=int, metavar="N",
                   help="files for `drafter check DIR` and `drafter summary DIR` (default: 10 × --files, 20,000)")
    a = p.parse_args(argv)
    print(json.dumps(run(a.repeat, a.files, province=a.province), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
