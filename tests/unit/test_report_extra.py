"""Every key drafter keeps in Report.extra is named in report.EXTRA_KEYS and documented in docs/FORMAT.md."""
import re
from pathlib import Path

from drafter.report import EXTRA_KEYS

ROOT = Path(__file__).resolve().parents[2]


def test_every_extra_key_used_in_the_code_is_listed():
    used = set()
    for path in (ROOT / "drafter").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"extra(?:\[|\.get\(|\.setdefault\(|\.pop\()\s*[\"']([a-z_]+)[\"']", text))
    assert used, "the pattern found no use of Report.extra at all"
    assert used <= set(EXTRA_KEYS), f"undocumented keys: {sorted(used - set(EXTRA_KEYS))}"


def test_every_extra_key_is_documented():
    doc = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    for k in EXTRA_KEYS:
        assert re.search(rf"^- `{k}`: \S", doc, re.M), k
