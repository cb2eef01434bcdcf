// RSE NaT collections (SDM vol 2, register stack engine): 42 stacked
// registers, every third a NaT, spilled from slot 50 of a 64-slot group so
// that slot 63 of the group holds the NaT collection of the first 13 and
// ar.rnat the partial collection of the rest. flushrs writes values and
// collection as the architecture places them; loadrs with a byte count
// that spans the collection slot reloads exactly the newest registers
// (a later store to a reloaded register's slot is not seen, one to a slot
// below the reload is); br.ret refills the rest across the boundary with
// their NaT bits; loadrs 0 then drops the whole frame and br.ret fills all
// 42 from memory.
#include "ia64test.h"

#define S (group + 50 * 8)
#define NATMASK 0x9249249249
// backing store address of A's register i (slot 63 of the group skipped)
#define SLOT(i) (S + 8 * (i) + 8 * (((i) + 51) / 64))

	.text
	.global _start
_start:
	mov ar.rsc = 0
	movl r2 = S;;
	mov ar.bspstore = r2
	movl r2 = A;;
	mov b6 = r2;;
	br.call.sptk.many b0 = b6;;
	br.cond.sptk.few test_pass;;

A:	alloc r72 = ar.pfs, 0, 42, 0, 0
	mov r73 = b0
	movl r2 = vals
	movl r3 = NATMASK;;
	mov ar.unat = r3;;
	ld8.fill r32 = [r2], 8;;
	ld8.fill r33 = [r2], 8;;
	ld8.fill r34 = [r2], 8;;
	ld8.fill r35 = [r2], 8;;
	ld8.fill r36 = [r2], 8;;
	ld8.fill r37 = [r2], 8;;
	ld8.fill r38 = [r2], 8;;
	ld8.fill r39 = [r2], 8;;
	ld8.fill r40 = [r2], 8;;
	ld8.fill r41 = [r2], 8;;
	ld8.fill r42 = [r2], 8;;
	ld8.fill r43 = [r2], 8;;
	ld8.fill r44 = [r2], 8;;
	ld8.fill r45 = [r2], 8;;
	ld8.fill r46 = [r2], 8;;
	ld8.fill r47 = [r2], 8;;
	ld8.fill r48 = [r2], 8;;
	ld8.fill r49 = [r2], 8;;
	ld8.fill r50 = [r2], 8;;
	ld8.fill r51 = [r2], 8;;
	ld8.fill r52 = [r2], 8;;
	ld8.fill r53 = [r2], 8;;
	ld8.fill r54 = [r2], 8;;
	ld8.fill r55 = [r2], 8;;
	ld8.fill r56 = [r2], 8;;
	ld8.fill r57 = [r2], 8;;
	ld8.fill r58 = [r2], 8;;
	ld8.fill r59 = [r2], 8;;
	ld8.fill r60 = [r2], 8;;
	ld8.fill r61 = [r2], 8;;
	ld8.fill r62 = [r2], 8;;
	ld8.fill r63 = [r2], 8;;
	ld8.fill r64 = [r2], 8;;
	ld8.fill r65 = [r2], 8;;
	ld8.fill r66 = [r2], 8;;
	ld8.fill r67 = [r2], 8;;
	ld8.fill r68 = [r2], 8;;
	ld8.fill r69 = [r2], 8;;
	ld8.fill r70 = [r2], 8;;
	ld8.fill r71 = [r2], 8;;
	br.call.sptk.many b0 = B;;
	movl r5 = 0x5555;;			// B changed register 5's slot below the reload
	EXPECT(r37, 0x5555, 50)
	mov r37 = 0xa005;;			// back to the pattern for the common check
	// values 0xa000 + i, NaT where i % 3 == 0
	EXPECT(r32, 0xa000, 100)
	tnat.nz p6, p7 = r32;;
	EXPECT_P(p6, 200)
	EXPECT(r33, 0xa001, 101)
	tnat.nz p6, p7 = r33;;
	EXPECT_P(p7, 201)
	EXPECT(r34, 0xa002, 102)
	tnat.nz p6, p7 = r34;;
	EXPECT_P(p7, 202)
	EXPECT(r35, 0xa003, 103)
	tnat.nz p6, p7 = r35;;
	EXPECT_P(p6, 203)
	EXPECT(r36, 0xa004, 104)
	tnat.nz p6, p7 = r36;;
	EXPECT_P(p7, 204)
	EXPECT(r37, 0xa005, 105)
	tnat.nz p6, p7 = r37;;
	EXPECT_P(p7, 205)
	EXPECT(r38, 0xa006, 106)
	tnat.nz p6, p7 = r38;;
	EXPECT_P(p6, 206)
	EXPECT(r39, 0xa007, 107)
	tnat.nz p6, p7 = r39;;
	EXPECT_P(p7, 207)
	EXPECT(r40, 0xa008, 108)
	tnat.nz p6, p7 = r40;;
	EXPECT_P(p7, 208)
	EXPECT(r41, 0xa009, 109)
	tnat.nz p6, p7 = r41;;
	EXPECT_P(p6, 209)
	EXPECT(r42, 0xa00a, 110)
	tnat.nz p6, p7 = r42;;
	EXPECT_P(p7, 210)
	EXPECT(r43, 0xa00b, 111)
	tnat.nz p6, p7 = r43;;
	EXPECT_P(p7, 211)
	EXPECT(r44, 0xa00c, 112)
	tnat.nz p6, p7 = r44;;
	EXPECT_P(p6, 212)
	EXPECT(r45, 0xa00d, 113)
	tnat.nz p6, p7 = r45;;
	EXPECT_P(p7, 213)
	EXPECT(r46, 0xa00e, 114)
	tnat.nz p6, p7 = r46;;
	EXPECT_P(p7, 214)
	EXPECT(r47, 0xa00f, 115)
	tnat.nz p6, p7 = r47;;
	EXPECT_P(p6, 215)
	EXPECT(r48, 0xa010, 116)
	tnat.nz p6, p7 = r48;;
	EXPECT_P(p7, 216)
	EXPECT(r49, 0xa011, 117)
	tnat.nz p6, p7 = r49;;
	EXPECT_P(p7, 217)
	EXPECT(r50, 0xa012, 118)
	tnat.nz p6, p7 = r50;;
	EXPECT_P(p6, 218)
	EXPECT(r51, 0xa013, 119)
	tnat.nz p6, p7 = r51;;
	EXPECT_P(p7, 219)
	EXPECT(r52, 0xa014, 120)
	tnat.nz p6, p7 = r52;;
	EXPECT_P(p7, 220)
	EXPECT(r53, 0xa015, 121)
	tnat.nz p6, p7 = r53;;
	EXPECT_P(p6, 221)
	EXPECT(r54, 0xa016, 122)
	tnat.nz p6, p7 = r54;;
	EXPECT_P(p7, 222)
	EXPECT(r55, 0xa017, 123)
	tnat.nz p6, p7 = r55;;
	EXPECT_P(p7, 223)
	EXPECT(r56, 0xa018, 124)
	tnat.nz p6, p7 = r56;;
	EXPECT_P(p6, 224)
	EXPECT(r57, 0xa019, 125)
	tnat.nz p6, p7 = r57;;
	EXPECT_P(p7, 225)
	EXPECT(r58, 0xa01a, 126)
	tnat.nz p6, p7 = r58;;
	EXPECT_P(p7, 226)
	EXPECT(r59, 0xa01b, 127)
	tnat.nz p6, p7 = r59;;
	EXPECT_P(p6, 227)
	EXPECT(r60, 0xa01c, 128)
	tnat.nz p6, p7 = r60;;
	EXPECT_P(p7, 228)
	EXPECT(r61, 0xa01d, 129)
	tnat.nz p6, p7 = r61;;
	EXPECT_P(p7, 229)
	EXPECT(r62, 0xa01e, 130)
	tnat.nz p6, p7 = r62;;
	EXPECT_P(p6, 230)
	EXPECT(r63, 0xa01f, 131)
	tnat.nz p6, p7 = r63;;
	EXPECT_P(p7, 231)
	EXPECT(r64, 0xa020, 132)
	tnat.nz p6, p7 = r64;;
	EXPECT_P(p7, 232)
	EXPECT(r65, 0xa021, 133)
	tnat.nz p6, p7 = r65;;
	EXPECT_P(p6, 233)
	EXPECT(r66, 0xa022, 134)
	tnat.nz p6, p7 = r66;;
	EXPECT_P(p7, 234)
	EXPECT(r67, 0xa023, 135)
	tnat.nz p6, p7 = r67;;
	EXPECT_P(p7, 235)
	EXPECT(r68, 0xa024, 136)
	tnat.nz p6, p7 = r68;;
	EXPECT_P(p6, 236)
	EXPECT(r69, 0xa025, 137)
	tnat.nz p6, p7 = r69;;
	EXPECT_P(p7, 237)
	EXPECT(r70, 0xa026, 138)
	tnat.nz p6, p7 = r70;;
	EXPECT_P(p7, 238)
	EXPECT(r71, 0xa027, 139)
	tnat.nz p6, p7 = r71;;
	EXPECT_P(p6, 239)
	br.call.sptk.many b0 = B2;;		// drop everything, refill from memory
	EXPECT(r32, 0xa000, 400)
	tnat.nz p6, p7 = r32;;
	EXPECT_P(p6, 500)
	EXPECT(r33, 0xa001, 401)
	tnat.nz p6, p7 = r33;;
	EXPECT_P(p7, 501)
	EXPECT(r34, 0xa002, 402)
	tnat.nz p6, p7 = r34;;
	EXPECT_P(p7, 502)
	EXPECT(r35, 0xa003, 403)
	tnat.nz p6, p7 = r35;;
	EXPECT_P(p6, 503)
	EXPECT(r36, 0xa004, 404)
	tnat.nz p6, p7 = r36;;
	EXPECT_P(p7, 504)
	EXPECT(r37, 0xa005, 405)
	tnat.nz p6, p7 = r37;;
	EXPECT_P(p7, 505)
	EXPECT(r38, 0xa006, 406)
	tnat.nz p6, p7 = r38;;
	EXPECT_P(p6, 506)
	EXPECT(r39, 0xa007, 407)
	tnat.nz p6, p7 = r39;;
	EXPECT_P(p7, 507)
	EXPECT(r40, 0xa008, 408)
	tnat.nz p6, p7 = r40;;
	EXPECT_P(p7, 508)
	EXPECT(r41, 0xa009, 409)
	tnat.nz p6, p7 = r41;;
	EXPECT_P(p6, 509)
	EXPECT(r42, 0xa00a, 410)
	tnat.nz p6, p7 = r42;;
	EXPECT_P(p7, 510)
	EXPECT(r43, 0xa00b, 411)
	tnat.nz p6, p7 = r43;;
	EXPECT_P(p7, 511)
	EXPECT(r44, 0xa00c, 412)
	tnat.nz p6, p7 = r44;;
	EXPECT_P(p6, 512)
	EXPECT(r45, 0xa00d, 413)
	tnat.nz p6, p7 = r45;;
	EXPECT_P(p7, 513)
	EXPECT(r46, 0xa00e, 414)
	tnat.nz p6, p7 = r46;;
	EXPECT_P(p7, 514)
	EXPECT(r47, 0xa00f, 415)
	tnat.nz p6, p7 = r47;;
	EXPECT_P(p6, 515)
	EXPECT(r48, 0xa010, 416)
	tnat.nz p6, p7 = r48;;
	EXPECT_P(p7, 516)
	EXPECT(r49, 0xa011, 417)
	tnat.nz p6, p7 = r49;;
	EXPECT_P(p7, 517)
	EXPECT(r50, 0xa012, 418)
	tnat.nz p6, p7 = r50;;
	EXPECT_P(p6, 518)
	EXPECT(r51, 0xa013, 419)
	tnat.nz p6, p7 = r51;;
	EXPECT_P(p7, 519)
	EXPECT(r52, 0xa014, 420)
	tnat.nz p6, p7 = r52;;
	EXPECT_P(p7, 520)
	EXPECT(r53, 0xa015, 421)
	tnat.nz p6, p7 = r53;;
	EXPECT_P(p6, 521)
	EXPECT(r54, 0xa016, 422)
	tnat.nz p6, p7 = r54;;
	EXPECT_P(p7, 522)
	EXPECT(r55, 0xa017, 423)
	tnat.nz p6, p7 = r55;;
	EXPECT_P(p7, 523)
	EXPECT(r56, 0xa018, 424)
	tnat.nz p6, p7 = r56;;
	EXPECT_P(p6, 524)
	EXPECT(r57, 0xa019, 425)
	tnat.nz p6, p7 = r57;;
	EXPECT_P(p7, 525)
	EXPECT(r58, 0xa01a, 426)
	tnat.nz p6, p7 = r58;;
	EXPECT_P(p7, 526)
	EXPECT(r59, 0xa01b, 427)
	tnat.nz p6, p7 = r59;;
	EXPECT_P(p6, 527)
	EXPECT(r60, 0xa01c, 428)
	tnat.nz p6, p7 = r60;;
	EXPECT_P(p7, 528)
	EXPECT(r61, 0xa01d, 429)
	tnat.nz p6, p7 = r61;;
	EXPECT_P(p7, 529)
	EXPECT(r62, 0xa01e, 430)
	tnat.nz p6, p7 = r62;;
	EXPECT_P(p6, 530)
	EXPECT(r63, 0xa01f, 431)
	tnat.nz p6, p7 = r63;;
	EXPECT_P(p7, 531)
	EXPECT(r64, 0xa020, 432)
	tnat.nz p6, p7 = r64;;
	EXPECT_P(p7, 532)
	EXPECT(r65, 0xa021, 433)
	tnat.nz p6, p7 = r65;;
	EXPECT_P(p6, 533)
	EXPECT(r66, 0xa022, 434)
	tnat.nz p6, p7 = r66;;
	EXPECT_P(p7, 534)
	EXPECT(r67, 0xa023, 435)
	tnat.nz p6, p7 = r67;;
	EXPECT_P(p7, 535)
	EXPECT(r68, 0xa024, 436)
	tnat.nz p6, p7 = r68;;
	EXPECT_P(p6, 536)
	EXPECT(r69, 0xa025, 437)
	tnat.nz p6, p7 = r69;;
	EXPECT_P(p7, 537)
	EXPECT(r70, 0xa026, 438)
	tnat.nz p6, p7 = r70;;
	EXPECT_P(p7, 538)
	EXPECT(r71, 0xa027, 439)
	tnat.nz p6, p7 = r71;;
	EXPECT_P(p6, 539)
	mov ar.pfs = r72
	mov b0 = r73;;
	br.ret.sptk.many b0;;


// B: flush A's 42 registers and check where they and their NaT bits went,
// then reload the newest 32 (registers 10..41) with loadrs.
B:	alloc r16 = ar.pfs, 0, 0, 0, 0
	flushrs;;
	mov.m r17 = ar.bsp
	mov.m r18 = ar.bspstore;;
	EXPECT(r17, S + 43 * 8, 1)		// 42 registers + 1 collection slot
	EXPECT(r18, S + 43 * 8, 2)
	movl r2 = SLOT(0);;
	ld8 r3 = [r2];;
	EXPECT(r3, 0xa000, 3)
	movl r2 = SLOT(12);;
	ld8 r3 = [r2];;
	EXPECT(r3, 0xa00c, 4)
	movl r2 = SLOT(13);;
	ld8 r3 = [r2];;
	EXPECT(r3, 0xa00d, 5)			// first slot of the next group
	movl r2 = SLOT(39);;
	ld8 r3 = [r2];;
	EXPECT(r3, 0xa027, 6)
	movl r2 = S + 13 * 8;;			// slot 63: the collection of registers 0..12
	ld8 r3 = [r2];;
	extr.u r4 = r3, 50, 13
	extr.u r5 = r3, 0, 50;;
	EXPECT(r4, NATMASK & 0x1fff, 7)
	mov.m r3 = ar.rnat;;			// the partial collection: registers 13..41
	extr.u r4 = r3, 0, 29;;
	EXPECT(r4, (NATMASK >> 13) & 0x1fffffff, 8)
	movl r3 = (SLOT(41) + 8 - SLOT(10)) << 16;;
	mov ar.rsc = r3;;
	loadrs;;				// keep registers 10..41 in the register file
	mov ar.rsc = 0
	mov.m r18 = ar.bspstore;;
	EXPECT(r18, SLOT(10), 9)
	movl r2 = SLOT(20)
	movl r3 = 0x2020;;
	st8 [r2] = r3				// reloaded already: must not be seen
	movl r2 = SLOT(5)
	movl r3 = 0x5555;;
	st8 [r2] = r3				// filled by br.ret: must be seen
	mov ar.pfs = r16;;
	br.ret.sptk.many b0;;

B2:	alloc r16 = ar.pfs, 0, 0, 0, 0
	flushrs;;
	mov ar.rsc = 0;;
	loadrs;;				// loadrs 0: nothing stays in registers
	mov.m r17 = ar.bsp
	mov.m r18 = ar.bspstore;;
	EXPECT(r17, S + 43 * 8, 10)
	EXPECT(r18, S + 43 * 8, 11)
	mov ar.pfs = r16;;
	br.ret.sptk.many b0;;			// 42 registers filled across slot 63

	TEST_EXITS

	.data
	.align 512
vals:
	data8 0xa000
	data8 0xa001
	data8 0xa002
	data8 0xa003
	data8 0xa004
	data8 0xa005
	data8 0xa006
	data8 0xa007
	data8 0xa008
	data8 0xa009
	data8 0xa00a
	data8 0xa00b
	data8 0xa00c
	data8 0xa00d
	data8 0xa00e
	data8 0xa00f
	data8 0xa010
	data8 0xa011
	data8 0xa012
	data8 0xa013
	data8 0xa014
	data8 0xa015
	data8 0xa016
	data8 0xa017
	data8 0xa018
	data8 0xa019
	data8 0xa01a
	data8 0xa01b
	data8 0xa01c
	data8 0xa01d
	data8 0xa01e
	data8 0xa01f
	data8 0xa020
	data8 0xa021
	data8 0xa022
	data8 0xa023
	data8 0xa024
	data8 0xa025
	data8 0xa026
	data8 0xa027
	.align 512
group:	.skip 2048
