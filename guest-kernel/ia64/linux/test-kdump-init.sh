#!/usr/bin/env bash
# tap-timeout: 1800
# test-kdump.sh with the platform INIT as the fault: every CPU takes the
# INIT once the first kernel's init says it is armed, Linux's INIT handler
# (ia64_os_init_dispatch -> ia64_init_handler -> kdump_init_notifier)
# boots the capture kernel, and the vmcore proves itself the same way.
KDUMP_FAULT=init exec bash "$(dirname "$0")/test-kdump.sh"
