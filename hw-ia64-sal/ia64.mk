# hw-ia64-sal/: the IA-64 platform model. Everything is picked up by
# wildcard:
#   hw-ia64-sal/src/**/*.c           -> $(BUILD)/obj/libia64sal.a (libc and libm: the
#                                       F-unit computes through long double)
#   hw-ia64-sal/tools/*.c            -> $(BUILD)/bin/<name> (linked with the objects,
#                                       so weak hooks can be overridden)
#   hw-ia64-sal/tests/**/test-*.c    -> $(BUILD)/tests/ia64/test-* (UNIT_TESTS)
#   hw-ia64-sal/tests/<dir>/*.S      -> $(BUILD)/ia64/tests/<dir>/<name>.elf, preprocessed
#                                       with the host cpp, assembled with
#                                       ia64-linux-gnu-as -x, linked at IA64_TEXT
#   hw-ia64-sal/tests/run-*.sh       -> UNIT_TESTS (each runs a directory of ELFs)
#   hw-ia64-sal/tests/run-*.c        -> $(BUILD)/tests/ia64/run-* (UNIT_TESTS)

IA64_AS      ?= ia64-linux-gnu-as
IA64_LD      ?= ia64-linux-gnu-ld
IA64_TEXT    ?= 0x100000
IA64_CFLAGS  := $(CFLAGS) $(WARN) -std=c11 -D_DEFAULT_SOURCE -Ihw-ia64-sal/include $(DEPFLAGS)

IA64_SRCS    := $(shell find hw-ia64-sal/src -name '*.c' 2>/dev/null)
IA64_OBJS    := $(patsubst %.c,$(BUILD)/obj/%.o,$(IA64_SRCS))
IA64_LIB     := $(BUILD)/obj/libia64sal.a
IA64_TOOLS   := $(patsubst hw-ia64-sal/tools/%.c,$(BUILD)/bin/%,$(wildcard hw-ia64-sal/tools/*.c))
IA64_CTESTS  := $(patsubst hw-ia64-sal/%.c,%,$(shell find hw-ia64-sal/tests -name 'test-*.c' -o -name 'run-*.c' 2>/dev/null))
IA64_CTEST_BINS := $(patsubst %,$(BUILD)/tests/ia64/%,$(notdir $(IA64_CTESTS)))
IA64_ASM     := $(shell find hw-ia64-sal/tests -name '*.S' 2>/dev/null)
IA64_ELFS    := $(patsubst hw-ia64-sal/tests/%.S,$(BUILD)/ia64/tests/%.elf,$(IA64_ASM))

ALL_BINS     += $(IA64_LIB) $(IA64_TOOLS) $(IA64_ELFS) $(IA64_CTEST_BINS)
UNIT_TESTS   += $(sort $(wildcard hw-ia64-sal/tests/run-*.sh)) $(IA64_CTEST_BINS)

$(BUILD)/obj/hw-ia64-sal/%.o: hw-ia64-sal/%.c
	@mkdir -p $(dir $@)
	$(CC) $(IA64_CFLAGS) -c -o $@ $<

$(IA64_LIB): $(IA64_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/obj/hw-ia64-sal/tools/%.o $(IA64_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -lm

# C test programs may live in any tests/ subdirectory; the binary is named
# after the file.
define IA64_CTEST_RULE
$(BUILD)/tests/ia64/$(notdir $(1)): $(BUILD)/obj/hw-ia64-sal/$(1).o $(IA64_OBJS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) -o $$@ $$^ -lm
endef
$(foreach t,$(IA64_CTESTS),$(eval $(call IA64_CTEST_RULE,$(t))))

$(BUILD)/ia64/tests/%.elf: hw-ia64-sal/tests/%.S $(wildcard hw-ia64-sal/tests/include/*.h)
	@mkdir -p $(dir $@)
	$(CC) -E -P -x assembler-with-cpp -Ihw-ia64-sal/tests/include -Ihw-ia64-sal/include \
	  -D__ASSEMBLY__ -o $(@:.elf=.s) $<
	$(IA64_AS) -x -o $(@:.elf=.o) $(@:.elf=.s)
	$(IA64_LD) -N -e _start -Ttext=$(IA64_TEXT) -o $@ $(@:.elf=.o)

# Builds just this component: `make ia64`.
.PHONY: ia64
ia64: $(IA64_LIB) $(IA64_TOOLS) $(IA64_ELFS) $(IA64_CTEST_BINS)
