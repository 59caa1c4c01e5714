"""drafter import of a .pdf: the PDF's own layout (tables from ruling lines, or by position where the rules are
missing), as Word/LibreOffice and WPS export it and as a browser prints a web page; and the PDFs a clerk must be told
about: scanned, encrypted, broken, hostile."""
from __future__ import annotations

import copy
import io
import random
import re
import shutil
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from gen import random_report
from PIL import Image
from pypdf import PdfReader, PdfWriter

from drafter import cli
from drafter.fonts import font_substitutes
from drafter.importing import import_file, pdf
from drafter.render import libreoffice, render_docx_bytes, render_html, render_pdf
from drafter.report import Report, ReportError, load

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
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


# ---- tables printed without (some of) their ruling lines: read by position ------------------------------------
BLANK = 987654          # a figure given this value prints as a blank cell
SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
RULES = {               # which rules of every table stay
    "none": (), "horizontal": ("top", "bottom", "insideH"), "frame": ("top", "left", "bottom", "right"),
    "threeline": ("top", "bottom"), "vertical": ("left", "right", "insideV"),
    "columns": ("top", "left", "bottom", "right", "insideV"),
}
# variant -> (rules kept, how the longest table is broken across pages: None, "bare" or "header" repeated)
VARIANTS = {**{k: (v, None) for k, v in RULES.items()}, "none-broken": ((), "bare"), "none-broken-header": ((), "header"),
            "horizontal-broken-header": (RULES["horizontal"], "header"), "ruled-broken": (None, "bare"),
            "header-ruled": ("header", None)}      # only the header rows ruled, cell by cell


def _rules(tbl, keep) -> None:
    pr = tbl._tbl.tblPr
    for old in pr.findall(qn("w:tblBorders")):
        pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in SIDES:
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:val"), "single" if side in keep else "nil")
        if side in keep:
            e.set(qn("w:sz"), "4")
            e.set(qn("w:space"), "0")
            e.set(qn("w:color"), "000000")
        borders.append(e)
    pr.append(borders)
    for tc in tbl._tbl.iter(qn("w:tc")):           # the cells' own borders would override the table's
        for own in tc.tcPr.findall(qn("w:tcBorders")) if tc.tcPr is not None else []:
            tc.tcPr.remove(own)


def _first_figures(trs) -> int:
    """Index of a table's first row that holds a figure."""
    return next((i for i, tr in enumerate(trs) if any(
        "".join(x.text or "" for x in tc.iter(qn("w:t"))).strip().lstrip("+").isdigit() for tc in tr.iter(qn("w:tc")))),
        len(trs))


def _rule_header(tbl) -> None:
    """Rules around every cell of the header rows only (the figures below printed without rules)."""
    trs = tbl._tbl.findall(qn("w:tr"))
    for tr in trs[:_first_figures(trs)]:
        for tc in tr.iter(qn("w:tc")):
            borders = OxmlElement("w:tcBorders")
            for side in ("top", "left", "bottom", "right"):
                e = OxmlElement(f"w:{side}")
                for k, v in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
                    e.set(qn(f"w:{k}"), v)
                borders.append(e)
            tc.get_or_add_tcPr().append(borders)


def _break(tbl, after: int, header: bool) -> None:
    """The table as two: its rows up to the `after`-th row of figures, a page break, then the rest -- with the
    header rows printed again when `header` (a table broken across pages as Word or WPS prints it)."""
    t = tbl._tbl
    trs = t.findall(qn("w:tr"))
    first = _first_figures(trs)
    cut = first + after
    rest = copy.deepcopy(t)
    for tr in trs[cut:]:
        t.remove(tr)
    kept = rest.findall(qn("w:tr"))
    for tr in kept[(first if header else 0):cut]:
        rest.remove(tr)
    for vm in kept[cut].iter(qn("w:vMerge")):        # merged cells start again on the new page
        vm.set(qn("w:val"), "restart")
    p, r, br = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    r.append(br)
    p.append(r)
    t.addnext(p)
    p.addnext(rest)


def _variant_docx(report: Report, keep, broken) -> bytes:
    d = docx.Document(io.BytesIO(render_docx_bytes(report, False, None, fonts=font_substitutes())))
    for t in d.tables:
        for x in t._tbl.iter(qn("w:t")):
            if x.text and x.text.strip().lstrip("+") == str(BLANK):
                x.text = ""
        if keep is not None:
            _rules(t, () if keep == "header" else keep)
        if keep == "header":
            _rule_header(t)
    if broken:
        _break(max(d.tables, key=lambda t: len(t.rows)), 12, broken == "header")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _convert(files: list[Path], out: Path, filt: str = "pdf") -> None:
    with tempfile.TemporaryDirectory(prefix="drafter-lo-") as profile:
        subprocess.run([libreoffice(), f"-env:UserInstallation={Path(profile).resolve().as_uri()}", "--headless",
                        "--convert-to", filt, "--outdir", str(out), *map(str, files)],
                       check=True, capture_output=True, timeout=600)


def _with_blanks(r: Report, rng: random.Random) -> Report:
    """Blank cells as reports print them: whole 法人或其他组织 columns of 三, whole rows (one label on one line, two
    wrapped over lines), and scattered single cells (not the first cell of 四, whose leading blank
    tables.place_table does not keep: a known limit)."""
    rows = ("requests.rejected.repeat.", "requests.rejected.confirmation.", "requests.partial.")
    for k in r.figures:
        if k.startswith("requests.") and k.split(".")[-1] in ("research", "legal_service", "other_org") or \
                k.startswith(rows):
            r.figures[k] = BLANK
    spare = [k for k, v in r.figures.items() if v != BLANK and k != "appeals.review.upheld"]
    for k in rng.sample(spare, 25):
        r.figures[k] = BLANK
    return r


SOURCES = {
    "青山镇-2021-blanks": lambda: _with_blanks(load(SAMPLES / "青山镇-2021.yaml"), random.Random(3)),
    "王岗镇-2020-blanks": lambda: _with_blanks(load(SAMPLES / "王岗镇-2020.yaml"), random.Random(3)),
    "random-2021": lambda: random_report(random.Random(11), "2021", 2022),
    "random-2019-blanks": lambda: _with_blanks(random_report(random.Random(21), "2019", 2020), random.Random(21)),
}


@pytest.fixture(scope="module", params=list(SOURCES))
def borderless(request, tmp_path_factory):
    """One report printed in every variant: {variant: pdf path}, and the report (BLANK where a cell is blank)."""
    if not libreoffice():
        pytest.skip("LibreOffice is not installed (needed to make the PDFs)")
    r = SOURCES[request.param]()
    d = tmp_path_factory.mktemp("borderless")
    files = []
    for name, (keep, broken) in VARIANTS.items():
        f = d / f"{name}.docx"
        f.write_bytes(_variant_docx(r, keep, broken))
        files.append(f)
    _convert(files, d)
    page = d / "web.html"           # the published web page, printed by a browser (the first block is LibreOffice's)
    html = re.sub(rf">\+?{BLANK}<", "><", render_html(r)).replace("<body>", "<body>\n<p>.</p>", 1)
    page.write_text(html, encoding="utf-8")
    _convert([page], d, "pdf:writer_web_pdf_Export")
    return r, {p.stem: p for p in d.glob("*.pdf")}


def test_borderless_tables_read_every_cell(borderless):
    """Tables with no ruling lines, only horizontal ones, only the frame, a three-line table, only vertical ones,
    frame and column rules only, only the header ruled; broken across pages with and without the header repeated:
    every cell read (a blank cell as blank), no value wrong, and the text read as from the ruled table. The printed
    web page (figures set flush left under centred headers): no value wrong, and a figure whose column is in doubt
    (a table of one row with a blank cell) is left out with a doubt that names its cells."""
    r, pdfs = borderless
    want = {k: (None if v == BLANK else v) for k, v in r.figures.items()}
    assert set(pdfs) == set(VARIANTS) | {"web"}
    ruled = import_file(pdfs["ruled-broken"]).report
    bad = {}
    for name, path in sorted(pdfs.items()):
        res = import_file(path)
        got = res.report
        wrong = {k: (want.get(k), got.figures.get(k)) for k in set(want) | set(got.figures)
                 if got.figures.get(k) is not None and got.figures.get(k) != want.get(k)}
        unread = [k for k in want if want[k] is not None and got.figures.get(k) is None]
        doubted = {c for d in res.doubts if "无法确定对应" in d["message"] for c in d["cells"]}
        if wrong or (unread if name != "web" else set(unread) - doubted):
            bad[name] = (f"{len(want) - len(unread) - len(wrong)}/{len(want)}", wrong, unread[:5])
        assert (got.year, got.agency, got.signed_on) == (ruled.year, ruled.agency, ruled.signed_on), name
        if name != "web":                       # the web page prints the text as its own HTML (no indents)
            assert got.text == ruled.text, name
            assert not doubted and not [d for d in res.doubts if "位置不明" in d["message"]], \
                (name, [d["message"] for d in res.doubts])
    assert not bad, bad


def test_borderless_variants_are_what_they_say(borderless):
    """The PDFs made above: no ruling lines where none were kept, and the broken table on two pages."""
    import pdfplumber
    _, pdfs = borderless
    with pdfplumber.open(pdfs["none"]) as doc:
        assert not any(p.lines or p.rects for p in doc.pages)
    with pdfplumber.open(pdfs["horizontal"]) as doc:
        assert any(p.lines or p.rects for p in doc.pages) and not any(p.find_tables() for p in doc.pages)
    for name in ("none-broken", "none-broken-header"):
        with pdfplumber.open(pdfs[name]) as doc:
            pages = [p.extract_text() for p in doc.pages]
        first = next(i for i, t in enumerate(pages) if "申请人情况" in t)
        last = next(i for i, t in enumerate(pages) if "（七）总计" in t)
        assert last > first, (name, first, last)
        assert ("申请人情况" in pages[last]) == (name == "none-broken-header"), name


def test_published_pdfs_read_without_their_rules(monkeypatch):
    """The three published WPS PDFs with their ruling lines ignored: every table read by position, as ruled."""
    ruled = {n: import_file(CORPUS / n).report.figures for n in
             ("huaian-city-2024.pdf", "hongze-district-2023.pdf", "hongze-district-2024.pdf")}
    monkeypatch.setattr(pdf, "_ruled_tables", lambda page: [])
    for name, want in ruled.items():
        got = import_file(CORPUS / name).report.figures
        assert got == want, (name, {k: (want.get(k), got.get(k)) for k in set(want) | set(got)
                                    if want.get(k) != got.get(k)})
