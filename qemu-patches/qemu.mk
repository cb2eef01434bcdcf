# qemu-patches/: qemu-system-ia64 from Debian's QEMU source + the series in
# patches/ + hw-ia64-sal. The binary lives in a content-addressed cache
# outside the work tree (QEMU_IA64_CACHE, default /var/cache/dumplab/qemu-ia64;
# see build.sh), so it survives `make clean` and a second make does nothing.
# The first build takes about 8 minutes on 2 cores; NO_QEMU_IA64=1 leaves it
# out of `make` (tests that need it then skip and say why).

QEMU_IA64 := $(shell bash qemu-patches/build.sh --print-path 2>/dev/null)
export QEMU_IA64

ifeq ($(NO_QEMU_IA64),)
ifneq ($(QEMU_IA64),)
ALL_BINS += $(QEMU_IA64)
endif
endif
# Need the binary (they skip, saying why, when it is missing); the libvirt
# one also needs the daemon (`make test` starts it).
INTEG_TESTS += qemu-patches/tests/ia64-isa.sh qemu-patches/tests/ia64-determinism.sh \
               qemu-patches/tests/ia64-libvirt.sh qemu-patches/tests/ia64-migrate.sh

$(QEMU_IA64):
	bash qemu-patches/build.sh

.PHONY: qemu-ia64
qemu-ia64:
	bash qemu-patches/build.sh

# Guest programs of the QEMU tests that ia64sim cannot run (they need the
# virtual clock): built like hw-ia64-sal's, with its rule's recipe.
QEMU_IA64_ELFS := $(patsubst qemu-patches/tests/%.S,$(BUILD)/ia64/qemu-tests/%.elf,$(wildcard qemu-patches/tests/*.S))
ALL_BINS += $(QEMU_IA64_ELFS)

$(BUILD)/ia64/qemu-tests/%.elf: qemu-patches/tests/%.S $(wildcard hw-ia64-sal/tests/include/*.h)
	@mkdir -p $(dir $@)
	$(CC) -E -P -x assembler-with-cpp -Ihw-ia64-sal/tests/include -Ihw-ia64-sal/include \
	  -D__ASSEMBLY__ -o $(@:.elf=.s) $<
	$(IA64_AS) -x -o $(@:.elf=.o) $(@:.elf=.s)
	$(IA64_LD) -N -e _start -Ttext=$(IA64_TEXT) -o $@ $(@:.elf=.o)
