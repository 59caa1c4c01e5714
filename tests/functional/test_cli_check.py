"""drafter check: exit codes, text and JSON output, many files, last year's files."""
import json

from gen import zero_report

from drafter.checks import compute_totals
from drafter.cli import main


def write(tmp_path, name, mutate=None, fid="2021", agency="青山镇人民政府"):
    r = zero_report(fid)
    r.agency["name"] = agency
    if mutate:
        mutate(r)
    return r.save(tmp_path / name)


def broken_identity(r):
    r.figures["requests.new.natural"] = 1
    r.figures["requests.new.total"] = 1


def test_clean_file_exit_0(tmp_path, capsys):
    p = write(tmp_path, "ok.yaml")
    assert main(["check", str(p)]) == 0
    assert "未发现问题" in capsys.readouterr().out


def test_errors_exit_1_and_json(tmp_path, capsys):
    p = write(tmp_path, "bad.yaml", broken_identity)
    assert main(["check", str(p), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["file"] == str(p)
    rules = {(f["rule"], f["severity"]) for f in out["findings"]}
    assert ("requests.identity", "error") in rules
    f = next(f for f in out["findings"] if f["rule"] == "requests.identity" and "总计列" in f["message"])
    assert f["message"] == "总计列：一+二=1，三（七）+四=0，相差1"
    assert f["cells"] == ["requests.new.total", "requests.carried_over.total", "requests.total.total",
                          "requests.carried_forward.total"]


def test_text_output_lists_findings(tmp_path, capsys):
    p = write(tmp_path, "bad.yaml", broken_identity)
    assert main(["check", str(p)]) == 1
    out = capsys.readouterr().out
    assert "错误" in out and "自然人列：一+二=1，三（七）+四=0，相差1" in out and "requests.new.natural" in out


def test_warnings_only_exit_0(tmp_path, capsys):
    p = write(tmp_path, "w.yaml", lambda r: r.figures.__setitem__("active.rules.issued", 1))
    assert main(["check", str(p), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [f["severity"] for f in out["findings"]] == ["warning"]


def test_previous_flag(tmp_path, capsys):
    last = zero_report("2019")
    last.year = 2020
    last.figures["requests.carried_forward.natural"] = 2
    compute_totals(last)
    lp = last.save(tmp_path / "last.yaml")
    p = write(tmp_path, "this.yaml")
    assert main(["check", str(p), "--previous", str(lp), "--json"]) == 0
    cells = [f["cells"] for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "cross.carried_over"]
    assert ["requests.carried_over.natural"] in cells


def test_many_files_and_dir(tmp_path, capsys):
    d = tmp_path / "towns"
    d.mkdir()
    write(d, "a.yaml", agency="甲镇人民政府")
    write(d, "b.yaml", broken_identity, agency="乙镇人民政府")
    (d / "c.yaml").write_text("year: 2021\nfigures:\n  requests.new.natural: x\n", encoding="utf-8")
    assert main(["check", str(d), "--json"]) == 2           # one file unreadable
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["files"] == 3 and out["summary"]["unreadable"] == 1
    assert out["summary"]["with_errors"] == 1 and out["summary"]["errors"] >= 1
    assert [r["file"].rsplit("/", 1)[1] for r in out["files"]] == ["a.yaml", "b.yaml", "c.yaml"]
    (d / "c.yaml").unlink()
    assert main(["check", str(d / "a.yaml"), str(d / "b.yaml")]) == 1
    assert "共2个文件：1个有错误" in capsys.readouterr().out


def test_previous_dir_pairs_by_agency(tmp_path, capsys):
    now, last = tmp_path / "2021", tmp_path / "2020"
    now.mkdir(), last.mkdir()
    for name in ("甲镇人民政府", "乙镇人民政府"):
        write(now, f"{name}.yaml", agency=name)
    prev = zero_report("2019")
    prev.year = 2020
    prev.agency["name"] = "乙镇人民政府"
    prev.figures["requests.carried_forward.research"] = 4
    compute_totals(prev)
    prev.save(last / "乙-2020.yaml")
    assert main(["check", str(now), "--previous-dir", str(last), "--json"]) == 0
    files = {r["agency"]: r for r in json.loads(capsys.readouterr().out)["files"]}
    assert files["甲镇人民政府"]["previous"] is None
    assert files["乙镇人民政府"]["previous"].endswith("乙-2020.yaml")
    assert any(f["rule"] == "cross.carried_over" for f in files["乙镇人民政府"]["findings"])


def test_no_files(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "没有找到报告文件" in capsys.readouterr().err
