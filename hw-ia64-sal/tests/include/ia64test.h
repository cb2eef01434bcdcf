/* Helpers for the self-checking IA-64 test programs. A program halts the
 * machine through the halt device with code 0 when every check passed, or
 * with the number of the first failed check. r30/r31 and p15 are reserved
 * for these macros. */
#ifndef IA64TEST_H
#define IA64TEST_H

#define UART_BASE 0xfff00000
#define HALT_BASE 0xfff10000

/* Halt the whole machine with the code in register r. */
#define HALT_REG(r) movl r31 = HALT_BASE;; st8 [r31] = r;; 99: br.cond.sptk.few 99b;;

/* Halt only this CPU (others keep running). */
#define HALT_CPU movl r31 = HALT_BASE + 8;; st8 [r31] = r0;; 98: br.cond.sptk.few 98b;;

/* Fail with code n unless register r equals the 64-bit constant v. */
#define EXPECT(r, v, n) movl r31 = v;; cmp.ne p15, p0 = r, r31;; \
    (p15) mov r30 = n; (p15) br.cond.dpnt.few test_fail;;

/* Fail with code n unless predicate p is set (EXPECT_NOT: clear). */
#define EXPECT_P(p, n) mov r30 = n;; (p) br.cond.sptk.few 97f;; br.cond.sptk.few test_fail;; 97:
#define EXPECT_NOT_P(p, n) mov r30 = n;; (p) br.cond.dpnt.few test_fail;;

/* Common exit code: pass halts with 0, fail halts with r30. */
#define TEST_EXITS \
test_pass: mov r30 = 0;; \
test_fail: HALT_REG(r30)

/* Print the NUL-terminated string at label s on the console. */
#define PUTS(s) movl r31 = s; movl r30 = UART_BASE;; 96: ld1 r29 = [r31], 1;; \
    cmp.eq p15, p0 = r29, r0;; (p15) br.cond.dpnt.few 95f;; st1 [r30] = r29; \
    br.cond.sptk.few 96b;; 95:

#endif
