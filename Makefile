# One command surface. `make help` lists the targets. The README's two set-up commands are `make serve` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve build pages check test test-quick benchmark lock

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# Installs come from the hash-locked files; edit requirements*.txt, then `make lock`.
$(VENV)/.deps: requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

$(VENV)/.test-deps: requirements-test.lock $(VENV)/.deps
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-test.lock
	touch $@

lock: ## re-lock requirements*.txt into requirements*.lock with hashes (uses pip-tools in a throwaway venv)
	rm -rf .lock-venv && python3 -m venv .lock-venv && .lock-venv/bin/pip install --quiet pip-tools
	for f in requirements requirements-test; do .lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links -o $$f.lock $$f.txt; done
	rm -rf .lock-venv

node_modules/.package-lock.json: package-lock.json
	# The Nu HTML Checker (vnu-jar) for the HTML validity test; runs on the machine's Java.
	npm ci --no-audit --no-fund --ignore-scripts

/usr/bin/chromium:
	# Browser tests drive Debian's chromium (Playwright's own browser download does not work here).
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "install Debian's chromium (sudo apt-get install chromium) to run the browser tests" >&2; exit 1; fi

serve: $(VENV)/.deps ## install what is needed and serve the site at http://127.0.0.1:8000 (English /, Chinese /zh/)
	$(VENV)/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: $(VENV)/.deps ## install what is needed and build the site into site/ (strict)
	$(VENV)/bin/mkdocs build --strict

pages: $(VENV)/.deps ## regenerate docs/ from data/ (mkdocs build and serve do this themselves)
	$(PY) -m scripts.generate

check: $(VENV)/.deps ## validate data/ and report every problem
	$(PY) -m scripts.validate

test: $(VENV)/.test-deps /usr/bin/chromium node_modules/.package-lock.json ## install what is needed and run every test
	$(PY) -m pytest -q; rc=$$?; \
	if [ $$rc = 5 ]; then echo "pytest collected no tests: that is a failure here" >&2; exit 1; fi; exit $$rc

benchmark: $(VENV)/.test-deps /usr/bin/chromium ## measure build, generation, edit loop, page weight, search speed and Lighthouse; record them in benchmarks/ (about 20 minutes)
	$(PY) -m scripts.benchmark --studies 100 1000 5000 --repeat 3 --edit-loop --reader --json benchmarks/results.json
	bash scripts/lighthouse.sh

test-quick: $(VENV)/.test-deps ## the fast subset: no site build, no browser
	$(PY) -m pytest -q -m "not slow"; rc=$$?; [ $$rc = 5 ] && exit 1; exit $$rc
