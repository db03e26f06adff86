# liftplan — every command a developer or CI needs. `make run` and `make test` work on a fresh
# machine: they install what is missing and find (or start) PostgreSQL themselves.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO      ?= go
NPM     ?= npm
SQLC    := $(GO) run github.com/sqlc-dev/sqlc/cmd/sqlc@v1.31.1
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X liftplan/internal/app.version=$(VERSION)
# DEVDB prints a PostgreSQL URL: DATABASE_URL, else 127.0.0.1:5432, else a private cluster in .data/.
DEVDB   := $(GO) run ./internal/devdb/cmd/devdb
VENDOR  := static/vendor/htmx.min.js static/vendor/sse.js

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z.-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

static/node_modules/.package-lock.json: static/package.json static/package-lock.json
	cd static && $(NPM) ci --no-audit --no-fund --loglevel=error

static/vendor/htmx.min.js: static/node_modules/.package-lock.json
	cp static/node_modules/htmx.org/dist/htmx.min.js $@
static/vendor/sse.js: static/node_modules/.package-lock.json
	cp static/node_modules/htmx-ext-sse/dist/sse.js $@

# static/vendor is embedded whole, so only what pages load goes there. axe-core is for the
# browser tests, which read it from static/node_modules and inject it over the DevTools protocol;
# a copy left in vendor/ by an older checkout would ship in the binary, so it is removed.
.PHONY: assets
assets: $(VENDOR) ## copy htmx and its SSE extension from npm into static/vendor (axe-core stays in node_modules, for tests)
	rm -f static/vendor/axe.min.js

.PHONY: generate
generate: ## regenerate templ views (and sqlc queries: make sqlc)
	$(GO) tool templ generate -log-level error

.PHONY: sqlc
sqlc: ## regenerate internal/db/dbq from internal/db/queries
	cd internal/db && $(SQLC) generate

.PHONY: deps
deps:
	$(GO) mod download

.PHONY: build
build: deps assets generate ## build bin/liftplan
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/liftplan .

# LLM=fake generates through the OpenAI-compatible provider against the fake server of
# internal/llm/llmtest on a free port: the whole LLM path (structured output, retries, repairs,
# accounting, streaming) without an API key, at a real model's pace (FAKELLM_TPS tokens/s after
# FAKELLM_TTFT) so the days appear one by one. FAKELLM_SCRIPT scripts its first answers, e.g.
# `make run LLM=fake FAKELLM_SCRIPT=rate_limited,invalid_json`; FAKELLM_TPS=0 answers at once.
LLM            ?=
FAKELLM_SCRIPT ?=
FAKELLM_TPS    ?= 80
FAKELLM_TTFT   ?= 700ms

.PHONY: run
run: build ## migrate, create the demo accounts and serve on http://127.0.0.1:8080 (LLM=fake: via a fake LLM server)
	url=$$($(DEVDB) url) || exit 1; export DATABASE_URL=$$url; \
	./bin/liftplan migrate >/dev/null; \
	./bin/liftplan demo; \
	if [ "$(LLM)" != fake ]; then exec ./bin/liftplan serve; fi; \
	$(GO) build -o bin/fakellm ./internal/llm/llmtest/cmd/fakellm; \
	port=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	./bin/fakellm -addr 127.0.0.1:$$port -script "$(FAKELLM_SCRIPT)" -tps $(FAKELLM_TPS) -ttft $(FAKELLM_TTFT) & fake=$$!; \
	trap 'kill $$fake 2>/dev/null; wait $$fake 2>/dev/null' EXIT; \
	for i in $$(seq 100); do python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$$port/v1/models', timeout=1)" 2>/dev/null && break; sleep 0.1; done; \
	export LLM_PROVIDER=openai OPENAI_API_KEY=fake-key OPENAI_BASE_URL=http://127.0.0.1:$$port/v1; \
	./bin/liftplan llm check; \
	./bin/liftplan serve

.PHONY: test
test: build ## every test (unit, PostgreSQL, River, headless Chromium, bounded reliability scenarios), then the contract walk
	url=$$($(DEVDB) url) || exit 1; export DATABASE_URL=$$url; \
	LIFTPLAN_BINARY=$(CURDIR)/bin/liftplan $(GO) test -count=1 -timeout 15m ./...
	$(MAKE) --no-print-directory fuzz-short
	$(MAKE) --no-print-directory contract

# Fuzz targets as package:Name. Go fuzzes one target per run; a failing input is written to the
# package's testdata/fuzz/<Name>/ and replays in every plain `go test` from then on.
FUZZ_TARGETS := internal/programs:FuzzParseForm internal/cache:FuzzKey internal/science:FuzzValidate internal/science:FuzzEnhance
FUZZTIME ?= 5s
RELIABILITY_FUZZTIME ?= 60s

.PHONY: fuzz-short
fuzz-short: ## run every fuzz target for FUZZTIME (5s) each; part of make test
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	done

# Long-running checks that do not fit in make test: the reliability scenarios of issue 8 at full
# size (crash, graceful stop, database restart, LLM fault mix; make test runs them bounded),
# which write RELIABILITY.md, then every fuzz target for RELIABILITY_FUZZTIME.
.PHONY: reliability
reliability: build ## full-size reliability scenarios → RELIABILITY.md, then every fuzz target for RELIABILITY_FUZZTIME (60s)
	url=$$($(DEVDB) url) || exit 1; export DATABASE_URL=$$url; \
	rows=$$(mktemp); trap 'rm -f $$rows' EXIT; start=$$(date +%s); \
	LIFTPLAN_RELIABILITY=full LIFTPLAN_RELIABILITY_REPORT=$$rows LIFTPLAN_BINARY=$(CURDIR)/bin/liftplan \
		$(GO) test -count=1 -timeout 20m -v ./internal/reliability/; \
	$(GO) run ./internal/reliability/cmd/reliabilityreport -rows $$rows -seconds $$(( $$(date +%s) - start )) -out RELIABILITY.md; \
	echo "wrote RELIABILITY.md"
	$(MAKE) --no-print-directory fuzz-short FUZZTIME=$(RELIABILITY_FUZZTIME)

# The shared contract walk (DESIGN §5 as a browser without JavaScript sees it), run against a
# real `liftplan serve` on a free port and its own database.
CONTRACT_CHECK ?= $(firstword $(wildcard ../shared/contract-check /work/shared/contract-check))
.PHONY: contract
contract: build ## run ../shared/contract-check against a fresh server
	@if [ -z "$(CONTRACT_CHECK)" ]; then echo "WARNING: contract-check not found next to the repo (../shared); the Go tests cover the same contract. Set CONTRACT_CHECK=path to run it."; exit 0; fi
	@url=$$($(DEVDB) url) || exit 1; \
	db="$${url%%\?*}"; db="$${db%/*}/liftplan_contract?sslmode=disable"; \
	port=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	DATABASE_URL="$$db" LISTEN_ADDR=127.0.0.1:$$port LOG_LEVEL=warn ./bin/liftplan serve & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 300); do python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$$port/readyz', timeout=1)" 2>/dev/null && break; sleep 0.1; done; \
	python3 "$(CONTRACT_CHECK)" http://127.0.0.1:$$port

.PHONY: bench
bench: build ## the benchmark harness: prints one table, writes BENCHMARKS.md (under 15 minutes)
	url=$$($(DEVDB) url) || exit 1; export DATABASE_URL=$$url; \
	$(GO) run ./internal/bench/cmd/liftbench -binary bin/liftplan -out BENCHMARKS.md

.PHONY: screenshots
screenshots: build ## retake the README pictures (static/screenshots) with headless Chromium
	url=$$($(DEVDB) url) || exit 1; export DATABASE_URL=$$url; \
	LIFTPLAN_SCREENSHOTS=$(CURDIR)/static/screenshots $(GO) test -count=1 -run 'TestBrowserGenerateLive|TestBrowserProgramOnPhone|TestBrowserFormKeepsAnswers|TestBrowserDaysArrive|TestBrowserCoachPrograms' ./web/

.PHONY: lint
lint: deps assets ## go vet, gofmt, and generated code up to date
	$(GO) vet ./...
	@out="$$(gofmt -l . | grep -v '^static/node_modules' || true)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) tool templ generate -log-level error
	@git diff --exit-code -- views || { echo "templ output is stale: run make generate and commit"; exit 1; }
	cd internal/db && $(SQLC) diff

.PHONY: db-stop
db-stop: ## stop the private PostgreSQL cluster under .data/ (if one runs)
	$(DEVDB) stop

.PHONY: clean
clean:
	rm -rf bin static/vendor/*.js
