# guest-kernel/: the crash-injection module, built against Debian's headers
# for the guest kernel (downloaded and unpacked under build/cache/headers/,
# never installed). `make guest-module` builds it for the default kernel,
# the one linux-image-amd64 depends on; GK_KVER=... picks another.
GK_KVER ?= $(shell apt-cache depends linux-image-amd64 2>/dev/null | \
	awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $$2); print $$2; exit }')
GK_MODULE := $(BUILD)/guest-kernel/$(GK_KVER)/dumplab_crash.ko
GK_SRCS := $(wildcard guest-kernel/*.c guest-kernel/*.h) guest-kernel/Kbuild \
	guest-kernel/build-module.sh harness/include/dumplab/marker.h

.PHONY: guest-module
guest-module: $(GK_MODULE)

$(GK_MODULE): $(GK_SRCS)
	@test -n "$(GK_KVER)" || { echo "guest-kernel: apt knows no linux-image-amd64; run apt-get update" >&2; exit 1; }
	BUILD=$(BUILD) bash guest-kernel/build-module.sh $(GK_KVER) $(dir $@) >/dev/null
	@touch $@

# Builds the module itself (it needs the headers, so it is not in ALL_BINS)
# and checks it against the kernel image's own modules.
UNIT_TESTS += guest-kernel/test-module.sh

# Boots the guest kernel under plain QEMU TCG (no libvirt, no kdump) once per
# fault kind and checks each fault from the console; a few minutes.
INTEG_TESTS += guest-kernel/boot-faults.sh

# Linux/ia64 on the IA-64 model: skips until guest-kernel/ia64/linux/
# build-kernel.sh has built and cached the kernel (make ia64-linux).
UNIT_TESTS += guest-kernel/ia64/linux/test-boot.sh
UNIT_TESTS += guest-kernel/ia64/linux/test-decode.sh
UNIT_TESTS += guest-kernel/ia64/linux/test-kdump.sh
UNIT_TESTS += guest-kernel/ia64/linux/test-kdump-init.sh
UNIT_TESTS += guest-kernel/ia64/linux/test-kdump-load.sh
