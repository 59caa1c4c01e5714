"""Nothing lost, nothing run (issue 13, items 6–10): the batch and the file side under real conditions, through
real `drafter` processes. One test per item; each says what a clerk (or an adversary) does and what must happen."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gen import zero_report

from drafter.report import MAX_BYTES, load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"


def drafter(*args, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    """`drafter ARGS` as a new process; stdout and stderr as bytes (decoded by the test: they must be UTF-8)."""
    return subprocess.run([sys.executable, "-m", "drafter.cli", *map(str, args)], capture_output=True, cwd=cwd,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def text(b: bytes) -> str:
    return b.decode("utf-8")            # strict: every output is valid UTF-8


def sample_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    body = SAMPLE.read_text(encoding="utf-8")
    assert old in body
    p = tmp_path / name
    p.write_text(body.replace(old, new, 1), encoding="utf-8")
    return p


def alias_bomb() -> str:
    lines = ["year: 2021", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


# ---- item 6: dates and YAML ---------------------------------------------------------------------------------------
def test_item6_bad_date_and_hostile_yaml_are_one_chinese_line_in_every_command(tmp_path):
    """`signed_on: 2022-02-29` unquoted, an alias bomb, a key written twice, a 6 MB file: check, render, summary and
    edit each say one Chinese line with the line and key (no traceback), at once."""
    bad_date = sample_with(tmp_path, "日期.yaml", "signed_on: 2022-01-28", "signed_on: 2022-02-29")
    bomb = tmp_path / "炸弹.yaml"
    bomb.write_text(alias_bomb(), encoding="utf-8")
    twice = sample_with(tmp_path, "重复.yaml", "  level: township\n", "  level: township\n  name: 另一个镇\n")
    big = tmp_path / "大.yaml"
    big.write_bytes(SAMPLE.read_bytes() + b"# " + b"x" * MAX_BYTES + b"\n")
    expect = {bad_date: ("第6行", "「signed_on」", "日期「2022-02-29」不存在"),
              bomb: ("第2行", "「a0」", "锚点和别名"),
              twice: ("第6行", "「agency.name」", "写了两次（第4行和第6行）"),
              big: ("文件过大",)}
    for path, words in expect.items():
        for cmd in (["check", path], ["render", path, "-o", tmp_path / "o.docx"], ["edit", path]):
            t0 = time.perf_counter()
            p = drafter(*cmd)
            err = text(p.stderr)
            assert p.returncode == 2, (cmd, err)
            assert "Traceback" not in err and all(w in err for w in words), (cmd, err)
            assert len(err.strip().splitlines()) == 1, (cmd, err)
            assert time.perf_counter() - t0 < 15, cmd
        # summary: the file is left out with its reason, the others summed
        p = drafter("summary", SAMPLE, path, "-o", tmp_path / "o.xlsx", "--force")
        out = text(p.stdout) + text(p.stderr)
        assert p.returncode in (0, 1) and "Traceback" not in out and words[-1] in out, out
        assert "未计入" in out and path.name in out, out
    assert not (tmp_path / "o.docx").exists()


def test_item6_one_bad_file_is_one_result_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    for i in range(3):
        r = zero_report("2021")
        r.agency["name"] = f"第{i}镇人民政府"
        r.save(folder / f"好{i}.yaml")
    sample_with(folder, "日期.yaml", "signed_on: 2022-01-28", "signed_on: 2022-02-29")
    (folder / "炸弹.yaml").write_text(alias_bomb(), encoding="utf-8")
    (folder / "乱码.yaml").write_bytes(os.urandom(2000))
    (folder / "双引.yaml").write_text("year: 2021\nagency: {name: \"甲\\u202e镇\"}\n", encoding="utf-8")
    t0 = time.perf_counter()
    p = drafter("check", folder, "--json")
    assert time.perf_counter() - t0 < 30
    assert p.returncode == 2
    out = json.loads(text(p.stdout))
    by_name = {Path(f["file"]).name: f for f in out["files"]}
    assert set(by_name) == {"好0.yaml", "好1.yaml", "好2.yaml", "日期.yaml", "炸弹.yaml", "乱码.yaml", "双引.yaml"}
    assert out["summary"]["unreadable"] == 4 and out["summary"]["files"] == 7
    assert all("unreadable" not in by_name[f"好{i}.yaml"] for i in range(3))
    assert by_name["日期.yaml"]["line"] == 6 and by_name["日期.yaml"]["key"] == "signed_on"
    assert "锚点" in by_name["炸弹.yaml"]["reason"] and "U+202E" in by_name["双引.yaml"]["reason"]
    assert by_name["双引.yaml"]["key"] == "agency.name"


# ---- item 7: output -------------------------------------------------------------------------------------------
def test_item7_outputs_never_over_an_input_and_over_a_file_only_with_force(tmp_path):
    report = tmp_path / "r.yaml"
    shutil.copyfile(SAMPLE, report)
    before = report.read_bytes()
    for args in (["render", report, "-o", report], ["render", report, "-o", report, "--force"],
                 ["render", report, "-o", tmp_path / "link.yaml", "--force"],
                 ["summary", report, "-o", tmp_path / "hard.html", "--force"]):
        if "link.yaml" in str(args[3]):
            (tmp_path / "link.yaml").symlink_to(report)
        if "hard.html" in str(args[3]):
            os.link(report, tmp_path / "hard.html")           # the same file under another name
        p = drafter(*args)
        assert p.returncode == 2 and "是要读取的报告文件之一" in text(p.stderr), (args, text(p.stderr))
        assert report.read_bytes() == before
    out = tmp_path / "r.docx"
    assert drafter("render", report, "-o", out).returncode == 0
    first = out.read_bytes()
    p = drafter("render", report, "-o", out)
    assert p.returncode == 2 and "已存在" in text(p.stderr) and "--force" in text(p.stderr)
    assert out.read_bytes() == first
    assert drafter("render", report, "-o", out, "--force").returncode == 0

    published = tmp_path / "published.docx"
    shutil.copyfile(out, published)
    target = tmp_path / "导入.yaml"
    target.write_text("clerk's own work", encoding="utf-8")
    p = drafter("import", published, "-o", target)
    assert p.returncode == 2 and "已存在" in text(p.stderr)
    assert target.read_text(encoding="utf-8") == "clerk's own work"
    assert drafter("import", published, "-o", target, "--force").returncode == 0
    assert load(target).agency_name == load(report).agency_name

    summary = tmp_path / "汇总.xlsx"
    summary.write_bytes(b"old")
    p = drafter("summary", report, "-o", summary)
    assert p.returncode == 2 and "已存在" in text(p.stderr) and summary.read_bytes() == b"old"
    assert drafter("summary", report, "-o", summary, "--force").returncode in (0, 1)
    assert summary.read_bytes() != b"old"


def test_item7_files_written_follow_the_umask_and_saves_keep_link_mode_and_group(tmp_path):
    """Under umask 022 every file drafter writes is 0644; a drafter file saved through a link changes the linked
    file (the link stays); its mode and group stay as they were."""
    env_umask = "import os, sys; os.umask(0o022); from drafter.cli import main; sys.exit(main(sys.argv[1:]))"

    def run(*args):
        return subprocess.run([sys.executable, "-c", env_umask, *map(str, args)], capture_output=True, timeout=120,
                              stdin=subprocess.DEVNULL)
    report = tmp_path / "r.yaml"
    assert run("new", "--year", "2021", "--name", "青山镇人民政府", "-o", report, "--no-edit").returncode == 0
    shutil.copyfile(SAMPLE, report)
    assert run("render", report, "-o", tmp_path / "r.docx").returncode == 0
    assert run("render", report, "--to", "html", "-o", tmp_path / "r.html").returncode == 0
    assert run("summary", report, "-o", tmp_path / "s.xlsx").returncode in (0, 1)
    for name in ("r.docx", "r.html", "s.xlsx"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o644, name

    real = tmp_path / "共享" / "青山镇.yaml"
    real.parent.mkdir()
    shutil.copyfile(SAMPLE, real)
    os.chmod(real, 0o664)
    gid = next((g for g in os.getgroups() if g != os.stat(real).st_gid), 4242 if os.geteuid() == 0 else None)
    if gid is not None:
        os.chown(real, -1, gid)
    gid = os.stat(real).st_gid
    link = tmp_path / "我的报告.yaml"
    link.symlink_to(real)
    code = ("import sys; from drafter.report import load\n"
            "r = load(sys.argv[1]); r.agency['name'] = '改过的镇人民政府'; r.save(sys.argv[1])\n")
    assert subprocess.run([sys.executable, "-c", code, str(link)], timeout=60).returncode == 0
    assert link.is_symlink() and load(real).agency_name == "改过的镇人民政府"
    st = os.stat(real)
    assert stat.S_IMODE(st.st_mode) == 0o664 and st.st_gid == gid


# ---- item 8: batch names ----------------------------------------------------------------------------------------
def test_item8_every_entry_that_looks_like_a_report_is_checked_or_left_out_with_its_reason(tmp_path):
    folder = tmp_path / "县"
    folder.mkdir()
    good = zero_report("2021")
    good.agency["name"] = "甲镇人民政府"
    good.save(folder / "甲.yaml")
    shutil.copyfile(folder / "甲.yaml", folder / "乙.YAML")
    shutil.copyfile(folder / "甲.yaml", folder / "丙.Yml")
    shutil.copyfile(folder / "甲.yaml", folder / ".隐藏.yaml")
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe-gbk\xc7\xe0.yaml"), "wb") as f:   # a GBK name
        f.write((folder / "甲.yaml").read_bytes())
    (folder / "断链.yaml").symlink_to(folder / "不存在.yaml")
    (folder / "环.yaml").symlink_to(folder / "环.yaml")
    (folder / "子目录").mkdir()
    (folder / "目录链.yaml").symlink_to(folder / "子目录")
    os.mkfifo(folder / "管道.yaml")
    (folder / "说明.txt").write_text("not a report", encoding="utf-8")

    p = drafter("check", folder, "--json")
    out = json.loads(text(p.stdout))                      # valid UTF-8, valid JSON
    files = {Path(f["file"]).name: f for f in out["files"]}
    left = {Path(f["file"]).name: f["reason"] for f in out["left_out"]}
    assert set(files) == {"甲.yaml", "乙.YAML", "丙.Yml", "\\xff\\xfe-gbk\\xc7\\xe0.yaml", "断链.yaml", "环.yaml",
                          "管道.yaml"}
    assert set(left) == {".隐藏.yaml", "目录链.yaml"}
    assert "链接指向的文件不存在" in files["断链.yaml"]["reason"] and "链接循环" in files["环.yaml"]["reason"]
    assert "不是普通文件" in files["管道.yaml"]["reason"] and "隐藏文件" in left[".隐藏.yaml"]
    assert "文件夹" in left["目录链.yaml"]
    assert files["\\xff\\xfe-gbk\\xc7\\xe0.yaml"]["agency"] == "甲镇人民政府"
    assert (out["summary"]["files"], out["summary"]["unreadable"], out["summary"]["left_out"]) == (7, 3, 2)
    assert p.returncode == 2

    p = drafter("check", folder)
    stdout, stderr = text(p.stdout), text(p.stderr)
    assert "Traceback" not in stderr and p.returncode == 2
    assert "\\xff\\xfe-gbk\\xc7\\xe0.yaml" in stdout and "乙.YAML" in stdout and "丙.Yml" in stdout
    assert "未检查" in stdout and ".隐藏.yaml" in stdout and "目录链.yaml" in stdout
    assert "断链.yaml" in stderr and "环.yaml" in stderr and "管道.yaml" in stderr


# ---- item 9: text on a terminal -------------------------------------------------------------------------------------
def test_item9_nothing_printed_can_drive_the_terminal(tmp_path):
    """Escape codes in a file name or a report's text never reach the terminal; bidi controls and a name that is
    not one short line are refused with a Chinese message naming the key."""
    folder = tmp_path / "县"
    folder.mkdir()
    sample_with(folder, "a\x1b[2J\x1b[8m\u202e.yaml", "signed_on: 2022-01-28", "signed_on: 2022-01-28")
    sample_with(folder, "b.yaml", "  name: 青山镇人民政府", '  name: "青山镇\\e]0;pwned\\a人民政府"')
    sample_with(folder, "c.yaml", "  name: 青山镇人民政府", "  name: [甲, 乙]")
    sample_with(folder, "d.yaml", "  name: 青山镇人民政府", '  name: "青山镇\\n人民政府"')
    sample_with(folder, "e.yaml", "  name: 青山镇人民政府", "  name: " + "很长" * 31)
    sample_with(folder, "f.yaml", "  problems: ", "  problems: \u202e倒过来的文字")
    sample_with(folder, "g.yaml", "  requests.new.natural: 9", '  requests.new.natural: "\\e[2J9"')
    p = drafter("check", folder)
    both = p.stdout + p.stderr
    assert b"\x1b" not in both and b"\x07" not in both and "\u202e".encode() not in both
    out = text(p.stdout) + text(p.stderr)
    assert "a\\x1b[2J\\x1b[8m\\u202e.yaml" in out
    assert "b.yaml 第4行 「agency.name」：机关名称含有不可见的控制字符U+001B" in out
    assert "c.yaml 第4行 「agency.name」：机关名称应为一行文字（这里是一个列表）" in out
    assert "d.yaml 第4行 「agency.name」：机关名称应为一行文字，不能换行" in out
    assert "e.yaml 第4行 「agency.name」：机关名称不能超过60个字（现为62个字）" in out
    assert "「text.problems」：含有改变文字方向的控制字符U+202E" in out
    assert "g.yaml 第" in out and "〈U+001B〉" in out
    for cmd in ("render", "edit", "check"):                  # an error naming a file: its name shown, not obeyed
        p = drafter(cmd, folder / "无\x1b[8m此文件.yaml")
        assert p.returncode == 2 and b"\x1b" not in p.stderr and "无\\x1b[8m此文件.yaml" in text(p.stderr), cmd
    p = drafter("new", "--year", "2021", "--name", "很长" * 31, "-o", tmp_path / "n.yaml", "--no-edit")
    assert p.returncode == 2 and "不能超过60个字" in text(p.stderr) and not (tmp_path / "n.yaml").exists()


# ---- item 10: province scale ----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_item10_a_pool_checks_many_files_in_order_as_one_process_does(tmp_path):
    """Above the pool threshold the files are checked by one process per core; the output is the same, in file
    order, as one process gives, unreadable files included."""
    sys.path.insert(0, str(ROOT / "bench"))
    from check_many import write_files

    from drafter.commands.check import POOL_FROM
    folder = tmp_path / "省"
    folder.mkdir()
    write_files(folder, POOL_FROM + 50, 40, 3)
    sample_with(folder, "00100.yaml", "signed_on: 2022-01-28", "signed_on: 2022-02-29")   # replaces one, mid-way
    pooled, single = drafter("check", folder, "--json"), drafter("check", folder, "--json", "--jobs", "1")
    assert pooled.returncode == single.returncode == 2
    assert pooled.stdout == single.stdout
    out = json.loads(text(pooled.stdout))
    assert [Path(f["file"]).name for f in out["files"]] == sorted(p.name for p in folder.iterdir())
    assert out["summary"]["unreadable"] == 1
    pooled_text, single_text = drafter("check", folder), drafter("check", folder, "--jobs", "1")
    assert pooled_text.stdout == single_text.stdout and pooled_text.stderr == single_text.stderr


def test_item10_plain_figure_rules_answer_as_cerberus_does():
    """The schema's plain kinds (type, range, decimal places) are judged without cerberus at province scale:
    the same answer as cerberus for every kind of both formats and a corpus of edge values."""
    from decimal import Decimal as D

    from drafter.checks import _plain_ok, _plain_specs, _validator
    values = [0, 1, -1, 999999999, 1000000000, -999999999, -1000000000, True, False, D("0"), D("1.5"), D("-0.1"),
              D("1000000000"), D("1000000000.0000001"), D("1.1234567"), D("1.123456"), D("1.1234560"), D("12.0"),
              D("1E+3"), D("1E-7"), D("0E-10"), D("NaN"), D("Infinity"), "12", None, 1.5, 10**20]
    judged = 0
    for fid in ("2019", "2021"):
        specs = _plain_specs(fid)
        assert set(specs) == {"count", "signed", "amount"}
        for kind, spec in specs.items():
            for v in values:
                got = _plain_ok(spec, v)
                if got is not None:
                    assert got == _validator(fid, kind).validate({"v": v}), (fid, kind, v)
                    judged += 1
    assert judged == 120
