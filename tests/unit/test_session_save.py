"""The editor's save path (Session, drafter/disk.py): nothing written unless the clerk changed something, published
totals kept until the clerk acts, outside changes never overwritten, failed saves kept in memory and retried."""
import errno
import os
from pathlib import Path

import pytest

from drafter import cli
from drafter import report as report_mod
from drafter.disk import DiskFile, copy_name
from drafter.report import load
from drafter.tui.session import Session

ROOT = Path(__file__).resolve().parents[2]
SEED_000 = next((ROOT / "samples" / "seeds").glob("000_*.txt"))
SAMPLE = ROOT / "samples" / "青山镇-2021.yaml"
HELD = {"requests.unable.not_held.total", "requests.total.total"}   # seed 000 publishes 0 where the parts sum to 1


@pytest.fixture
def imported(tmp_path) -> Path:
    out = tmp_path / "南岳镇-2020.yaml"
    assert cli.main(["import", str(SEED_000), "-o", str(out)]) == 0
    return out


@pytest.fixture
def sample(tmp_path) -> Path:
    p = tmp_path / "青山镇-2021.yaml"
    p.write_bytes(SAMPLE.read_bytes())
    return p


def snapshot(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_opening_and_closing_an_imported_report_writes_nothing(imported):
    before = snapshot(imported.parent)
    s = Session(imported)
    s.remember_place("requests", "requests.new.natural")      # moving about is no change
    s.close()
    assert snapshot(imported.parent) == before
    assert not s.dirty and s.saves == 0


def test_published_totals_kept_until_the_clerk_accepts(imported):
    s = Session(imported)
    assert set(s.held) == HELD
    assert s.value("requests.unable.not_held.total") == 0
    assert s.total_note("requests.unable.not_held.total") == "原文总计0，各项之和1"
    assert s.total_note("requests.new.total") is None
    # an unrelated change is written, the published totals with it as they were
    s.set_text("problems", "无")
    assert not s.dirty
    on_disk = load(imported).figures
    assert on_disk["requests.unable.not_held.total"] == 0 and on_disk["requests.total.total"] == 0
    # one total accepted: that one changes, the other stays published
    assert s.accept_totals(["requests.unable.not_held.total"]) == ["requests.unable.not_held.total"]
    on_disk = load(imported).figures
    assert on_disk["requests.unable.not_held.total"] == 1 and on_disk["requests.total.total"] == 0
    assert set(s.held) == {"requests.total.total"}
    # and undone like any change: the published figure back in the file, held again
    assert s.undo().label.endswith("总计采用各项之和")
    assert load(imported).figures["requests.unable.not_held.total"] == 0
    assert set(s.held) == HELD


def test_editing_a_part_of_a_held_total_makes_it_the_sum(imported):
    s = Session(imported)
    s.set_values({"requests.unable.not_held.commercial": 2})     # the part that made the sum 1
    assert "requests.unable.not_held.total" not in s.held
    assert load(imported).figures["requests.unable.not_held.total"] == 2


def test_outside_change_stops_saving_and_keeps_both_versions(sample):
    s = Session(sample)
    theirs = load(sample)
    theirs.figures["requests.new.natural"] = 99
    theirs.save(sample)                                        # another program (or editor) saved meanwhile
    their_bytes = sample.read_bytes()
    s.set_values({"requests.new.commercial": 5})
    assert sample.read_bytes() == their_bytes                  # not overwritten
    assert s.conflict is not None and not s.conflict.gone and s.dirty
    assert "已被其他程序修改" in s.problem
    s.set_values({"requests.new.research": 3})                 # and not at the next change either
    assert sample.read_bytes() == their_bytes
    mine = s.save_copy()
    assert mine.name.startswith("青山镇-2021（我的版本 ") and mine.suffix == ".yaml"
    assert load(mine).figures["requests.new.commercial"] == 5
    assert load(mine).figures["requests.new.natural"] != 99
    s.reload()
    assert s.value("requests.new.natural") == 99 and not s.dirty and s.conflict is None
    s.set_values({"requests.new.other_org": 1})                # saving goes on over the reloaded file
    assert load(sample).figures["requests.new.natural"] == 99
    assert load(sample).figures["requests.new.other_org"] == 1


def test_touched_file_with_the_same_content_is_no_outside_change(sample):
    s = Session(sample)
    os.utime(sample, ns=(1, 1))
    s.set_values({"requests.new.commercial": 5})
    assert s.conflict is None and load(sample).figures["requests.new.commercial"] == 5


def test_deleted_file_is_an_outside_change_and_can_be_written_back(sample):
    s = Session(sample)
    sample.unlink()
    s.set_values({"requests.new.commercial": 5})
    assert s.conflict is not None and s.conflict.gone and not sample.exists()
    assert s.flush(force=True)
    assert load(sample).figures["requests.new.commercial"] == 5


def test_disk_full_keeps_the_change_and_retries_at_the_next(sample, monkeypatch):
    s = Session(sample)
    before = sample.read_bytes()
    real = os.fsync

    def full(fd):           # the temporary file's data does not fit: as a full disk fails
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report_mod.os, "fsync", full)
    s.set_values({"requests.new.commercial": 5})
    assert sample.read_bytes() == before and s.dirty
    assert s.problem.startswith("未能保存：磁盘已满。修改仍在编辑器中")
    assert s.value("requests.new.commercial") == 5
    assert not [p for p in sample.parent.iterdir() if p.name.endswith(".tmp")]   # no temp file left behind
    monkeypatch.setattr(report_mod.os, "fsync", real)
    s.set_values({"requests.new.research": 3})                  # the next change writes both
    assert not s.dirty and s.problem == ""
    r = load(sample)
    assert (r.figures["requests.new.commercial"], r.figures["requests.new.research"]) == (5, 3)


def test_folder_removed_is_a_failed_save_said_in_chinese(sample, tmp_path):
    folder = tmp_path / "U盘"
    folder.mkdir()
    path = folder / sample.name
    sample.rename(path)
    s = Session(path)
    folder.rename(tmp_path / "away")                           # the USB stick pulled out
    s.set_values({"requests.new.commercial": 5})
    assert s.dirty and s.problem == "未能保存：文件夹已不存在（被删除、改名或U盘已拔出）。修改仍在编辑器中，下次修改或按 Ctrl+S 时再保存"
    target = s.copy_target("未保存的修改")
    assert target.parent == Path.home()                        # the folder is gone: offered in the home folder
    (tmp_path / "away").rename(folder)                         # and back
    assert s.flush() and not s.dirty and s.problem == ""
    assert load(path).figures["requests.new.commercial"] == 5


def test_read_only_session_never_writes(sample):
    before = snapshot(sample.parent)
    s = Session(sample, read_only=True, read_only_reason="另有编辑正在修改此文件")
    s.set_values({"requests.new.commercial": 5})
    s.set_text("problems", "改了")
    s.close()
    assert snapshot(sample.parent) == before
    assert s.dirty and s.problem == "只读：修改不会写入文件（另有编辑正在修改此文件）"


def test_file_in_a_folder_that_cannot_be_written_opens_read_only(sample, monkeypatch):
    real_open = os.open

    def refuse(path, flags, *a, **kw):
        if flags & os.O_CREAT and Path(path).parent == sample.parent:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *a, **kw)

    monkeypatch.setattr(os, "open", refuse)
    s = Session(sample)
    assert s.read_only and s.read_only_reason == "文件夹不能写入（磁盘是只读的）"


def test_copy_names_never_collide(tmp_path):
    import datetime as dt
    p = tmp_path / "r.yaml"
    t = dt.datetime(2026, 11, 29, 8, 30)
    first = copy_name(p, when=t)
    assert first.name == "r（我的版本 2026-11-29 0830）.yaml"
    first.write_text("x", encoding="utf-8")
    assert copy_name(p, when=t).name == "r（我的版本 2026-11-29 0830）（2）.yaml"


def test_disk_file_sees_a_change_of_the_same_size_and_time(sample):
    d = DiskFile(sample)
    d.read()
    st = sample.stat()
    data = sample.read_bytes()
    sample.write_bytes(data.replace(b"year: 2021", b"year: 2022"))
    os.utime(sample, ns=(st.st_atime_ns, st.st_mtime_ns))    # same size, same time: the content tells
    assert d.outside_change() is not None
