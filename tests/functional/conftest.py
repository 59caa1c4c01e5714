"""Fixtures shared by the functional tests."""
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "青山镇-2021.yaml"


@pytest.fixture
def sample(tmp_path) -> Path:
    """A copy of the bundled 2021 sample in a folder of its own (报告/青山镇-2021.yaml), as a clerk keeps it."""
    folder = tmp_path / "报告"
    folder.mkdir()
    p = folder / "青山镇-2021.yaml"
    p.write_bytes(SAMPLE.read_bytes())
    return p
