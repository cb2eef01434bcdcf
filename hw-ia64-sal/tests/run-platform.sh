#!/usr/bin/env bash
# The platform test programs (tests/platform/*.S): firmware calls, INIT
# delivery, monarch and slaves. Same conventions as run-isa.sh.
exec bash "$(dirname "$0")/run-isa.sh" platform
