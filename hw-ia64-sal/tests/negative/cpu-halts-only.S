// Not a passing program: both CPUs stop themselves (halt device +8, code
// 0) and nobody halts the machine with a result. ia64sim exits 5 (stopped
// without an explicit result), never 0.
// ia64sim: --cpus 2
// expect-exit: 5
#include "ia64test.h"

	.text
	.global _start
_start:
	HALT_CPU
