# Two commands on a fresh machine with only python3:  make lab  (open the curriculum)  and  make test.
# Each creates .venv and installs the pinned environment when it is missing or out of date.

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
# nbgrader runs alembic from PATH when it creates a gradebook: the venv's scripts must come first.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

ASSIGNMENTS := $(notdir $(wildcard source/*))
# Debian packages the tests and autograde use (installed by make as root; otherwise it says what to install)
CHROMIUM := /usr/bin/chromium
BWRAP    := /usr/bin/bwrap
NBVAL_TIMEOUT ?= 300

PHONY_EXTRA := present handouts
LAYERS := unit widgets pipeline notebooks browser
.PHONY: $(PHONY_EXTRA) help install lab test $(addprefix test-,$(LAYERS)) nbval sync release bank bench trainee-pack demo-cohort grade feedback export lint clean

help:
	@echo "make lab      open the curriculum in JupyterLab (installs what it needs first)"
	@echo "make test     run every test layer (installs what it needs first)"
	@echo "make sync     write the generated parts: support blocks, sorted items from the pool, MyST pairs"
	@echo "make release  regenerate release/ from source/ with nbgrader"
	@echo "make bank     check the practice vignette bank and print its coverage"
	@echo "make trainee-pack  write dist/trainee-workspace.zip (what a trainee gets without the exchange)"
	@echo "make demo-cohort   write a synthetic cohort of 32 trainees to rehearse grading"
	@echo "make grade    autograde every assignment, then list problem submissions"
	@echo "make feedback generate feedback (no keys, rubrics or hidden checks in it)"
	@echo "make export   write grades.csv"
	@echo "make bench    measure the sorter (benchmarks/, not part of make test)"
	@echo "make present MODULE=03  serve a module as live slides (Voila, workshop mode, no CDN)"
	@echo "make handouts  write offline HTML handouts of every module to dist/handouts/"
	@echo "make lint     ruff over the package and tests"

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/trauma-curriculum lab

test: $(STAMP) $(CHROMIUM) $(BWRAP)
	$(PY) -m pytest tests
	$(MAKE) --no-print-directory nbval

# One layer of tests/ each (tests/<layer>/), for a quick run while working.
$(addprefix test-,$(LAYERS)): $(STAMP)
	$(PY) -m pytest tests/$(patsubst test-%,%,$@)

# The browser tests drive Debian's Chromium (Playwright cannot download a browser here).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else \
		echo "The browser tests need Chromium: run 'sudo apt-get install chromium chromium-driver' (or your system's equivalent), then make test again."; \
		exit 1; \
	fi

test-browser: $(CHROMIUM)
test-pipeline: $(BWRAP)

# Autograde runs every trainee kernel in a bubblewrap sandbox (see nbgrader_config.py).
$(BWRAP):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap; \
	else \
		echo "Autograde sandboxes trainee code with bubblewrap: run 'sudo apt-get install bubblewrap' (or your system's equivalent), then try again."; \
		exit 1; \
	fi

# nbval in lax mode over every notebook that must run: never release/ (its stubs fail by design).
nbval: $(STAMP)
	$(PY) -m pytest --nbval-lax --nbval-cell-timeout=$(NBVAL_TIMEOUT) -p no:cacheprovider notebooks exercises source

# The generated parts (support blocks, sorted items from the assessment pool, MyST pairs), then release.
sync: $(STAMP)
	$(VENV)/bin/trauma-curriculum sync

release: $(STAMP)
	@for a in $(ASSIGNMENTS); do $(VENV)/bin/nbgrader generate_assignment "$$a" --force || exit 1; done

bank: $(STAMP)
	$(VENV)/bin/trauma-curriculum bank

lint: $(STAMP)
	$(VENV)/bin/ruff check trauma_curriculum tests benchmarks

clean:
	rm -rf $(VENV) dist build *.egg-info gradebook.db .exchange submitted autograded feedback

# The supervisor's cycle (see README "For supervisors").
demo-cohort: $(STAMP) release
	$(VENV)/bin/trauma-curriculum demo-cohort

grade: $(STAMP) $(BWRAP)
	@for a in $(ASSIGNMENTS); do $(VENV)/bin/trauma-curriculum autograde "$$a" --csv "problems-$$a.csv" || exit 1; done

feedback: $(STAMP)
	@for a in $(ASSIGNMENTS); do $(VENV)/bin/nbgrader generate_feedback "$$a" --force || exit 1; done

export: $(STAMP)
	$(VENV)/bin/nbgrader export --to grades.csv

# Workshops: live slides of one module (make present MODULE=03), and offline handouts of all modules.
MODULE ?= 00
present: $(STAMP)
	$(VENV)/bin/trauma-curriculum present $(MODULE)

handouts: $(STAMP)
	$(VENV)/bin/trauma-curriculum handouts

trainee-pack: $(STAMP)
	$(VENV)/bin/trauma-curriculum trainee-pack

bench: $(STAMP)
	$(PY) -m pytest benchmarks -p no:cacheprovider --benchmark-only --benchmark-columns=min,median,max,rounds
