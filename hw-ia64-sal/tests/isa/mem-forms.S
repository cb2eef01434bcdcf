// Loads and stores of 1, 2, 4 and 8 bytes (zero extension, partial
// writes, post-increment by register and immediate, acquire/release
// forms), the semaphores at every size (xchg, cmpxchg with ar.ccv,
// fetchadd), ld8.fill/st8.spill with ar.unat, and the floating-point state
// save path: setf/getf and stf.spill/ldf.fill (memory layout checked).
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = buf;;
	movl r3 = 0x8877665544332211;;
	st8 [r2] = r3;;
	ld1 r4 = [r2];;
	EXPECT(r4, 0x11, 1)
	adds r5 = 7, r2;;
	ld1 r4 = [r5];;
	EXPECT(r4, 0x88, 2)			// zero-extended, not sign-extended
	adds r5 = 6, r2;;
	ld2 r4 = [r5];;
	EXPECT(r4, 0x8877, 3)
	adds r5 = 4, r2;;
	ld4.acq r4 = [r5];;
	EXPECT(r4, 0x88776655, 4)
	mov r6 = 0xab;;
	adds r5 = 1, r2;;
	st1 [r5] = r6;;				// partial writes keep the rest
	movl r6 = 0xcdef;;
	adds r5 = 2, r2;;
	st2.rel [r5] = r6;;
	movl r6 = 0x01020304;;
	adds r5 = 4, r2;;
	st4 [r5] = r6;;
	ld8 r4 = [r2];;
	EXPECT(r4, 0x01020304cdefab11, 5)
	// post-increment: immediate, register, negative
	mov r7 = r2;;
	ld8 r4 = [r7], 8;;
	adds r8 = 8, r2;;
	cmp.eq p6, p0 = r7, r8;;
	EXPECT_P(p6, 6)
	mov r9 = 24;;
	st8 [r7] = r9, -8;;			// buf+8 = 24, r7 back to buf
	cmp.eq p6, p0 = r7, r2;;
	EXPECT_P(p6, 7)
	ld8 r4 = [r7], r9;;			// r7 = buf + 24
	adds r8 = 24, r2;;
	cmp.eq p6, p0 = r7, r8;;
	EXPECT_P(p6, 8)
	adds r5 = 8, r2;;
	ld8 r4 = [r5];;
	EXPECT(r4, 24, 9)
	// xchg at each size returns the old value, zero-extended
	movl r3 = 0xffffffffffffffff;;
	st8 [r2] = r3
	mov r10 = 0x12;;
	xchg1 r4 = [r2], r10;;
	EXPECT(r4, 0xff, 10)
	xchg2 r4 = [r2], r10;;
	EXPECT(r4, 0xff12, 11)
	xchg4 r4 = [r2], r10;;
	EXPECT(r4, 0xffff0012, 12)
	xchg8 r4 = [r2], r10;;
	EXPECT(r4, 0xffffffff00000012, 13)
	// cmpxchg: writes only when memory equals ar.ccv (at the access size)
	movl r3 = 0x1111111122222222;;
	st8 [r2] = r3
	movl r11 = 0x9999999922222222;;
	mov ar.ccv = r11
	mov r12 = 0x77;;
	cmpxchg4.acq r4 = [r2], r12, ar.ccv;;	// low 4 bytes match
	EXPECT(r4, 0x22222222, 14)
	ld8 r4 = [r2];;
	EXPECT(r4, 0x1111111100000077, 15)
	cmpxchg8.rel r4 = [r2], r12, ar.ccv;;	// 8 bytes do not match
	EXPECT(r4, 0x1111111100000077, 16)
	ld8 r4 = [r2];;
	EXPECT(r4, 0x1111111100000077, 17)
	mov ar.ccv = r4;;
	cmpxchg2.acq r4 = [r2], r0, ar.ccv;;	// 0x77 vs ccv{15:0} 0x77
	EXPECT(r4, 0x77, 18)
	ld8 r4 = [r2];;
	EXPECT(r4, 0x1111111100000000, 19)
	// fetchadd: returns the old value, wraps at the access size
	fetchadd4.acq r4 = [r2], -1;;
	EXPECT(r4, 0, 20)
	ld8 r4 = [r2];;
	EXPECT(r4, 0x11111111ffffffff, 21)
	fetchadd8.rel r4 = [r2], 16;;
	ld8 r4 = [r2];;
	EXPECT(r4, 0x1111111200000000 + 15, 22)
	// st8.spill/ld8.fill carry the NaT bit through ar.unat
	movl r13 = 0x7fffffff00000000;;
	ld8.s r14 = [r13];;			// nothing there: r14 = NaT
	mov ar.unat = r0
	adds r15 = 16, r2;;			// unat bit (addr >> 3) & 63
	st8.spill [r15] = r14;;
	mov r16 = ar.unat;;
	extr.u r17 = r15, 3, 6;;
	shr.u r16 = r16, r17;;
	and r16 = 1, r16;;
	EXPECT(r16, 1, 23)
	ld8.fill r18 = [r15];;
	tnat.nz p6, p0 = r18;;
	EXPECT_P(p6, 24)
	movl r19 = 0x5a5a;;
	st8.spill [r15] = r19;;			// clears the unat bit
	ld8.fill r18 = [r15];;
	tnat.z p6, p0 = r18;;
	EXPECT_P(p6, 25)
	EXPECT(r18, 0x5a5a, 26)
	// floating-point state save: setf.sig -> stf.spill -> ldf.fill -> getf
	movl r20 = 0xfedcba9876543210;;
	setf.sig f8 = r20;;
	adds r21 = 32, r2;;			// 16-byte aligned spill slot
	stf.spill [r21] = f8;;
	ld8 r22 = [r21], 8;;
	EXPECT(r22, 0xfedcba9876543210, 27)	// significand
	ld8 r22 = [r21], -8;;
	EXPECT(r22, 0x1003e, 28)		// exponent of an integer, sign 0
	ldf.fill f9 = [r21];;
	getf.sig r23 = f9;;
	EXPECT(r23, 0xfedcba9876543210, 29)
	getf.exp r23 = f9;;
	EXPECT(r23, 0x1003e, 30)
	mov r24 = 0x1ffff;;
	setf.exp f10 = r24;;			// sign and exponent from r24
	getf.exp r23 = f10;;
	EXPECT(r23, 0x1ffff, 31)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.data
	.align 16
buf:	.skip 64
