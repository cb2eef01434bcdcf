/* Little-endian stores into the tables firmware writes in guest RAM
 * (tables.c, acpi.c, efi_rt.c). */
#ifndef IA64_FW_BYTES_H
#define IA64_FW_BYTES_H

#include <stdint.h>
#include <string.h>

static inline void put64(uint8_t *p, unsigned off, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        p[off + i] = (uint8_t)(v >> (8 * i));
}
static inline void put32(uint8_t *p, unsigned off, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[off + i] = (uint8_t)(v >> (8 * i));
}
static inline void put16(uint8_t *p, unsigned off, uint16_t v)
{
    p[off] = (uint8_t)v;
    p[off + 1] = (uint8_t)(v >> 8);
}
static inline uint64_t get64(const uint8_t *p, unsigned off)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)p[off + i] << (8 * i);
    return v;
}

#endif
