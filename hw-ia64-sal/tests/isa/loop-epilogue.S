// The modulo-scheduled loop branches at the very end of the epilogue
// (SDM vol 3 br: ctop/cexit with LC = 0 and EC = 0, wtop/wexit with a
// false qp and EC = 0): PR[63] is cleared, nothing rotates, LC and EC stay
// 0; ctop and wtop fall through, cexit and wexit are taken.
#include "ia64test.h"

// Sets p63 and p16 (rrb.pr = 0), then runs the branch in slot 2 with
// LC = EC = 0; p7 is the taken flag.
#define EPILOGUE_END(br_insn, n)                                        \
	mov ar.lc = 0;                                                  \
	mov ar.ec = 0;                                                  \
	mov pr.rot = 1 << 16;;                                          \
	cmp.eq p63, p0 = r0, r0;                                        \
	cmp.ne p6, p0 = r0, r0;                                         \
	cmp.ne p7, p0 = r0, r0;;                                        \
	{ .mib; nop.m 0; nop.i 0; br_insn 1f;; }                        \
	br.cond.sptk.few 2f;;                                           \
1:	cmp.eq p7, p0 = r0, r0;;                                        \
2:	mov r2 = pr;;                                                   \
	extr.u r3 = r2, 63, 1;;                                         \
	EXPECT(r3, 0, n)			/* PR[63] cleared */    \
	extr.u r3 = r2, 16, 1;;                                         \
	EXPECT(r3, 1, n + 1)			/* no rotation */       \
	mov r3 = ar.lc;;                                                \
	EXPECT(r3, 0, n + 2)                                            \
	mov r3 = ar.ec;;                                                \
	EXPECT(r3, 0, n + 3)

	.text
	.global _start
_start:
	EPILOGUE_END(br.ctop.sptk.few, 10)
	EXPECT_NOT_P(p7, 14)			// ctop: not taken
	EPILOGUE_END(br.cexit.sptk.few, 20)
	EXPECT_P(p7, 24)			// cexit: taken
	EPILOGUE_END((p6) br.wtop.sptk.few, 30)
	EXPECT_NOT_P(p7, 34)
	EPILOGUE_END((p6) br.wexit.sptk.few, 40)
	EXPECT_P(p7, 44)
	br.cond.sptk.few test_pass;;

	TEST_EXITS
