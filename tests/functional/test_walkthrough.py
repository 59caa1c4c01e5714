"""A clerk's whole year, scripted with Pilot at the design size 100×30: seed 004 (王岗镇, 2020, as copied from the
website) through `drafter new --year 2021 --from`, the figures of a small town typed, the texts drafted or written,
review, the final 2021 .docx. Every key is counted by kind — figure characters, text characters, everything else —
and the last must stay within 80, none spent recovering from a surprise (every step asserts where the clerk is)."""
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from keyboard import type_text
from textual.css.query import NoMatches
from textual.widgets import Static

from drafter.report import load
from drafter.tui.app import DrafterApp
from drafter.tui.grid import NumberGrid
from drafter.tui.panes.base import TextBox
from drafter.tui.screens.replace import ReplaceScreen

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "samples" / "seeds").glob("004_*.txt"))
SIZE = (100, 30)
BUDGET = 80          # keys beyond figures and text (issue 15 took 153)

PROBLEMS = ("2021年，我镇政府信息公开工作仍存在一些不足：一是政策解读形式较为单一；二是信息发布不够及时。"
            "2022年，我镇将丰富解读形式，采用图解等方式解读政策，并建立信息发布台账，确保及时公开。")
MANAGEMENT = "我镇建立信息公开审查机制，对拟公开信息逐条审核，全年未发生泄密事件。"
PLATFORM = "我镇依托县政府门户网站王岗镇专栏发布信息，及时更新栏目内容。"
SUPERVISION = "我镇将政务公开纳入年度考核，全年组织培训2次。"


@dataclass
class Keys:
    """Presses keys through Pilot and counts them by kind."""
    pilot: object
    figures: int = 0
    text: int = 0
    other: int = 0
    log: list = field(default_factory=list)

    async def figure(self, digits: str) -> None:
        await self.pilot.press(*digits)
        self.figures += len(digits)

    async def type(self, text: str) -> None:
        await type_text(self.pilot, text)
        self.text += len(text)

    async def keys(self, *names: str) -> None:
        await self.pilot.press(*names)
        await self.pilot.pause()
        self.other += len(names)
        self.log.extend(names)


async def until(pilot, pred, what: str, limit: float = 30.0):
    """Wait (a generous limit, not a speed test) until the clerk is where the script says: no key is pressed
    before the screen is there, so none is lost to a slow machine."""
    for _ in range(int(limit / 0.05)):
        try:
            if pred():
                return
        except NoMatches:
            pass
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


def new_from_seed(tmp_path: Path) -> Path:
    out = tmp_path / "王岗镇-2021.yaml"
    subprocess.run([sys.executable, "-c", "import sys; from drafter.cli import main; sys.exit(main())", "new",
                    "--year", "2021", "--from", str(SEED), "-o", str(out),
                    "--no-edit"], check=True, capture_output=True, cwd=tmp_path)
    return out


async def test_walkthrough_seed_004_to_final_docx(tmp_path):
    path = new_from_seed(tmp_path)
    app = DrafterApp(path)
    async with app.run_test(size=SIZE) as pilot:
        k = Keys(pilot)
        await pilot.pause()
        grid = lambda tid: app.query_one(f"#grid-{tid}", NumberGrid)  # noqa: E731

        # 基本信息: the name carried; the signing date typed
        await until(pilot, lambda: app.current == "agency" and app.focused is app.query_one("#nav"), "the start")
        await k.keys("enter")
        await until(pilot, lambda: app.focused is app.query_one("#agency-name"), "the name")
        await k.keys("tab", "tab")
        await until(pilot, lambda: app.focused is app.query_one("#signed-on"), "the date")
        await k.type("2022-01-20")
        assert str(load(path).signed_on) == "2022-01-20"

        # 二: one normative document in force, three penalties; the rest zero
        await k.keys("escape", "down", "down", "enter")
        await until(pilot, lambda: app.focused is grid("active") and grid("active").cid == "active.rules.issued", "二")
        await k.keys("down", "right", "right")
        assert grid("active").cid == "active.normative.in_force"
        await k.figure("1")
        await k.keys("down", "down")
        assert grid("active").cid == "active.penalty.decisions"
        await k.figure("3")
        await k.keys("f4")

        # 三: three requests from citizens, one from a company; two granted, one not held, one granted (company)
        await k.keys("escape", "down", "enter")
        await until(pilot, lambda: app.focused is grid("requests"), "三")
        g = grid("requests")
        assert g.cid == "requests.new.natural"
        await k.figure("3")
        await k.keys("right")
        await k.figure("1")
        await k.keys("down", "down")
        assert g.cid == "requests.granted.commercial"
        await k.figure("1")
        await k.keys("left")
        await k.figure("2")
        await k.keys(*["down"] * 10)
        assert g.cid == "requests.unable.not_held.natural"
        await k.figure("1")
        await k.keys("f4")
        figs = load(path).figures
        assert figs["requests.total.natural"] == 3 and figs["requests.carried_forward.natural"] == 0

        # 四: no appeals
        await k.keys("escape", "down", "enter")
        await until(pilot, lambda: app.focused is grid("appeals"), "四")
        await k.keys("f4")
        await until(pilot, lambda: load(path).figures["appeals.review.total"] == 0, "四 zero")

        # 一: every paragraph drafted from the figures at once (last year's texts replaced on the clerk's word)
        await k.keys("escape", "up", "up", "up", "enter")
        await until(pilot, lambda: app.current == "overview" and isinstance(app.focused, TextBox), "一")
        await k.keys("shift+f3")
        await until(pilot, lambda: isinstance(app.screen, ReplaceScreen), "the question")
        while isinstance(app.screen, ReplaceScreen):
            assert app.screen.carried                     # last year's words, said so
            asked = app.screen
            await k.keys("y")
            await until(pilot, lambda: app.screen is not asked, "the answer")  # noqa: B023 - awaited in this pass
            await pilot.pause(0.2)
        await until(pilot, lambda: isinstance(app.focused, TextBox) and app.focused.key == "intro", "back in 一")
        parts = load(path).text["overview"]
        assert "3件" in parts[1]["body"] or "4件" in parts[1]["body"]
        # the other sub-parts of last year rewritten: Tab goes title → text → next title
        for i, text in ((2, MANAGEMENT), (3, PLATFORM), (4, SUPERVISION)):
            app_focus = app.focused
            while not (isinstance(app.focused, TextBox) and app.focused.key == f"overview.{i}.body"):
                await k.keys("tab")
                await until(pilot, lambda: app.focused is not app_focus, "Tab moves")  # noqa: B023
                app_focus = app.focused
            await k.keys("ctrl+a")
            await k.type(text)
        assert [p["body"] for p in load(path).text["overview"]][2:5] == [MANAGEMENT, PLATFORM, SUPERVISION]

        # 五: rewritten (problems and improvements)
        await k.keys("escape")
        for _ in range(4):
            await k.keys("down")
        await k.keys("enter")
        await until(pilot, lambda: app.current == "problems" and isinstance(app.focused, TextBox), "五")
        await k.keys("ctrl+a")
        await k.type(PROBLEMS)
        assert load(path).text["problems"] == PROBLEMS

        # review: the final document
        await k.keys("f5")
        await until(pilot, lambda: app.current == "review", "review")
        await k.keys("f")
        await until(pilot, lambda: str(app.query_one("#review-out", Static).render()), "the render")
        out = str(app.query_one("#review-out", Static).render())
        assert "已生成正式文件" in out, (out, [f.message for f in app.session.findings if f.severity == "error"])
        docx = next(tmp_path.glob("*2021年政府信息公开工作年度报告.docx"))
        assert docx.stat().st_size > 0

    print(f"\nwalk-through keys: figures {k.figures}, text {k.text}, other {k.other}: {' '.join(k.log)}")
    assert k.other <= BUDGET, k.log
