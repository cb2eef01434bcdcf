# dumplab: top-level build. Each component adds its own rules in a fragment
# (harness/harness.mk, hw-ia64-sal/ia64.mk, vm-images/images.mk,
# guest-kernel/guest-kernel.mk); this file holds what they share.

BUILD    ?= build
CC       ?= gcc
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Wshadow -Wno-unused-parameter
DEPFLAGS  = -MMD -MP
SCENARIO ?= scenarios/default.scn
# Tests register themselves: UNIT_TESTS run fast on synthetic input,
# INTEG_TESTS boot real guests. Each is an executable that prints TAP lines.
UNIT_TESTS  :=
INTEG_TESTS :=
ALL_BINS    :=

.PHONY: all deps services run test unit-test integ-test bench clean format cppcheck

all: build-all

include harness/harness.mk
include hw-ia64-sal/ia64.mk
include vm-images/images.mk
include guest-kernel/guest-kernel.mk
include qemu-patches/qemu.mk

build-all: $(ALL_BINS)

# Installs the Debian packages that are missing (idempotent and quick when
# nothing is), then starts virtlogd and libvirtd when no daemon answers.
deps:
	@bash ci/install-deps.sh

services: deps
	@bash ci/start-services.sh

run: services build-all images
	$(BUILD)/dumplab run $(SCENARIO)

test: deps
	@$(MAKE) --no-print-directory build-all
	@$(MAKE) --no-print-directory services images
	@bash ci/tap-run.sh $(UNIT_TESTS) $(INTEG_TESTS)

unit-test: deps
	@$(MAKE) --no-print-directory build-all
	@bash ci/tap-run.sh $(UNIT_TESTS)

integ-test: services build-all images
	@bash ci/tap-run.sh $(INTEG_TESTS)

bench: build-all
	@bash bench/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

cppcheck:
	cppcheck --quiet --library=gtk --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem -I harness/include -I hw-ia64-sal/include \
	  $$(git ls-files '*.c')

clean:
	rm -rf $(BUILD)/obj $(BUILD)/dumplab $(BUILD)/bin

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
