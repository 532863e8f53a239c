# Top-level entry points. Each target installs what it needs first (idempotent).
BUILD ?= build
SHARED ?= $(abspath ../shared)
JOBS ?= $(shell nproc)

.PHONY: deps configure build smoke test bench clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DPERFTUNEREPORT_SHARED_DIR=$(SHARED) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Until the report issue lands, the smoke target runs an end-to-end import of the
# fixtures into a fresh campaign and aggregates it.
smoke: build
	@bash scripts/smoke.sh $(BUILD) $(SHARED)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
