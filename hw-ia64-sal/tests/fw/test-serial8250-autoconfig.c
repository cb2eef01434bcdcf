/* The console UART as Linux's 8250 driver meets it (8250_port.c): the IER
 * read-back test of autoconfig, FIFO bits in IIR (a 16550A), no EFR behind
 * LCR 0xbf, loopback MSR, the divisor latch, serial8250_startup's THRE
 * re-assertion test (else UART_BUG_THRE) and TX-enable test (else
 * UART_BUG_TXEN), and polled transmission. TAP output. */
#include "ia64/machine.h"
#include "ia64/mem.h"

#include <stdio.h>

static int n, failed;

static void ok(int cond, const char *what)
{
    printf("%sok %d %s\n", cond ? "" : "not ", ++n, what);
    if (!cond)
        failed = 1;
}

static struct ia64_machine m;

static unsigned in(unsigned reg)
{
    uint64_t v = 0xdead;
    if (ia64_phys_read(&m, &m.cpus[0], IA64_UART_BASE + reg, 1, &v) != 0)
        return 0xdead;
    return (unsigned)v;
}

static void out(unsigned reg, unsigned v)
{
    ia64_phys_write(&m, &m.cpus[0], IA64_UART_BASE + reg, 1, v);
}

enum { RBR, IER, IIR, LCR, MCR, LSR, MSR, SCR };
#define FCR IIR

int main(void)
{
    if (ia64_machine_init(&m, 1, 16 << 20)) {
        printf("1..0 # SKIP no machine\n");
        return 1;
    }
    /* autoconfig: IER read-back */
    out(IER, 0);
    unsigned s1 = in(IER)&0x0f;
    out(IER, 0x0f);
    unsigned s2 = in(IER)&0x0f;
    out(IER, 0);
    ok(s1 == 0 && s2 == 0x0f, "IER reads back what was written (autoconfig's presence test)");
    out(IER, 0x40);
    ok((in(IER)&0x40) == 0, "IER bit 6 reads 0: not an XScale UART");
    out(IER, 0);
    out(SCR, 0xa5);
    ok(in(SCR) == 0xa5, "scratch register");
    /* loopback: MSR mirrors MCR's outputs */
    out(MCR, 0x10 | 0x0a);
    ok((in(MSR)&0xf0) == 0x90, "loopback: MSR shows RTS/OUT2 as CTS/DCD");
    out(MCR, 0);
    ok(in(MSR) == 0xb0, "a terminal is attached: DCD, DSR, CTS");
    /* 16550A: IIR's FIFO bits once FCR enables the FIFOs */
    out(LCR, 0);
    out(FCR, 0);
    ok((in(IIR) >> 6) == 0, "FIFOs off: IIR bits 7:6 are 0");
    out(FCR, 0x01);
    ok((in(IIR) >> 6) == 3, "FIFOs on: IIR bits 7:6 are 11 (a 16550A)");
    ok(((in(IIR) >> 5) & 7) == 6, "no 64-byte FIFO (not a 16750)");
    out(LCR, 0xbf);
    ok(in(IIR) != 0, "no EFR behind LCR 0xbf (not a 16650)");
    /* divisor latch */
    out(LCR, 0x80);
    out(RBR, 0x0c);
    out(IER, 0x00);
    ok(in(RBR) == 0x0c && in(IER) == 0, "the divisor latch holds 9600 baud's divisor");
    out(LCR, 0x03);
    ok(in(LCR) == 0x03 && in(IER) == 0, "8N1, DLAB off: IER is back");
    /* serial8250_startup: THRE is re-asserted after IER is cleared and set */
    out(IER, 0x02);
    unsigned iir1 = in(IIR);
    out(IER, 0);
    out(IER, 0x02);
    unsigned iir = in(IIR);
    out(IER, 0);
    ok(!(iir1 & 1) && !(iir & 1) && (iir & 0x0f) == 0x02,
       "THRE interrupt re-asserted (no UART_BUG_THRE)");
    out(IER, 0x02);
    unsigned lsr = in(LSR);
    iir = in(IIR);
    out(IER, 0);
    ok((lsr & 0x40) && !(iir & 1), "TX enable raises THRE at once (no UART_BUG_TXEN)");
    /* polled transmission: the interrupt is acknowledged by the IIR read
     * and comes back with each byte sent */
    out(IER, 0x02);
    (void)in(IIR);
    ok(in(IIR)&1, "IIR read acknowledged THRE: no interrupt pending");
    size_t before = m.console_len;
    out(RBR, 'L');
    ok(m.console_len == before + 1 && m.console[before] == 'L' && (in(IIR)&0x0f) == 0x02,
       "a THR write reaches the console and THRE is pending again");
    ok((in(LSR)&0x61) == 0x60, "LSR: transmitter empty, nothing received");
    out(MCR, 0x10);
    out(RBR, 'x');
    ok(m.console_len == before + 1, "loopback keeps bytes off the console");
    ia64_machine_destroy(&m);
    printf("1..%d\n", n);
    return failed;
}
