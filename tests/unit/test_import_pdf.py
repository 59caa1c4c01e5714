"""drafter import of a .pdf: the PDF's own layout (tables from ruling lines, prose by position), as Word/LibreOffice
and WPS export it; and the PDFs a clerk must be told about: scanned, encrypted, broken, hostile."""
from __future__ import annotations

import io
import random
import shutil
import subprocess
import time
import zlib
from pathlib import Path

import pytest
from gen import random_report
from PIL import Image
from pypdf import PdfReader, PdfWriter

from drafter import cli
from drafter.importing import import_file, pdf
from drafter.render import render_pdf
from drafter.report import ReportError, load

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LEAD = "本年度，我镇坚持以公开为常态、不公开为例外，全面推进政务公开。"


@pytest.fixture(scope="module", params=[("2019", 2020), ("2021", 2022)], ids=["2019", "2021"])
def rendered(request, tmp_path_factory):
    """A random consistent report, rendered to PDF by LibreOffice (Word-like layout), with 一's lead paragraph."""
    fid, year = request.param
    r = random_report(random.Random(7), fid, year)
    if r.text["overview"] and r.text["overview"][0]["title"]:
        r.text["overview_lead"] = LEAD
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    render_pdf(r, out)
    return r, out


def test_rendered_pdf_reads_back(rendered):
    want, path = rendered
    res = import_file(path)
    got = res.report
    assert got.figures == want.figures
    assert (got.year, got.format, got.agency, got.signed_on) == (want.year, want.format, want.agency, want.signed_on)
    assert got.text.get("overview_lead", "") == want.text.get("overview_lead", "")
    assert [(p["title"], p["body"]) for p in got.text["overview"]] == \
        [(p["title"], p["body"]) for p in want.text["overview"]]
    assert got.text["problems"] == want.text["problems"]
    assert not [d for d in res.doubts if "无法识别" in d["message"] or "位置不明" in d["message"]]


@pytest.mark.parametrize("mode", ["-layout", "-raw"])
def test_text_copied_from_the_pdf_reads_back(rendered, mode, tmp_path):
    """pdftotext gives what a PDF viewer's copy gives: cells apart by runs of spaces (-layout) or one space (-raw)."""
    want, path = rendered
    txt = tmp_path / "copied.txt"
    subprocess.run([shutil.which("pdftotext") or "pdftotext", mode, str(path), str(txt)], check=True)
    got = import_file(txt).report
    assert got.figures == want.figures
    assert got.agency == want.agency


def test_published_wps_pdf_layout():
    """淮安市 2024 (WPS): merged headers, 三、本年度办理结果 and （三）不予公开 printed vertically, labels over three
    lines, table 三 broken across pages 4-5 without its header (（四）无 / 法提供 split by the break), page numbers."""
    res = import_file(CORPUS / "huaian-city-2024.pdf")
    r = res.report
    assert r.agency == {"name": "淮安市人民政府", "level": "city"} and r.year == 2024
    f = r.figures
    assert (f["requests.unable.not_held.total"], f["requests.unable.needs_creation.total"]) == (769, 11)
    assert f["requests.other.no_correction.total"] == 71 and f["requests.carried_forward.total"] == 103
    assert f["appeals.litigation_after_review.total"] == 20
    assert r.text["overview_lead"].startswith("2024年，我市坚持")
    assert [p["title"][:6] for p in r.text["overview"]][:2] == ["主动公开情况", "依申请公开情"]
    dumped = r.dumps()
    assert "-2-" not in dumped and "— 2 —" not in dumped
    assert [d["message"] for d in res.doubts] == ["原文没有落款日期，请填写"]


def test_new_from_a_published_pdf(tmp_path, capsys):
    out = tmp_path / "淮安市-2025.yaml"
    assert cli.main(["new", "--year", "2025", "--from", str(CORPUS / "huaian-city-2024.pdf"), "-o", str(out)]) == 0
    r = load(out)
    assert r.agency["name"] == "淮安市人民政府" and r.year == 2025
    assert r.figures["requests.carried_over.natural"] == 103
    assert r.text["overview_lead"].startswith("2024年，我市坚持")
    assert "overview_lead" in r.extra["carried_text"]


# ---- PDFs that are refused, in one Chinese line ------------------------------------------------------
def _refused(path: Path, capsys, *words: str) -> str:
    with pytest.raises(ReportError) as e:
        import_file(path)
    msg = str(e.value)
    assert all(w in msg for w in words), msg
    assert cli.main(["import", str(path), "-o", str(path.with_suffix(".yaml"))]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and words[0] in err
    return msg


def test_scanned_pdf(tmp_path, capsys):
    img = Image.new("RGB", (600, 800), "white")
    for x in range(100, 500):
        img.putpixel((x, 100), (0, 0, 0))
    p = tmp_path / "scan.pdf"
    img.save(p, "PDF", resolution=72)
    _refused(p, capsys, "扫描件", "没有文字层")


def test_encrypted_pdf(tmp_path, capsys):
    w = PdfWriter(clone_from=PdfReader(CORPUS / "hongze-district-2023.pdf"))
    w.encrypt(user_password="secret", owner_password="owner")
    p = tmp_path / "locked.pdf"
    with open(p, "wb") as f:
        w.write(f)
    _refused(p, capsys, "密码")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_pdf(tmp_path, capsys, cut):
    raw = (CORPUS / "hongze-district-2023.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(raw[:int(len(raw) * cut)])
    try:
        res = import_file(p)          # pdfminer may recover the pages before the cut: then a partial report
        assert res.report.year == 2023
    except ReportError as e:
        assert "PDF" in str(e) or "表格" in str(e) or "文字" in str(e), str(e)


@pytest.mark.parametrize("body", [b"%PDF-1.7\n" + bytes(range(256)) * 40, b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n",
                                  b"%PDF-"])
def test_garbage_pdf(tmp_path, capsys, body):
    p = tmp_path / "bad.pdf"
    p.write_bytes(body)
    _refused(p, capsys, "PDF")


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from its numbered objects (1 = catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_flate_bomb(tmp_path, capsys):
    """A page whose content stream inflates to 64 MB (64 KB in the file): refused while inflating, quickly."""
    comp = zlib.compressobj(9)
    data = comp.compress(b" " * (64 * 1024 * 1024)) + comp.flush()
    p = tmp_path / "bomb.pdf"
    p.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"]))
    t = time.monotonic()
    _refused(p, capsys, "压缩炸弹")
    assert time.monotonic() - t < 20


def test_too_many_pages(tmp_path, capsys, monkeypatch):
    w = PdfWriter()
    for _ in range(pdf.MAX_PAGES + 1):
        w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    p = tmp_path / "pages.pdf"
    p.write_bytes(buf.getvalue())
    _refused(p, capsys, "页数过多")


def test_time_limit(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_SECONDS", 0.0)
    p = tmp_path / "slow.pdf"
    shutil.copy(CORPUS / "hongze-district-2023.pdf", p)
    _refused(p, capsys, "秒")


def test_objects_limit(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_OBJECTS", 10)
    p = tmp_path / "drawn.pdf"
    shutil.copy(CORPUS / "hongze-district-2023.pdf", p)
    _refused(p, capsys, "图形过多")


def test_pdf_named_otherwise_is_read_as_pdf(tmp_path):
    p = tmp_path / "report.docx"
    shutil.copy(CORPUS / "hongze-district-2024.pdf", p)
    assert import_file(p).report.figures["active.fees.amount"] == 7545
