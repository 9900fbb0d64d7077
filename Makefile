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
LAYERS := unit widgets pipeline notebooks browser hub
.PHONY: $(PHONY_EXTRA) help install lab test hub-prereqs $(addprefix test-,$(LAYERS)) nbval sync release bank bench trainee-pack demo-cohort grade feedback export lint clean

help:
	@echo "make lab      open the curriculum in JupyterLab (installs what it needs first)"
	@echo "make test     run every test layer (installs what it needs first)"
	@echo "make sync     write the generated parts: support blocks, sorted items from the pool, MyST pairs"
	@echo "make release  regenerate release/ from source/ with nbgrader"
	@echo "make bank     check the practice vignette bank and print its coverage"
	@echo "make trainee-pack  write dist/trainee-workspace.zip (what a trainee gets without the exchange)"
	@echo "make demo-cohort   write a synthetic cohort of 32 trainees to rehearse grading"
	@echo "make grade    autograde every assignment, then list problem submissions"
	@echo "make feedback generate feedback once hand grading is done (no keys, rubrics or hidden checks in it)"
	@echo "make export   write grades.csv, with status, problems, ungraded and lateness columns"
	@echo "make bench    measure autograde, start-up, the sorter and the report; writes benchmarks/results.md"
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

# Every layer on every core (pytest-xdist; a test file stays on one worker, so its fixtures run once).
test: $(STAMP) $(CHROMIUM) $(BWRAP) hub-prereqs
	$(PY) -m pytest -n auto --dist loadfile tests
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
test-hub: $(BWRAP) hub-prereqs

# The hub test (tests/hub) makes Linux users, so it runs only as root; it needs Debian's PostgreSQL and
# the proxy pinned in deploy/hub/package-lock.json (installed from the npm registry into the venv).
HUB_PROXY := $(VENV)/hub-proxy/node_modules/.bin/configurable-http-proxy
hub-prereqs: $(STAMP)
	@if [ "$$(id -u)" != 0 ]; then \
		echo "The hub test makes Linux users, so it runs only as root: it will be skipped."; \
	else \
		ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || { apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }; \
		command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }; \
		$(MAKE) --no-print-directory $(HUB_PROXY) && $(MAKE) --no-print-directory hub-test-venv; \
	fi

$(HUB_PROXY): deploy/hub/package.json deploy/hub/package-lock.json
	mkdir -p $(VENV)/hub-proxy
	cp deploy/hub/package.json deploy/hub/package-lock.json $(VENV)/hub-proxy/
	cd $(VENV)/hub-proxy && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Every user of the test's hub runs its Python: a venv outside the clone (whose folder may be private), on
# Debian's Python (the project venv's may sit in root's home). Debian 12's Python is 3.11.2 and the pinned
# soupsieve needs 3.11.5, so pip chooses soupsieve there. Rebuilt when pyproject or constraints change;
# the test installs the current package into it (not editable) each time it runs.
export TC_HUB_TEST_VENV := /opt/trauma-curriculum-test/venv
.PHONY: hub-test-venv
hub-test-venv:
	@if ! cmp -s pyproject.toml $(TC_HUB_TEST_VENV)/pyproject.toml.built || \
	    ! cmp -s constraints.txt $(TC_HUB_TEST_VENV)/constraints.txt.built; then \
		set -e; test -x $(TC_HUB_TEST_VENV)/bin/python || /usr/bin/python3 -m venv $(TC_HUB_TEST_VENV); \
		grep -v '^soupsieve==' constraints.txt > $(TC_HUB_TEST_VENV)/constraints.txt; \
		$(TC_HUB_TEST_VENV)/bin/pip install --quiet --disable-pip-version-check -c $(TC_HUB_TEST_VENV)/constraints.txt ".[hub]"; \
		cp pyproject.toml $(TC_HUB_TEST_VENV)/pyproject.toml.built; cp constraints.txt $(TC_HUB_TEST_VENV)/constraints.txt.built; \
	fi

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
# Only into a course with no trainees of its own; FORCE=1 replaces a previous demo cohort (nobody else).
demo-cohort: $(STAMP) release
	$(VENV)/bin/trauma-curriculum demo-cohort $(if $(FORCE),--force)

grade: $(STAMP) $(BWRAP)
	@for a in $(ASSIGNMENTS); do $(VENV)/bin/trauma-curriculum autograde "$$a" --csv "problems-$$a.csv" || exit 1; done

# Refused for an assignment while answers wait for hand grading (ALLOW_UNGRADED=1 writes it anyway,
# marked "not yet graded"); every assignment is tried, and make fails at the end if one was refused.
feedback: $(STAMP)
	@status=0; for a in $(ASSIGNMENTS); do \
		$(VENV)/bin/trauma-curriculum feedback "$$a" $(if $(ALLOW_UNGRADED),--allow-ungraded) || status=1; \
	done; exit $$status

export: $(STAMP)
	$(VENV)/bin/trauma-curriculum export

# Workshops: live slides of one module (make present MODULE=03), and offline handouts of all modules.
MODULE ?= 00
present: $(STAMP)
	$(VENV)/bin/trauma-curriculum present $(MODULE)

handouts: $(STAMP)
	$(VENV)/bin/trauma-curriculum handouts

trainee-pack: $(STAMP)
	$(VENV)/bin/trauma-curriculum trainee-pack

bench: $(STAMP)
	$(PY) -m pytest benchmarks -p no:cacheprovider --benchmark-columns=min,median,max,rounds
	@echo "Wrote benchmarks/results.md"
