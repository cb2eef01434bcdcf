#!/usr/bin/env bash
# Programs that must NOT pass (tests/negative/*.S): the harness counts a
# program as passing only when it halts the machine with code 0 through
# the halt device. Each program here stops some other way and names the
# ia64sim exit status it must get (// expect-exit:); an exit 0 fails.
exec bash "$(dirname "$0")/run-isa.sh" negative
