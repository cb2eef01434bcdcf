# vm-images/: the guest image (kernel + initramfs with the agent) is built by
# build-image.sh, which caches by content under build/images/. `make images`
# builds or reuses the default one; `dumplab run` asks for the one a scenario
# needs.
.PHONY: images
images:
	bash vm-images/build-image.sh >/dev/null

# The crash-kernel agent's disk writer, built for the host.
UNIT_TESTS += vm-images/agent/test-diskwriter.sh
