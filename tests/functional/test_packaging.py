"""The wheel ships every package, the format data, the rules and the templates."""
import importlib.resources
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_packages_list_names_every_package():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(conf["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "drafter").rglob("__init__.py")}
    found |= {"drafter." + k.split(".")[-1] for k in conf["package-dir"]}
    assert listed == found


def test_data_files_are_reachable():
    assert importlib.resources.files("drafter.validators").joinpath("2021.yaml").is_file()
    assert importlib.resources.files("drafter.formats").joinpath("2019.yaml").is_file()


def test_core_does_not_import_textual():
    import subprocess
    import sys
    code = ("import sys, drafter.checks, drafter.report, drafter.formats, drafter.numbers;"
            "assert 'textual' not in sys.modules, 'textual imported by the core'")
    subprocess.run([sys.executable, "-c", code], check=True)
