/* The preload blob for an embedder (QEMU's ia64-sal machine, machine
 * property preload=): what the runner writes into RAM before the first
 * kernel runs, as one contiguous image of [KD_CFG, KD_STAGE_END): the
 * configuration (with the case and the go already set, since nothing on the
 * host writes guest RAM while the guest runs) and the kexec segments
 * kexec-tools would have prepared (kd_stage_capture). The segments depend on
 * the firmware's EFI memory map, so they are prepared on a model machine
 * set up exactly as the embedder sets up its own: same CPUs, same RAM size,
 * same first kernel. */
#include "ia64/kdump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../guest-kernel/ia64/layout.h"
#include "ia64/loader.h"
#include "ia64/mem.h"
#include "ia64/platform.h"
#include "ia64/sim.h"

static void put8(uint8_t *cfg, unsigned off, uint64_t v)
{
    memcpy(cfg + off, &v, 8);
}

int kd_stage_blob(const struct kd_boot_config *bc, const struct kd_case *c, uint64_t ram_size,
                  const void *first, size_t first_len, const void *capture, size_t capture_len,
                  uint8_t **blob, size_t *blob_len, uint64_t *cap_entry, char *err, size_t errlen)
{
    if (bc->ncpus == 0 || bc->ncpus > KD_CPUS_MAX || bc->ncpus > KD_MAX_CPUS ||
        bc->nmarkers > KD_MAX_MARKERS || bc->dev_cpu >= bc->ncpus || c->fault_cpu >= bc->ncpus) {
        snprintf(err, errlen, "1..%d CPUs, 0..%d markers, device and fault CPU among them",
                 KD_MAX_CPUS, KD_MAX_MARKERS);
        return -1;
    }
    if (ram_size < KD_RAM_SIZE) {
        snprintf(err, errlen, "RAM of %llu bytes is smaller than the kdump layout's %d",
                 (unsigned long long)ram_size, KD_RAM_SIZE);
        return -1;
    }
    struct kd_machine *k = calloc(1, sizeof(*k));
    if (!k || ia64_machine_init(&k->m, bc->ncpus, ram_size)) {
        snprintf(err, errlen, "cannot create a machine with %llu bytes of RAM",
                 (unsigned long long)ram_size);
        free(k);
        return -1;
    }
    struct ia64_machine *m = &k->m;
    int rc = -1;
    struct ia64_sim_config cfg = {
        .ncpus = bc->ncpus, .mem_size = ram_size, .image = first, .image_len = first_len};
    if (ia64_load_elf(m, first, first_len, &cfg.entry, err, errlen))
        goto out;
    if (ia64_platform_setup(m, &cfg, err, errlen) != 0)
        goto out;
    uint8_t *cfgp = ia64_ram_ptr(m, KD_CFG, KD_STAGE_END - KD_CFG);
    memset(cfgp, 0, KD_STAGE_END - KD_CFG);
    put8(cfgp, CFG_MAGIC, KD_CFG_MAGIC);
    put8(cfgp, CFG_NCPUS, bc->ncpus);
    put8(cfgp, CFG_SEED, bc->seed);
    put8(cfgp, CFG_NMARKERS, bc->nmarkers);
    put8(cfgp, CFG_DEV_CPU, bc->dev_cpu);
    if (kd_stage_capture(k, capture, capture_len, err, errlen))
        goto out;
    put8(cfgp, CFG_FAULT, c->fault);
    put8(cfgp, CFG_FAULT_CPU, c->fault_cpu);
    put8(cfgp, CFG_IRQOFF, c->irqoff);
    put8(cfgp, CFG_STOP, c->stop);
    put8(cfgp, CFG_PANIC_AFTER, c->panic_after ? c->panic_after : 1);
    put8(cfgp, CFG_VARIANT, c->variant);
    /* Under a host scheduler CPUs answer later than under the model's:
     * the bound is generous (the stragglers with PSR.i = 0 wait it out). */
    put8(cfgp, CFG_WAIT, 20000);
    put8(cfgp, CFG_GO, 1); /* each CPU starts its workload once it is ready */
    *blob_len = KD_STAGE_END - KD_CFG;
    *blob = malloc(*blob_len);
    if (!*blob) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    memcpy(*blob, cfgp, *blob_len);
    *cap_entry = k->cap_entry;
    rc = 0;
out:
    ia64_platform_teardown(m);
    ia64_machine_destroy(m);
    free(k);
    return rc;
}
