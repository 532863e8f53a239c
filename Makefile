# Top-level entry points. Each target installs what it needs first (idempotent).
BUILD ?= build
SHARED ?= $(abspath ../shared)
JOBS ?= $(shell nproc)

.PHONY: deps configure build smoke smoke-import mcp-deps browser-deps test test-asan test-tsan fuzz bench clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DPERFTUNEREPORT_SHARED_DIR=$(SHARED) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The smoke report: the bundled synthetic 40-cell campaign rendered to build/smoke.pdf.
smoke: build
	@$(BUILD)/perftunereport report_smoke --out $(BUILD)/smoke.pdf

# End-to-end import of the shared fixtures into a fresh campaign, then its report.
smoke-import: build
	@bash scripts/smoke.sh $(BUILD) $(SHARED)

# The MCP tests' client (the official MCP SDK) comes from npm, pinned by the lockfile.
mcp-deps: deps
	@cd tests/mcp && { [ -d node_modules/@modelcontextprotocol/sdk ] || npm ci --no-audit --no-fund --loglevel=error; }

# The browser tests' driver (playwright-core, pinned by its lockfile) for Debian's chromium.
browser-deps: deps
	@cd tests/browser && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; }

test: build mcp-deps browser-deps
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The suite under AddressSanitizer + UBSan, or ThreadSanitizer, each in its own
# build folder (not part of CI: a sanitized build takes several times longer).
# fontconfig's process-lifetime caches are not leaks of ours (tests/asan.supp).
test-asan: configure mcp-deps browser-deps
	@cmake -S . -B $(BUILD)-asan -DPERFTUNEREPORT_SHARED_DIR=$(SHARED) -DPERFTUNEREPORT_SANITIZE=address,undefined >/dev/null
	@cmake --build $(BUILD)-asan -j $(JOBS)
	@cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/asan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

test-tsan: configure mcp-deps browser-deps
	@cmake -S . -B $(BUILD)-tsan -DPERFTUNEREPORT_SHARED_DIR=$(SHARED) -DPERFTUNEREPORT_SANITIZE=thread >/dev/null
	@cmake --build $(BUILD)-tsan -j $(JOBS)
	@cd $(BUILD)-tsan && TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/tsan.supp" ctest --output-on-failure -j $(JOBS)

# libFuzzer over every parser (fuzz/): clang builds an instrumented core in
# $(BUILD)-fuzz, then each harness runs FUZZ_SECONDS (or 1,000,000 inputs),
# seeded with the saved corpus and the shared fixtures. Not part of CI: CI
# replays the saved corpus (the fuzz_corpus_replay test).
FUZZ_SECONDS ?= 300
fuzz: build
	@bash scripts/install-deps.sh --fuzz
	@CXX=clang++ cmake -S . -B $(BUILD)-fuzz -DPERFTUNEREPORT_SHARED_DIR=$(SHARED) -DPERFTUNEREPORT_FUZZ=ON \
	  -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DBUILD_TESTING=OFF >/dev/null
	@cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzz_all
	@bash fuzz/run.sh $(BUILD)-fuzz $(BUILD) $(SHARED) $(FUZZ_SECONDS)

bench: build
	@bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
