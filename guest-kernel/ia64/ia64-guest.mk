# guest-kernel/ia64/: the IA-64 kdump guests, a first kernel and a capture
# kernel in IA-64 assembly, preprocessed with the host cpp and assembled
# with Debian's binutils-ia64-linux-gnu (.auto mode, as -x), like
# hw-ia64-sal's test programs. hw-ia64-sal/tools/ia64kdump runs them.
KD64_OUT   := $(BUILD)/ia64/guest
KD64_ELFS  := $(KD64_OUT)/first.elf $(KD64_OUT)/capture.elf
KD64_DEPS  := guest-kernel/ia64/layout.h $(wildcard hw-ia64-sal/include/ia64/*.h)
ALL_BINS   += $(KD64_ELFS)
# The TAP tests: one scenario run per stop method and fault, the variants
# that must fail, eu-readelf as referee, and the exhaustive exploration.
UNIT_TESTS += guest-kernel/ia64/tests/run-kdump64.sh

# Link addresses: layout.h's KD_KERNEL_PA and KD_XS.
$(KD64_OUT)/first.elf: KD64_TEXT := 0x100000
$(KD64_OUT)/capture.elf: KD64_TEXT := 0x200000

$(KD64_OUT)/%.elf: guest-kernel/ia64/%.S $(KD64_DEPS)
	@mkdir -p $(dir $@)
	$(CC) -E -P -x assembler-with-cpp -Iguest-kernel/ia64 -Ihw-ia64-sal/include \
	  -D__ASSEMBLY__ -o $(@:.elf=.s) $<
	@# .auto mode warns once that it ignores the explicit stops; say nothing else away
	$(IA64_AS) -x -o $(@:.elf=.o) $(@:.elf=.s) 2>$(@:.elf=.log); rc=$$?; \
	  grep -v -e 'Assembler messages' -e 'Explicit stops are ignored in auto mode' \
	    $(@:.elf=.log) >&2; exit $$rc
	$(IA64_LD) -N -e _start -Ttext=$(KD64_TEXT) --no-warn-rwx-segments -o $@ $(@:.elf=.o)

.PHONY: ia64-guest
ia64-guest: $(KD64_ELFS) $(BUILD)/bin/ia64kdump
