// Faults and their vectors: a load through a NaT address (NaT Consumption,
// 0x5600), a misaligned load (Unaligned Reference, 0x5a00, cr.ifa = the
// address), and a privileged instruction at CPL 3 (General Exception,
// 0x5400, ISR.code = 1: privileged operation). The handler logs vector,
// cr.isr and cr.ifa, checks it runs at CPL 0 with PSR.ic = 0, and resumes
// after the faulting instruction; rfi returns to CPL 3 from cr.ipsr.
#include "ia64test.h"

#define HANDLER(vec)								\
	mov r16 = vec;								\
	br.sptk.few common;;

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2;;
	ssm psr.ic;;
	srlz.i;;
	movl r13 = 0x7fffffff00000000;;
	ld8.s r14 = [r13];;			// r14 = NaT
	{ .mmi
	ld8 r15 = [r14]				// NaT Consumption
	nop.m 0
	nop.i 0 ;; }
	movl r3 = buf + 4;;
	{ .mmi
	ld8 r15 = [r3]				// Unaligned Reference
	nop.m 0
	nop.i 0 ;; }
	// to CPL 3 and try a privileged read of cr.iva
	mov r4 = psr;;
	dep r4 = -1, r4, 32, 2;;		// ipsr.cpl = 3
	dep r4 = -1, r4, 44, 1;;		// bn = 1
	mov cr.ipsr = r4
	movl r5 = user;;
	mov cr.iip = r5
	mov cr.ifs = r0;;
	rfi;;
user:	{ .mmi
	mov r15 = cr.iva			// Privileged Operation
	nop.m 0
	nop.i 0 ;; }
	movl r9 = count;;
	ld8 r10 = [r9];;
	EXPECT(r10, 3, 1)
	movl r9 = log;;
	ld8 r10 = [r9], 8;;
	EXPECT(r10, 0x5600, 2)
	ld8 r10 = [r9], 8;;
	extr.u r11 = r10, 4, 4
	extr.u r10 = r10, 32, 3;;		// isr.x, w, r: the load reads
	EXPECT(r10, 4, 3)
	EXPECT(r11, 1, 10)			// ISR.code{7:4}: register NaT
	ld8 r10 = [r9], 8;;
	ld8 r10 = [r9], 8;;
	EXPECT(r10, 0x5a00, 4)
	ld8 r10 = [r9], 8;;
	ld8 r10 = [r9], 8;;
	EXPECT(r10, buf + 4, 5)			// cr.ifa
	ld8 r10 = [r9], 8;;
	EXPECT(r10, 0x5400, 6)
	ld8 r10 = [r9], 8;;
	extr.u r10 = r10, 4, 4;;
	EXPECT(r10, 1, 7)			// ISR.code{7:4}: privileged operation
	ld8 r10 = [r9], 8;;
	movl r9 = bad_mode;;
	ld8 r10 = [r9];;
	EXPECT(r10, 0, 8)			// every handler ran at CPL 0, ic = 0
	br.cond.sptk.few test_pass;;

	TEST_EXITS

common:	mov r17 = cr.isr
	mov r18 = cr.ifa
	movl r19 = count;;
	ld8 r20 = [r19];;
	movl r21 = log;;
	shladd r22 = r20, 3, r0;;
	shladd r22 = r20, 4, r22;;		// 24 bytes per entry
	add r21 = r21, r22
	adds r20 = 1, r20;;
	st8 [r19] = r20
	st8 [r21] = r16, 8;;
	st8 [r21] = r17, 8;;
	st8 [r21] = r18
	mov r23 = psr;;
	extr.u r24 = r23, 32, 2			// cpl
	extr.u r25 = r23, 13, 1;;		// ic
	or r24 = r24, r25
	movl r26 = bad_mode;;
	ld8 r27 = [r26];;
	or r27 = r27, r24;;
	st8 [r26] = r27
	mov r28 = cr.iip;;			// every fault above sits in slot 0:
	adds r28 = 16, r28;;			// resume at the next bundle
	mov cr.iip = r28
	mov r29 = cr.ipsr;;
	dep r29 = 0, r29, 41, 2;;
	mov cr.ipsr = r29;;
	rfi;;

	.align 32768
ivt:
	.org ivt + 0x5400
	HANDLER(0x5400)
	.org ivt + 0x5600
	HANDLER(0x5600)
	.org ivt + 0x5a00
	HANDLER(0x5a00)
	.org ivt + 0x7f00

	.data
	.align 8
count:	data8 0
log:	.skip 24 * 4
bad_mode: data8 0
buf:	data8 0, 0
