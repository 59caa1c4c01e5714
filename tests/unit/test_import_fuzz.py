"""Hostile files through import_file: nothing but ReportError, bounded work by construction, bounded memory.

Random bytes, truncated and mutated real files (.docx built here and by the renderer, .html, the seed texts), files
that are not what their names say, zip bombs (declared and lying sizes, ratio, member count), XML with entities or
deep nesting, deeply nested and huge pages.
"""
from __future__ import annotations

import io
import random
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from docbuild import build_docx, build_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import_docx import make_docx, p, sample, t

from drafter.importing import ImportResult, import_file, safety
from drafter.report import ReportError

SEEDS = sorted((Path(__file__).resolve().parents[2] / "samples" / "seeds").glob("*.txt"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def outcome(path: Path) -> str:
    """'ok' or the refusal message; any other exception fails the test."""
    try:
        res = import_file(path)
    except ReportError as e:
        msg = str(e)
        assert msg and "\n" not in msg and "Traceback" not in msg
        return msg
    assert isinstance(res, ImportResult)
    res.report.dumps()                               # whatever was read can be written
    return "ok"


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, bytes]:
    d = tmp_path_factory.mktemp("orig")
    r = sample(4, "2021", 2021)
    build_docx(r, d / "a.docx")
    out = {"docx": (d / "a.docx").read_bytes(), "html": build_html(r, "nested", "gb18030")}
    from drafter.render import render_docx_bytes  # the templates ship: a failure here is a failure
    out["rendered"] = render_docx_bytes(sample(6, "2019", 2020))
    for s in SEEDS[:3]:
        out[s.stem] = s.read_bytes()
    return out


@pytest.mark.parametrize("name", ["x.docx", "x.html", "x.txt", "x"])
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(tmp_path, name, data):
    f = tmp_path / name
    f.write_bytes(data)
    outcome(f)


@FUZZ
@given(data=st.data())
def test_truncated_and_mutated(tmp_path, originals, data):
    kind = data.draw(st.sampled_from(sorted(originals)))
    raw = bytearray(originals[kind])
    how = data.draw(st.sampled_from(["truncate", "flip", "splice", "zero"]))
    if how == "truncate":
        raw = raw[:data.draw(st.integers(0, len(raw)))]
    elif how == "flip":
        for _ in range(data.draw(st.integers(1, 20))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.integers(0, 255))
    elif how == "splice":
        i = data.draw(st.integers(0, len(raw)))
        raw[i:i] = data.draw(st.binary(min_size=1, max_size=200))
    else:
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i:i + 512] = bytes(min(512, len(raw) - i))
    suffix = data.draw(st.sampled_from([".docx", ".html", ".txt"]))
    f = tmp_path / f"m{suffix}"
    f.write_bytes(bytes(raw))
    outcome(f)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_document_xml(tmp_path, originals, data):
    """Mutations inside word/document.xml, re-zipped: the XML is broken, not the zip."""
    zin = zipfile.ZipFile(io.BytesIO(originals["docx"]))
    xml = bytearray(zin.read("word/document.xml"))
    for _ in range(data.draw(st.integers(1, 10))):
        i = data.draw(st.integers(0, len(xml) - 1))
        xml[i:i + data.draw(st.integers(0, 50))] = data.draw(st.sampled_from(
            [b"", b"<", b">", b"</w:tc>", b"<w:tr>", b'<w:gridSpan w:val="99999999"/>', b'<w:vMerge/>',
             b"<w:tbl>", "一、总体情况".encode(), b"12", b"&amp;", b"\xff\xfe"]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            z.writestr(info.filename, bytes(xml) if info.filename == "word/document.xml" else zin.read(info))
    f = tmp_path / "m.docx"
    f.write_bytes(buf.getvalue())
    outcome(f)


# ---- files that are not what their names say -------------------------------------------------
def test_names_that_lie(tmp_path, originals):
    seed = SEEDS[0].read_bytes()
    cases = {"text.docx": seed, "page.docx": originals["html"], "word.html": originals["docx"],
             "word.txt": originals["docx"]}
    for name, raw in cases.items():
        if raw is None:
            continue
        f = tmp_path / name
        f.write_bytes(raw)
        assert outcome(f) == "ok", name           # read by what they are
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    (tmp_path / "zip.docx").write_bytes(buf.getvalue())
    assert "不是.docx文件" in outcome(tmp_path / "zip.docx")
    (tmp_path / "bin.html").write_bytes(bytes(range(256)) * 100)
    assert "不是网页文件" in outcome(tmp_path / "bin.html")
    (tmp_path / "bin.docx").write_bytes(bytes(range(256)) * 100)
    assert "Word" in outcome(tmp_path / "bin.docx")
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    assert ".doc" in outcome(tmp_path / "old.docx")


# ---- zip bombs -------------------------------------------------------------------------------
GB = 1 << 30


def _bomb(size: int) -> bytes:
    """A zip whose word/document.xml inflates to `size` bytes of spaces, built in streaming fashion."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as w:
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                w.write(chunk)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb(GB)


def _patch_sizes(raw: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the declared uncompressed size of member `name` in its local header and the central directory."""
    b = bytearray(raw)
    for sig, name_len_at, size_at, header in ((b"PK\x03\x04", 26, 22, 30), (b"PK\x01\x02", 28, 24, 46)):
        i = b.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", b, i + name_len_at)[0]
            if b[i + header:i + header + n] == name:
                struct.pack_into("<I", b, i + size_at, size)
            i = b.find(sig, i + 4)
    return bytes(b)


def test_zip_bomb_refused_by_declared_size(tmp_path, bomb):
    assert len(bomb) < 5 * 1024 * 1024
    f = tmp_path / "bomb.docx"
    f.write_bytes(bomb)
    tracemalloc.start()
    msg = outcome(f)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "压缩" in msg
    assert peak < 64 * 1024 * 1024


def test_zip_bomb_with_lying_sizes_refused_while_streaming(tmp_path, bomb):
    """Declared 1000 bytes, really 1 GB: the ratio check passes, inflation stops at the cap; memory stays small."""
    liar = _patch_sizes(bomb, b"word/document.xml", 1000)
    zf = zipfile.ZipFile(io.BytesIO(liar))
    assert zf.getinfo("word/document.xml").file_size == 1000
    f = tmp_path / "liar.docx"
    f.write_bytes(liar)
    tracemalloc.start()
    msg = outcome(f)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert msg != "ok"
    assert peak < 64 * 1024 * 1024


def test_streaming_cap(tmp_path):
    """read_member stops at its cap even when the declared size is within it (a directory that lies)."""
    raw = _bomb(8 << 20)
    zf = zipfile.ZipFile(io.BytesIO(raw))
    with pytest.raises(ReportError) as e:
        safety.read_member(tmp_path / "x.docx", zf, "word/document.xml", limit=1 << 20)
    assert "过大" in str(e.value) or "超过" in str(e.value)
    info = zf.getinfo("word/document.xml")
    info.file_size = 1 << 19                      # the directory now claims half the cap
    with pytest.raises(ReportError):
        safety.read_member(tmp_path / "x.docx", zf, "word/document.xml", limit=1 << 20)


def test_too_many_members(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(safety.MAX_MEMBERS + 1):
            z.writestr(f"word/m{i}.xml", "")
    f = tmp_path / "many.docx"
    f.write_bytes(buf.getvalue())
    assert "部件过多" in outcome(f)


def test_huge_file_refused_before_reading(tmp_path):
    f = tmp_path / "huge.html"
    with open(f, "wb") as w:
        w.truncate(safety.MAX_FILE + 1)          # sparse: no disk used
    assert "文件太大" in outcome(f)


# ---- XML and HTML structure ------------------------------------------------------------------
def _docx_with_xml(xml: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize("xml", [
    f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document {W}><w:body>'
    '<w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>',
    f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    f'<w:document {W}><w:body><w:p><w:r><w:t>&d;&d;&d;&d;</w:t></w:r></w:p></w:body></w:document>',
    f'<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://example.invalid/x.dtd"><w:document {W}/>',
])
def test_xml_entities_refused(tmp_path, xml):
    f = tmp_path / "xxe.docx"
    f.write_bytes(_docx_with_xml(xml))
    msg = outcome(f)
    assert "DTD" in msg or "实体" in msg
    assert "root:" not in msg


def test_deep_xml_refused(tmp_path):
    deep = f'<w:document {W}><w:body>' + "<w:sdt><w:sdtContent>" * 5000 + "</w:sdtContent></w:sdt>" * 5000 + \
        "</w:body></w:document>"
    f = tmp_path / "deep.docx"
    f.write_bytes(_docx_with_xml(deep))
    assert "嵌套" in outcome(f)


def test_tables_nested_too_deep(tmp_path):
    inner = p(t("x"))
    for _ in range(safety.MAX_TABLE_DEPTH + 2):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc><w:tc>{p(t('y'))}</w:tc></w:tr></w:tbl>{p(t(''))}"
    f = tmp_path / "nest.docx"
    f.write_bytes(make_docx(p(t("某镇2021年政府信息公开工作年度报告")) + inner))
    assert "嵌套" in outcome(f)


def test_huge_spans_are_bounded(tmp_path):
    tc = '<w:tc><w:tcPr><w:gridSpan w:val="2147483647"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    rows = f"<w:tr>{tc * 50}</w:tr>" * 200
    f = tmp_path / "span.docx"
    f.write_bytes(make_docx(p(t("某镇2021年政府信息公开工作年度报告")) + f"<w:tbl>{rows}</w:tbl>"))
    assert outcome(f) != "ok"
    page = "<table>" + "<tr>" + "<td colspan=999999 rowspan=999999>1</td>" * 50 + "</tr>" * 200 + "</table>"
    g = tmp_path / "span.html"
    g.write_text("<html><body><p>某镇2021年政府信息公开工作年度报告</p>" + page + "</body></html>")
    assert outcome(g) != "ok"


@pytest.mark.parametrize("page", [
    "<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000,
    "<html><body>" + "<span><b>" * 60_000,
    "<html><body>" + "<table><tr><td>" * 200,
])
def test_deep_html_refused(tmp_path, page):
    f = tmp_path / "deep.html"
    f.write_text(page)
    assert "嵌套" in outcome(f)


def test_many_paragraphs_refused(tmp_path):
    f = tmp_path / "many.html"
    f.write_text("<html><body>" + "<p>段</p>" * (safety.MAX_LINES + 10) + "</body></html>")
    assert "过多" in outcome(f)


def test_random_structures(tmp_path):
    """Random soup of table and block tags: the tree builder's implicit closes never fail."""
    rng = random.Random(5)
    tags = ["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th rowspan=3>", "<td colspan='x'>", "<p>",
            "</p>", "<div>", "</div>", "<br>", "</br>", "<tbody>", "<script>", "</script>", "<pre>", "一、总体情况",
            "12", "&#0;", "&#x110000;", "<!--", "-->", "<![CDATA[", "<style>", "2021年政府信息公开工作年度报告"]
    for i in range(200):
        f = tmp_path / f"s{i}.html"
        f.write_text("<html>" + "".join(rng.choice(tags) for _ in range(rng.randint(1, 300))))
        outcome(f)


def test_many_elements_refused(tmp_path):
    f = tmp_path / "soup.html"
    f.write_text("<html><body>" + "<span>" * 200 + "<td>" * (safety.MAX_HTML_ELEMENTS + 1))
    assert "元素过多" in outcome(f)
