/* EFI runtime services: the table the EFI system table points at, one
 * firmware entry for all services (each function descriptor carries the
 * service's index as its gp, which the caller loads into r1), and the
 * services Linux/ia64 calls: GetTime (a clock derived from the calling CPU's
 * ITC, so runs stay deterministic), SetVirtualAddressMap (converts the
 * table's descriptor pointers and the descriptors' entry points to the
 * virtual addresses the OS chose), GetNextVariableName and GetVariable
 * (there are no variables), ResetSystem (halts the machine with the status
 * as the halt code); everything else returns EFI_UNSUPPORTED. */
#include "ia64/efi.h"
#include "ia64/exec.h"
#include "ia64/firmware.h"
#include "bytes.h"
#include "ia64/mem.h"

#include <string.h>

/* 2026-01-01 00:00:00 UTC at ITC 0; the ITC runs at 700 MHz (PAL_FREQ_*). */
#define EFI_CLOCK_BASE_DAYS 20454 /* days from 1970-01-01 */
#define EFI_ITC_HZ 700000000ULL

int ia64_fw_efi_tables(struct ia64_machine *m)
{
    uint8_t *rt = ia64_ram_ptr(m, IA64_FW_EFI_RUNTIME, EFI_RT_DESCS + 16 * EFI_RT_COUNT);
    if (!rt)
        return -1;
    memset(rt, 0, EFI_RT_DESCS + 16 * EFI_RT_COUNT);
    put64(rt, 0, EFI_RUNTIME_SIGNATURE);
    put64(rt, 8, (1 << 16) | 10 | (uint64_t)(24 + 8 * EFI_RT_COUNT) << 32); /* rev, size */
    for (unsigned i = 0; i < EFI_RT_COUNT; i++) {
        uint64_t d = IA64_FW_EFI_RUNTIME + EFI_RT_DESCS + 16 * i;
        put64(rt, EFI_RT_FN(i), d);
        put64(rt, EFI_RT_DESCS + 16 * i, IA64_FW_EFI_CALL);
        put64(rt, EFI_RT_DESCS + 16 * i + 8, i);
    }
    return 0;
}

/* The OS's pointer argument to RAM: physical in physical mode (before
 * SetVirtualAddressMap Linux calls through efi_call_phys), translated
 * otherwise; region 7 is Linux's identity map even when the TLB lacks it. */
static uint8_t *arg_ptr(struct ia64_cpu *c, uint64_t va, uint64_t len)
{
    uint64_t pa;
    if (va == 0)
        return NULL;
    if (ia64_translate_peek(c, va, IA64_ACC_WRITE, false, &pa) != 0) {
        if ((va >> 61) != 7)
            return NULL;
        pa = va & ((1ULL << 61) - 1);
    }
    return ia64_ram_ptr(c->machine, pa, len);
}

static void civil_from_days(int64_t z, unsigned *y, unsigned *mo, unsigned *d)
{
    /* proleptic Gregorian calendar from days since 1970-01-01 */
    z += 719468;
    int64_t era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *mo = mp < 10 ? mp + 3 : mp - 9;
    *y = (unsigned)(yoe + era * 400) + (*mo <= 2);
}

static uint64_t get_time(struct ia64_cpu *c)
{
    uint8_t *tm = arg_ptr(c, ia64_fw_arg(c, 0), 16);
    if (!tm)
        return EFI_INVALID_PARAMETER;
    uint64_t itc = c->ar[IA64_AR_ITC];
    uint64_t secs = itc / EFI_ITC_HZ, ns = (itc % EFI_ITC_HZ) * 1000000000ULL / EFI_ITC_HZ;
    unsigned y, mo, d;
    civil_from_days(EFI_CLOCK_BASE_DAYS + (int64_t)(secs / 86400), &y, &mo, &d);
    unsigned s = (unsigned)(secs % 86400);
    memset(tm, 0, 16);
    tm[0] = (uint8_t)y;
    tm[1] = (uint8_t)(y >> 8);
    tm[2] = (uint8_t)mo;
    tm[3] = (uint8_t)d;
    tm[4] = (uint8_t)(s / 3600);
    tm[5] = (uint8_t)(s / 60 % 60);
    tm[6] = (uint8_t)(s % 60);
    for (unsigned i = 0; i < 4; i++)
        tm[8 + i] = (uint8_t)(ns >> (8 * i));
    tm[12] = 0xff; /* timezone EFI_UNSPECIFIED_TIMEZONE (0x07ff) */
    tm[13] = 0x07;
    uint8_t *cap = arg_ptr(c, ia64_fw_arg(c, 1), 12);
    if (cap) {
        memset(cap, 0, 12);
        cap[0] = 1;                              /* resolution: 1 Hz */
        put64(cap, 4, 50000000ULL & 0xffffffff); /* accuracy 50 ppm (in ppt), sets_to_zero 0 */
        cap[8] = 0;
    }
    return EFI_SUCCESS;
}

/* Virtual address of pa under the OS's map, or 0 when no runtime
 * descriptor covers it. The walk is bounded by the map's size. */
static uint64_t to_virtual(const uint8_t *map, uint64_t size, uint64_t dsize, uint64_t pa)
{
    for (uint64_t off = 0; off + 40 <= size; off += dsize) {
        const uint8_t *d = map + off;
        uint64_t phys = get64(d, EFI_MD_PHYS), pages = get64(d, EFI_MD_PAGES);
        uint64_t attr = get64(d, EFI_MD_ATTR);
        if ((attr & EFI_MEMORY_RUNTIME) && pa >= phys && pa - phys < (pages << 12))
            return get64(d, EFI_MD_VIRT) + (pa - phys);
    }
    return 0;
}

static uint64_t set_virtual_address_map(struct ia64_fw *fw, struct ia64_cpu *c)
{
    uint64_t size = ia64_fw_arg(c, 0), dsize = ia64_fw_arg(c, 1);
    if (fw->efi_virtual)
        return EFI_UNSUPPORTED; /* once only */
    if (dsize < 40 || size > (1ULL << 20) || size % dsize)
        return EFI_INVALID_PARAMETER;
    const uint8_t *map = arg_ptr(c, ia64_fw_arg(c, 3), size);
    uint8_t *rt = ia64_ram_ptr(fw->m, IA64_FW_EFI_RUNTIME, EFI_RT_DESCS + 16 * EFI_RT_COUNT);
    if (!map || !rt)
        return EFI_INVALID_PARAMETER;
    uint64_t call = to_virtual(map, size, dsize, IA64_FW_EFI_CALL);
    uint64_t table = to_virtual(map, size, dsize, IA64_FW_EFI_RUNTIME);
    if (!call || !table)
        return EFI_INVALID_PARAMETER; /* the OS left our runtime code unmapped */
    for (unsigned i = 0; i < EFI_RT_COUNT; i++) {
        put64(rt, EFI_RT_FN(i), table + EFI_RT_DESCS + 16 * i);
        put64(rt, EFI_RT_DESCS + 16 * i, call);
    }
    fw->efi_virtual = true;
    return EFI_SUCCESS;
}

int ia64_fw_efi_call(void *opaque, struct ia64_cpu *c, uint64_t pa)
{
    struct ia64_fw *fw = opaque;
    (void)pa;
    uint64_t status;
    switch (ia64_gr(c, 1)) { /* the descriptor's gp: the service */
    case EFI_RT_GET_TIME:
        status = get_time(c);
        break;
    case EFI_RT_SET_VIRTUAL_ADDRESS_MAP:
        status = set_virtual_address_map(fw, c);
        break;
    case EFI_RT_GET_VARIABLE:
    case EFI_RT_GET_NEXT_VARIABLE:
        status = EFI_NOT_FOUND; /* no variables */
        break;
    case EFI_RT_RESET_SYSTEM:
        /* Every reset ends the run: the status is the result. */
        fw->m->halted = true;
        fw->m->halt_code = (int)(ia64_fw_arg(c, 1) & 0x7fffffff);
        c->state = IA64_CPU_HALTED;
        return 0;
    default:
        status = EFI_UNSUPPORTED;
        break;
    }
    ia64_set_gr(c, 8, status);
    ia64_fw_return_stacked(c);
    return 0;
}
