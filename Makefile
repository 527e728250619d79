# The two commands of the README, and what they need. Everything is installed from here:
# Debian packages (when run as root with apt-get; otherwise the missing ones are named), a
# virtualenv in .venv with the package and its dev tools, and nothing else by hand.

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: build test lint setup system-packages diagrams test-virtuoso clean

## build: install, then run the main job (load, check, write the release into dist/)
build: $(STAMP) system-packages
	$(BIN)/il32rdf build

## test: install the package, its test tools and system packages, then run every test
test: $(STAMP) system-packages
	$(BIN)/pytest

## lint: ruff and mypy --strict on the package
lint: $(STAMP)
	$(BIN)/ruff check il32rdf tests benchmarks tools
	$(BIN)/ruff format --check il32rdf tests benchmarks tools
	$(BIN)/mypy

setup: $(STAMP) system-packages

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Java runs the HermiT reasoner; Raptor is one of the independent parsers the tests use;
# Graphviz draws the diagrams; Chromium is the real browser the page tests drive; the OWL API
# (run from its source by the JDK) reads the release's OWL files as Protégé does. A need is a
# command, or a file (a path).
SYSTEM_NEEDS := java:default-jre-headless javac:default-jdk-headless rapper:raptor2-utils \
	dot:graphviz chromium:chromium serdi:serdi \
	/usr/share/java/owlapi-distribution.jar:libowlapi-java

system-packages:
	@missing=""; \
	for need in $(SYSTEM_NEEDS); do \
	  what="$${need%%:*}"; \
	  [ -e "$$what" ] || command -v "$$what" >/dev/null 2>&1 || missing="$$missing $${need#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing system packages:$$missing (Debian/Ubuntu: sudo apt-get install$$missing)" >&2; \
	    exit 1; \
	  fi; \
	fi

clean:
	rm -rf dist build .pytest_cache .mypy_cache .ruff_cache

## diagrams: refresh the pictures the README shows (docs/) from the current graph
diagrams: $(STAMP) system-packages
	$(BIN)/il32rdf diagram -o docs
	rm -f docs/*.dot docs/*.mmd docs/*.svg

## test-virtuoso: the opt-in tests that publish into a Virtuoso open source started on loopback
test-virtuoso: $(STAMP)
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource-7-bin; }
	$(BIN)/pytest --virtuoso -m virtuoso
