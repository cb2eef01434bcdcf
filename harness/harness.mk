# harness/: libdumplab (harness/lib), the dumplab command (harness/cmd),
# tools (harness/tools) and tests (harness/tests). harness/lib/ is grouped
# by data flow (see harness/README.md); its sources are picked up recursively
# so a new file or folder needs no edit here.

# zlib, lzo2, snappy and zstd: the page compressions of kdump-compressed dumps.
PKGS        := glib-2.0 gio-2.0 json-glib-1.0 libvirt libvirt-qemu libelf zlib lzo2 libzstd snappy
# Read when this Makefile is read: `make run`/`make test` therefore build in a
# second make started after `deps` (see the top Makefile).
PKG_OK      := $(shell pkg-config --exists $(PKGS) 2>/dev/null && echo yes)
ifeq ($(PKG_OK),yes)
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS    := $(shell pkg-config --libs $(PKGS))
else
PKG_MISSING := $(foreach p,$(PKGS),$(if $(shell pkg-config --exists $p 2>/dev/null && echo y),,$p))
endif
H_CFLAGS    := $(CFLAGS) $(WARN) -std=gnu11 -Iharness/include $(PKG_CFLAGS) $(DEPFLAGS)
SAN_FLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

HLIB_SRCS   := $(sort $(shell find harness/lib -name '*.c'))
HCMD_SRCS   := $(wildcard harness/cmd/*.c)
HTOOL_SRCS  := $(wildcard harness/tools/*.c)
HUNIT_SRCS  := $(wildcard harness/tests/unit/test-*.c)
HUNIT_HELP  := $(filter-out $(HUNIT_SRCS),$(wildcard harness/tests/unit/*.c))

HLIB        := $(BUILD)/obj/libdumplab.a
HLIB_SAN    := $(BUILD)/obj/san/libdumplab.a
HTOOLS      := $(patsubst harness/tools/%.c,$(BUILD)/bin/%,$(HTOOL_SRCS))
HUNIT       := $(patsubst harness/tests/unit/%.c,$(BUILD)/tests/%,$(HUNIT_SRCS))
HUNIT_SAN   := $(patsubst harness/tests/unit/%.c,$(BUILD)/tests/san/%,$(HUNIT_SRCS))

ALL_BINS    += $(BUILD)/dumplab $(HTOOLS) $(HUNIT) $(HUNIT_SAN)
UNIT_TESTS  += $(HUNIT) $(HUNIT_SAN)
INTEG_TESTS += $(sort $(filter-out %/lib.sh %/remote-hosts.sh,$(wildcard harness/tests/integ/*.sh)))

# Every harness object waits for this check, so a build without the
# development packages stops at once with the command that installs them
# instead of "glib.h: No such file or directory".
.PHONY: harness-pkgs
harness-pkgs:
ifneq ($(PKG_OK),yes)
	@echo "dumplab: pkg-config finds no $(or $(PKG_MISSING),pkg-config): the development packages are missing." >&2
	@echo "dumplab: install them with 'make deps' (as root; the list is ci/packages.txt)," >&2
	@echo "dumplab: or run 'make run' / 'make test', which install them before building." >&2
	@exit 1
endif

$(BUILD)/obj/%.o: %.c | harness-pkgs
	@mkdir -p $(dir $@)
	$(CC) $(H_CFLAGS) -c -o $@ $<

$(BUILD)/obj/san/%.o: %.c | harness-pkgs
	@mkdir -p $(dir $@)
	$(CC) $(H_CFLAGS) $(SAN_FLAGS) -O1 -c -o $@ $<

$(HLIB): $(patsubst %.c,$(BUILD)/obj/%.o,$(HLIB_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(HLIB_SAN): $(patsubst %.c,$(BUILD)/obj/san/%.o,$(HLIB_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/dumplab: $(patsubst %.c,$(BUILD)/obj/%.o,$(HCMD_SRCS)) $(HLIB)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bin/%: $(BUILD)/obj/harness/tools/%.o $(HLIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/test-%: $(BUILD)/obj/harness/tests/unit/test-%.o \
		$(patsubst %.c,$(BUILD)/obj/%.o,$(HUNIT_HELP)) $(HLIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/san/test-%: $(BUILD)/obj/san/harness/tests/unit/test-%.o \
		$(patsubst %.c,$(BUILD)/obj/san/%.o,$(HUNIT_HELP)) $(HLIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS)
include harness/fuzz/fuzz.mk
