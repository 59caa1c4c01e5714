"""Chinese line breaking for the screen (drafter/tui/linebreak.py)."""
import pytest

from drafter.tui.linebreak import NO_END, NO_START, break_offsets, units, wrap_lines

INTRO = ("根据《中华人民共和国政府信息公开条例》和国办公开办函〔2019〕60号文件要求，现将本机关2021年度政府信息公开工作"
         "情况报告如下，包括总体情况、主动公开政府信息情况等（一）共1,234件、其他。全年收费0.5万元，占比12.5%。")


@pytest.mark.parametrize("width", range(8, 61))
def test_no_line_starts_or_ends_wrong_and_numbers_stay_whole(width):
    lines = wrap_lines(INTRO, width)
    assert "".join(lines) == INTRO
    from rich.cells import cell_len
    for ln in lines:
        assert cell_len(ln) <= width, (width, ln)
    for ln in lines[1:]:
        assert ln[0] not in NO_START, (width, ln)
    for ln in lines[:-1]:
        assert ln[-1] not in NO_END, (width, ln)
    joined = "\n".join(lines)
    for whole in ("〔2019〕", "60", "2021", "1,234", "0.5", "12.5%"):
        assert whole in joined, (width, whole, lines)


def test_units_glue_marks():
    assert units("（一）主动公开。") == ["（一）", "主", "动", "公", "开。"]
    assert units("〔2021〕30号") == ["〔2021〕", "30", "号"]


def test_a_piece_wider_than_the_line_is_folded():
    assert wrap_lines("12345678901234567890", 8) == ["12345678", "90123456", "7890"]
    assert break_offsets("", 10) == [] and break_offsets("abc", 0) == []
