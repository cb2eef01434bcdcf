/* Synthetic ELF cores from a readable description, for the checker's tests
 * (and `build/bin/mkcore`). One directive per line, '#' comments:
 *
 *   layout kexec_load|kexec_file_load|qemu   (default kexec_load)
 *   cpu pid=12 rip=0xffffffff81000000 rsp=0x... [crash_notes=0xPADDR]
 *        one NT_PRSTATUS note each, in order; crash_notes= also writes the
 *        note's bytes into RAM there, as the crashed kernel's per-CPU buffer
 *        holds them (QEMU layout: pid defaults to the CPU's index + 1)
 *   vmcoreinfo KEY=VALUE   (repeatable; without any, a plausible default set;
 *                           "vmcoreinfo none" leaves the note out)
 *   ram 0x100000-0x3fffffff [fill=pfn|zero|byte:0xNN]
 *        one PT_LOAD for the inclusive range; fill=pfn (default) writes the
 *        frame number in every 8-byte word, so content is checkable
 *   text paddr=0x1000000 vaddr=0xffffffff81000000 size=0x2000000
 *   marker seed=42 pfn=0x1234 [count=N]   (dl_marker_word pages in RAM)
 *   poke paddr=0x... byte=0xNN             (change one byte of RAM)
 *   defect NAME    one of: note-overrun, load-overlap, load-outside-file,
 *        absurd-size, unaligned-offset, bad-ehsize, bad-version, no-phdrs,
 *        prstatus-size, bad-machine, bad-kaslr, bad-stext, no-crashtime,
 *        filesz-gt-memsz, bad-phnum (e_phnum 0xfff0: the table runs
 *        into the notes, or past the end of a small file), vmcoreinfo-missing,
 *        truncate=N (bytes to keep; "truncate" alone cuts the last segment
 *        in half)
 *
 * Layouts (vmcore-facts.md A1): kdump ones are EM_X86_64 with the merged
 * PT_NOTE at phdr[0], a kernel-text PT_LOAD (2 MiB at the first 2 MiB
 * boundary of RAM unless 'text' says otherwise) and p_offset = p_paddr mod
 * 4096; kexec_file_load drops RAM below 1 MiB; qemu writes "CORE" then
 * "QEMU" notes, pr_pid = index + 1, no text segment, packed offsets.
 *
 * RAM content is generated page by page and kept small by the caller
 * (tens of MiB at most). */
#ifndef DUMPLAB_COREGEN_H
#define DUMPLAB_COREGEN_H

#include <glib.h>
#include <stdbool.h>

GBytes *dl_coregen_build(const char *description, GError **err);
/* Builds and writes path with mode 0600. */
bool dl_coregen_write(const char *description, const char *path, GError **err);

#endif
