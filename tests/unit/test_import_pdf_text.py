"""Text copied out of a PDF (issue 14 item 2), in every form the tools on this machine give, imported and compared
cell by cell with the hand-read truth of its PDF (tests/corpus/<report>.truth.yaml).

The forms model what clerks get from their viewers: `pdftotext -raw` (content-stream order, single spaces, as
pdf.js and Adobe copy), `pdftotext -layout` (runs of spaces, as a copy with the layout kept), `pdftotext` (reading
order, tables in blocks written column by column), pypdf's extract_text (content-stream order) and its layout mode,
pdfminer.six and pdfplumber (pdfminer's words regrouped by line), PDFium's text (Chrome's and Edge's viewer), and
three made from pdftotext's: one cell a line, cells apart by tabs, and each row's numbers before its label.
Each text is made at test time from the PDF; a tool that is missing skips its forms with the reason.

A wrong value must never happen. A form reads every cell unless SHORT names it, with the cells it must at least
read and why the rest cannot be read with certainty (they are left, with one doubt per table saying so).
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from drafter.importing import import_file, place_table, place_tokens
from drafter.importing.tables import OUT_OF_ORDER
from drafter.importing.text import text_lines

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
REPORTS = ["huaian-city-2024", "hongze-district-2023", "hongze-district-2024"]
FORMS = ["raw", "layout", "plain", "pypdf", "pypdf-layout", "pdfminer", "plumber", "plumber-layout", "pdfium",
         "cell-a-line", "tabs", "label-after"]
# (report, form) read short of every cell: the cells it must at least read, and why (measured with poppler 22.12,
# pypdf 7.1, pdfminer.six 20260107, pdfplumber 0.11.10, pypdfium2 5.15)
SHORT = {
    # 四's fifteen numbers come out as 4, 4, 1, 5, 1 among header fragments; in the printed order their totals
    # do not add up, and no other order can be proved
    ("huaian-city-2024", "plain"): 185,
    # 四 as printed does not add up (复议 total 0 for 10 + 1): its order cannot be verified, so it is left
    ("hongze-district-2023", "plain"): 164,
    # 二 comes out as its labels, then its values: 规章 and 行政规范性文件 column by column (no total proves it),
    # 行政许可's number under the next caption — no reading of 二 is certain, none of its 10 cells is placed
    ("huaian-city-2024", "pdfminer"): 190,
    # pdfminer writes 三's column 其他 after 总计: no reading in printed column order adds up; 二 as above
    ("hongze-district-2023", "pdfminer"): 15,
    ("hongze-district-2024", "pdfminer"): 15,
}


def _pdftotext(option: str | None):
    def make(pdf: Path) -> str:
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed")
        args = ["pdftotext", *([option] if option else []), "-enc", "UTF-8", str(pdf), "-"]
        return subprocess.run(args, capture_output=True, check=True).stdout.decode("utf-8")
    return make


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


def _pypdf(mode: str):
    def make(pdf: Path) -> str:
        _need("pypdf")
        from pypdf import PdfReader
        pages = PdfReader(str(pdf)).pages
        return "\n".join((p.extract_text(extraction_mode=mode) or "") for p in pages)
    return make


def _pdfminer(pdf: Path) -> str:
    _need("pdfminer")
    from pdfminer.high_level import extract_text
    return extract_text(str(pdf))


def _plumber(layout: bool):
    def make(pdf: Path) -> str:
        _need("pdfplumber")
        import pdfplumber
        with pdfplumber.open(str(pdf)) as doc:
            return "\n".join((p.extract_text(layout=layout) or "") for p in doc.pages)
    return make


def _pdfium(pdf: Path) -> str:
    _need("pypdfium2")
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def _cell_a_line(pdf: Path) -> str:
    """One cell a line, in reading order (what Adobe Reader and WPS often give): `pdftotext -layout`'s cells."""
    text = _pdftotext("-layout")(pdf)
    return "\n".join(c for line in text.splitlines() for c in re.split(r"\s{2,}", line.strip()))


def _tabs(pdf: Path) -> str:
    """Cells apart by tabs (a copy pasted through a spreadsheet or Word): `pdftotext -layout`'s runs of spaces."""
    text = _pdftotext("-layout")(pdf)
    return "\n".join("\t".join(re.split(r"\s{2,}", line.strip())) for line in text.splitlines())


def _label_after(pdf: Path) -> str:
    """Each row's numbers on the line before its label (a viewer that orders a row's label, centred in a tall
    cell, below its numbers): `pdftotext -raw` with every `label n n n` line turned round."""
    out: list[str] = []
    for line in _pdftotext("-raw")(pdf).splitlines():
        m = re.match(r"^(.*?[^\d\s])((?:\s+\d[\d.,]*){2,})$", line)
        out += [m.group(2).strip(), m.group(1)] if m else [line]
    return "\n".join(out)


MAKERS = {"raw": _pdftotext("-raw"), "layout": _pdftotext("-layout"), "plain": _pdftotext(None),
          "pypdf": _pypdf("plain"), "pypdf-layout": _pypdf("layout"), "pdfminer": _pdfminer,
          "plumber": _plumber(False), "plumber-layout": _plumber(True), "pdfium": _pdfium,
          "cell-a-line": _cell_a_line, "tabs": _tabs, "label-after": _label_after}


@lru_cache(maxsize=None)
def _truth(report: str) -> dict:
    return yaml.safe_load((CORPUS / f"{report}.truth.yaml").read_text(encoding="utf-8"))


def _same(have, printed) -> bool:
    """The import holds the printed value (amounts are strings of 万元 in these three reports; blank is None)."""
    if have is None or printed is None:
        return have is None and printed is None
    return Decimal(str(have)) == Decimal(str(printed).replace(",", ""))


def _compare(truth: dict, figures: dict) -> tuple[int, list[str], list[str]]:
    """(cells read, wrong values, cells not read) of an import against the truth's figures."""
    read, wrong, missing = 0, [], []
    for cid, v in truth["figures"].items():
        have = figures.get(cid)
        if have is None and v is not None:
            missing.append(cid)
        elif _same(have, v):
            read += 1
        else:
            wrong.append(f"{cid}: {have} (printed {v})")
    wrong += [f"{cid}: {have} (not printed)" for cid, have in figures.items()
              if cid not in truth["figures"] and have is not None]
    return read, wrong, missing


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    """Each form of each PDF written to a .txt file once, as a clerk would save the copied text."""
    folder = tmp_path_factory.mktemp("pdf-text")
    made: dict[tuple[str, str], Path | str] = {}

    def get(report: str, form: str) -> Path:
        if (report, form) not in made:
            try:
                text = MAKERS[form](CORPUS / f"{report}.pdf")
            except pytest.skip.Exception as e:
                made[report, form] = str(e)
                raise
            path = folder / f"{report}.{form}.txt"
            path.write_text(text, encoding="utf-8")
            made[report, form] = path
        got = made[report, form]
        if isinstance(got, str):
            pytest.skip(got)
        return got
    return get


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("report", REPORTS)
def test_every_cell_of_every_form(texts, report, form):
    path = texts(report, form)
    truth = _truth(report)
    result = import_file(path)
    r = result.report
    assert (r.year, r.format) == (truth["year"], str(truth["format"]))
    read, wrong, missing = _compare(truth, r.figures)
    assert not wrong, wrong
    total = len(truth["figures"])
    assert read >= SHORT.get((report, form), total), f"{report}.{form}: {read}/{total}, not read: {missing}"
    if missing:     # what is left is said, once per table, as text that came out of the PDF out of order
        said = [d for d in result.doubts if "次序已乱" in d["message"]]
        assert said and {c for d in said for c in d["cells"]} >= set(missing), (missing, said)
        assert len({d["message"].split("：")[0] for d in said}) == len(said)


def test_out_of_order_said_once_in_chinese(texts):
    """huaian's table 四 in `pdftotext` order: none of its fifteen numbers is placed, and one doubt says why and
    that importing the PDF itself reads it."""
    result = import_file(texts("huaian-city-2024", "plain"))
    appeals = [cid for cid in _truth("huaian-city-2024")["figures"] if cid.startswith("appeals.")]
    assert all(result.report.figures.get(cid) is None for cid in appeals)
    said = [d for d in result.doubts if "次序已乱" in d["message"]]
    assert len(said) == 1
    assert said[0]["message"].startswith("四、政府信息公开行政复议、行政诉讼情况")
    assert "请直接导入PDF文件本身" in said[0]["message"]
    assert sorted(said[0]["cells"]) == sorted(appeals)
    assert not [d for d in result.doubts if "位置不明" in d["message"] and "四、" in d["message"]]


def _rows(report: str, tid: str) -> list[tuple[str, list]]:
    """(label, printed values) of a table's rows, in printed order, from the truth (rows it prints)."""
    from drafter.importing.labels import table_labels
    truth = _truth(report)["figures"]
    return [(row.label, [truth[c.id] for c in row.cells]) for row in table_labels("2021", tid).rows
            if all(c.id in truth for c in row.cells)]


def _column_major(rows: list[tuple[str, list]], cut: int, order=None) -> list[str]:
    """A table as pdfminer writes it: row labels first, then the values of each block of rows column by column."""
    tokens = [label for label, _ in rows]
    for block in (rows[:cut], rows[cut:]):
        cols = order or range(len(block[0][1]))
        tokens += [str(values[c]) for c in cols for _, values in block]
    return tokens


def test_blocks_written_column_by_column_are_read_when_the_totals_prove_them():
    rows = _rows("huaian-city-2024", "requests")
    doubts: list = []
    got = place_tokens("2021", "requests", _column_major(rows, 13), doubts).figures
    truth = _truth("huaian-city-2024")["figures"]
    assert {cid: int(v) for cid, v in got.items()} == {cid: v for cid, v in truth.items()
                                                       if cid.startswith("requests.")}
    assert not [d for d in doubts if "次序已乱" in d["message"]]


def test_columns_out_of_printed_order_are_left_not_guessed():
    """The same blocks with two columns swapped (其他 after 总计): no reading adds up, nothing is placed."""
    rows = _rows("huaian-city-2024", "requests")
    doubts: list = []
    got = place_tokens("2021", "requests", _column_major(rows, 13, order=[0, 1, 2, 3, 4, 6, 5]), doubts).figures
    assert got == {}
    said = [d for d in doubts if "次序已乱" in d["message"]]
    assert len(said) == 1 and len(said[0]["cells"]) == sum(len(v) for _, v in rows)


def test_rows_without_totals_column_by_column_are_left():
    """二's 规章 and 行政规范性文件 after their labels, column by column: no total tells the order, so left."""
    doubts: list = []
    got = place_tokens("2021", "active", ["第二十条第（一）项", "信息内容", "规章", "行政规范性文件", "本年制发件数",
                                          "本年废止件数", "现行有效件数", "1", "8", "0", "26", "11", "66"],
                       doubts).figures
    assert not any(cid.startswith(("active.rules", "active.normative")) for cid in got)
    assert any("次序已乱" in d["message"] for d in doubts)


def test_a_caption_over_one_cell_takes_its_one_value_before_its_label():
    """`pdftotext` prints 第二十条第（五）项's one number before the label 行政许可."""
    doubts: list = []
    got = place_tokens("2021", "active", ["第二十条第（五）项", "信息内容", "本年处理决定数量", "550", "行政许可",
                                          "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "4119",
                                          "行政强制", "195"], doubts).figures
    assert got == {"active.licensing.decisions": 550, "active.penalty.decisions": 4119,
                   "active.coercion.decisions": 195}


def test_a_label_glued_to_its_first_value():
    """pypdf's layout mode: `5.要求行政机关确认或重新出具0  0  0  0 0  0  0` (no space after the label)."""
    lines = text_lines("          5.要求行政机关确认或重新出具3  0  0  0 0  0  3\n")
    doubts: list = []
    got = place_tokens("2021", "requests", [c for line in lines for c in line], doubts).figures
    assert got["requests.rejected.confirmation.natural"] == 3
    assert got["requests.rejected.confirmation.total"] == 3
    assert len([k for k in got if k.startswith("requests.rejected.confirmation.")]) == 7


def test_numbers_before_their_label_are_not_given_to_the_next_row():
    """二 with each row's numbers on the line before its label: one line of numbers is one row, so the lines decide
    it; as one cell a line (nothing decides it) the two rows are left, never shifted."""
    lines = [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
             ["0", "0", "0"], ["规章"], ["3", "0", "8"], ["行政规范性文件"]]
    doubts: list = []
    got = place_table("2021", "active", lines, doubts).figures
    assert got == {"active.rules.issued": 0, "active.rules.repealed": 0, "active.rules.in_force": 0,
                   "active.normative.issued": 3, "active.normative.repealed": 0, "active.normative.in_force": 8}
    doubts = []
    got = place_tokens("2021", "active", [c for line in lines for c in line], doubts).figures
    assert got == {}
    said = [d for d in doubts if "次序已乱" in d["message"]]
    assert len(said) == 1 and len(said[0]["cells"]) == 6


def test_a_full_row_does_not_pass_its_extra_numbers_on():
    """Numbers before their labels with no caption to bound them: 规范性文件's row is full when 447228 comes, so the
    rows after are out of order — 行政处罚 must not take 88283 (行政强制's) nor 行政强制 take 96171.6."""
    lines = [["规章"], ["1"], ["0"], ["11"], ["行政规范性文件", "8", "26", "66"], ["447228"], ["3985758"], ["行政处罚"],
             ["88283"], ["行政强制"], ["96171.6"], ["行政事业性收费"]]
    doubts: list = []
    got = place_table("2021", "active", lines, doubts).figures
    truth = _truth("huaian-city-2024")["figures"]
    assert got and all(float(v) == float(truth[cid]) for cid, v in got.items()), got
    assert "active.penalty.decisions" not in got and "active.coercion.decisions" not in got
    assert any("次序已乱" in d["message"] for d in doubts)


def test_message_names_the_table_and_the_way_out():
    msg = OUT_OF_ORDER.format(table="三、收到和处理政府信息公开申请情况", n=3)
    assert msg.startswith("三、收到和处理政府信息公开申请情况：") and "3格" in msg and "PDF文件本身" in msg
