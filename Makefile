# make demo  — open drafter on the bundled 2021 sample (a copy in demo/, the sample stays untouched)
# make test  — the whole test suite (what CI runs)
# make bench — benchmarks, one JSON object
VENV ?= .venv
PY := $(VENV)/bin/python
SAMPLE := samples/青山镇-2021.yaml

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m compileall -q drafter   # byte-compiled once, as an installed package is (faster start)
	touch $@

.PHONY: demo test bench templates
demo: $(VENV)/.installed
	mkdir -p demo
	test -f demo/青山镇-2021.yaml || cp $(SAMPLE) demo/青山镇-2021.yaml
	$(VENV)/bin/drafter edit demo/青山镇-2021.yaml

test: $(VENV)/.installed
	$(VENV)/bin/ruff check drafter tests bench templates
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --config pyproject.toml
	$(PY) -m pytest -q -n 2 --dist loadgroup

bench: $(VENV)/.installed
	$(PY) bench/run.py

templates: $(VENV)/.installed
	$(PY) templates/build.py
