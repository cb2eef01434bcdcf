/* The console UART: a 16550A as Linux's 8250 driver probes and drives it
 * (autoconfig: IER read-back, FIFO bits in IIR, no EFR, no loopback test
 * under PNP; then polled operation, since the DSDT gives it no interrupt).
 * Transmission is immediate, so THR is always empty; nothing is ever
 * received (LSR.DR stays 0). Byte registers, offset = register number:
 *   0 RBR/THR (DLL with LCR.DLAB), 1 IER (DLM), 2 IIR/FCR, 3 LCR, 4 MCR,
 *   5 LSR, 6 MSR, 7 SCR.
 * The THR-empty interrupt follows the 16550: pending while IER.ETBEI is set
 * and the transmitter is empty, cleared by the IIR read that reports it,
 * raised again by a THR write or by setting ETBEI. */
#include "../core/internal.h"

#define IER_ETBEI 0x02
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_FIFO 0xc0
#define FCR_ENABLE 0x01
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define LSR_EMPTY 0x60 /* THRE | TEMT */

static int uart_read(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    struct ia64_machine *m = opaque;
    struct ia64_uart *u = &m->uart;
    bool dlab = u->lcr & LCR_DLAB;
    switch (off) {
    case 0:
        *val = dlab ? u->dll : 0; /* nothing received */
        break;
    case 1:
        *val = dlab ? u->dlm : u->ier;
        break;
    case 2: {
        uint8_t iir = IIR_NO_INT;
        if ((u->ier & IER_ETBEI) && u->thri) {
            iir = IIR_THRI;
            u->thri = false; /* reading IIR acknowledges THRE */
        }
        *val = iir | ((u->fcr & FCR_ENABLE) ? IIR_FIFO : 0);
        break;
    }
    case 3:
        *val = u->lcr;
        break;
    case 4:
        *val = u->mcr;
        break;
    case 5:
        *val = LSR_EMPTY;
        break;
    case 6:
        if (u->mcr & MCR_LOOP) /* RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD */
            *val = (uint64_t)(((u->mcr >> 1) & 1) << 4 | (u->mcr & 1) << 5 |
                              ((u->mcr >> 2) & 1) << 6 | ((u->mcr >> 3) & 1) << 7);
        else
            *val = 0xb0; /* DCD, DSR, CTS: a terminal is attached */
        break;
    case 7:
        *val = u->scr;
        break;
    default:
        *val = 0;
        break;
    }
    return 0;
}

static int uart_write(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t val)
{
    struct ia64_machine *m = opaque;
    struct ia64_uart *u = &m->uart;
    uint8_t b = (uint8_t)val;
    bool dlab = u->lcr & LCR_DLAB;
    switch (off) {
    case 0:
        if (dlab) {
            u->dll = b;
        } else {
            if (!(u->mcr & MCR_LOOP)) {
                char c = (char)b;
                ia64_machine_console_write(m, &c, 1);
            }
            u->thri = true; /* sent at once: the transmitter is empty again */
        }
        break;
    case 1:
        if (dlab) {
            u->dlm = b;
        } else {
            if ((b & IER_ETBEI) && !(u->ier & IER_ETBEI))
                u->thri = true;
            u->ier = b & 0x0f; /* bits 7:4 are reserved and read 0 */
        }
        break;
    case 2:
        u->fcr = b & ~0x06; /* the clear bits self-clear */
        break;
    case 3:
        u->lcr = b;
        break;
    case 4:
        u->mcr = b & 0x1f;
        break;
    case 7:
        u->scr = b;
        break;
    default:
        break; /* LSR and MSR are read-only */
    }
    return 0;
}

const struct ia64_mmio_ops ia64_uart_ops = {uart_read, uart_write};
