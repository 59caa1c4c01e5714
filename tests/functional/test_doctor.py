"""drafter doctor reports versions, file locations, LibreOffice and fonts, with what to install."""
import json
import shutil

from drafter.cli import main
from drafter.commands import doctor


def test_doctor_json(capsys):
    assert main(["doctor", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["versions"]["textual"] and d["versions"]["docxtpl"] and d["versions"]["cerberus"]
    assert d["where"]["validators"].endswith("validators")
    assert (d["libreoffice"]["path"] is None) == (shutil.which("libreoffice") is None and shutil.which("soffice") is None)


def test_doctor_tells_what_to_install(capsys, monkeypatch):
    monkeypatch.setattr(doctor, "_libreoffice", lambda: (None, None))
    monkeypatch.setattr(doctor, "_fonts", lambda: [])
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "LibreOffice：未安装" in out and "apt-get install libreoffice-writer-nogui" in out
    assert "fonts-noto-cjk" in out and "仿宋_GB2312（正文）：未安装" in out
