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

.PHONY: all build deps services run test unit-test integ-test bench clean format cppcheck

# `make` alone only builds; it needs the packages `make deps` installs and
# says so when they are missing (see harness-pkgs in harness/harness.mk).
all: build-all

include harness/harness.mk
include hw-ia64-sal/ia64.mk
include vm-images/images.mk
include guest-kernel/guest-kernel.mk
include guest-kernel/ia64/ia64-guest.mk
include guest-kernel/ia64/linux/linux.mk
include qemu-patches/qemu.mk

build-all: $(ALL_BINS)

# The tests of ci/ itself (first run, TAP runner).
UNIT_TESTS += $(sort $(wildcard ci/tests/*.sh))

# Installs the Debian packages that are missing (idempotent, about a second
# when nothing is). DEPS_CMD is a seam for ci/tests/first-run.sh.
DEPS_CMD ?= bash ci/install-deps.sh
deps:
	@$(DEPS_CMD)

# Install first, then build in a new make: the compiler flags come from
# pkg-config when a Makefile is read, so the make that builds must start
# after the packages are there. That is what lets `make run` and `make test`
# pass on the first try on a fresh machine.
BUILD_GOALS ?= build-all
build: deps
	@$(MAKE) --no-print-directory $(BUILD_GOALS)

# Starts virtlogd and libvirtd when no daemon answers on the local
# qemu:///system (waits up to 60 s, saying for what).
services: deps
	@bash ci/start-services.sh

# IA-64 scenarios (arch = ia64) run on the model: no guest images, no libvirt.
IA64_ONLY = $(if $(wildcard $(SCENARIO)),$(if $(shell find $(SCENARIO) -name '*.scn' 2>/dev/null | \
	xargs -r grep -L '^ *arch *= *ia64'),,yes))
# The default (x86_64) scenario needs no qemu-system-ia64: `make run` builds
# it (8+ minutes on a fresh machine) only for scenarios with platform = qemu.
NEEDS_QEMU = $(if $(wildcard $(SCENARIO)),$(shell find $(SCENARIO) -name '*.scn' 2>/dev/null | \
	xargs -r grep -l '^ *platform *= *qemu'))
run: export NO_QEMU_IA64 := $(if $(NO_QEMU_IA64),$(NO_QEMU_IA64),$(if $(NEEDS_QEMU),,1))
run: build
	@$(if $(IA64_ONLY),true,$(MAKE) --no-print-directory images)
	@$(if $(IA64_ONLY),true,bash ci/start-services.sh)
	$(BUILD)/dumplab run $(SCENARIO)

test: build
	@$(MAKE) --no-print-directory images
	@$(MAKE) --no-print-directory ia64-linux
	@bash ci/start-services.sh
	@bash ci/tap-run.sh $(UNIT_TESTS) $(INTEG_TESTS)

unit-test: build
	@bash ci/tap-run.sh $(UNIT_TESTS)

integ-test: build
	@$(MAKE) --no-print-directory images
	@$(MAKE) --no-print-directory ia64-linux
	@bash ci/start-services.sh
	@bash ci/tap-run.sh $(INTEG_TESTS)

bench: build
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
