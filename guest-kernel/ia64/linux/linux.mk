# Linux/ia64 for the IA-64 model: the cross gcc (build-toolchain.sh) and the
# kernel (build-kernel.sh), each cached by content under
# /var/cache/dumplab, so only the first `make test` on a machine pays for
# them (about 13 minutes on 2 idle cores). `make test` builds them unless
# NO_IA64_LINUX=1; a build that cannot run (no deb-src, no network) is
# reported and the Linux/ia64 tests then skip, saying why.
.PHONY: ia64-linux
ia64-linux:
	@if [ -n "$(NO_IA64_LINUX)" ]; then echo "ia64-linux: skipped (NO_IA64_LINUX)"; \
	elif ! bash guest-kernel/ia64/linux/build-kernel.sh >$(BUILD)/ia64-linux.log 2>&1; then \
	  echo "ia64-linux: not built, the Linux/ia64 tests will skip: $$(tail -n1 $(BUILD)/ia64-linux.log)" >&2; \
	fi
