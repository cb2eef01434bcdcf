// A store to physical space nothing claims is dropped and the machine goes
// on (Linux's MCA CPE polling IPIs a CPU whose sapicid is -1, a write to
// 0xfedffff0 just below the processor interrupt block); ia64sim reports the
// dropped writes. RAM and the devices still work afterwards.
// expect-ia64sim: 3 writes to unclaimed physical addresses dropped (last 0xfedffff0)
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = 0x7000000000;;		// far above RAM
	st8 [r2] = r0
	movl r3 = 0xfe000000;;
	st4 [r3] = r0
	movl r4 = 0xfedffff0;;			// IPI to sapicid -1
	st8 [r4] = r0;;
	movl r5 = word
	mov r6 = 0x55;;
	st8 [r5] = r6;;
	ld8 r7 = [r5];;
	EXPECT(r7, 0x55, 1)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.data
	.align 8
word:	data8 0
