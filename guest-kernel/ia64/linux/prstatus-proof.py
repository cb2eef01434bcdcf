#!/usr/bin/env python3
"""The register proof of a Linux/ia64 vmcore: one NT_PRSTATUS per CPU, each
written by Linux's crash_save_this_cpu (ia64_dump_cpu_regs stores b0, the
return address into its caller, in slot 42, the "ip"; ia64-facts.md section 3)
with a kernel stack pointer (r12 in region 7 or the kernel's region 5).

Usage: prstatus-proof.py VMCORE SYSTEM.MAP NCPUS
Prints one line per note; exit 0 when every check holds, 1 otherwise,
2 on unreadable input."""
import bisect
import struct
import sys

PR_REG = 112          # offset of pr_reg in the LP64 elf_prstatus
PRSTATUS_SIZE = 1144  # sizeof(struct elf_prstatus) on ia64


def notes(data):
    e_phoff, = struct.unpack_from("<Q", data, 32)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    for i in range(min(e_phnum, 4096)):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, e_phoff + i * e_phentsize)
        if p_type != 4:
            continue
        off, end = p_offset, min(p_offset + p_filesz, len(data))
        while off + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, off)
            name = data[off + 12:off + 12 + namesz].rstrip(b"\0")
            desc = off + 12 + ((namesz + 3) & ~3)
            yield name, ntype, data[desc:desc + descsz]
            off = desc + ((descsz + 3) & ~3)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    try:
        data = open(sys.argv[1], "rb").read()
        syms = []
        for line in open(sys.argv[2]):
            f = line.split()
            if len(f) == 3 and f[1] in "tTwW":
                syms.append((int(f[0], 16), f[2]))
        ncpus = int(sys.argv[3])
    except (OSError, ValueError) as e:
        print(f"cannot read the input: {e}")
        return 2
    if data[:4] != b"\x7fELF" or struct.unpack_from("<H", data, 18)[0] != 50:
        print("not an EM_IA_64 ELF core")
        return 1
    syms.sort()
    addrs = [a for a, _ in syms]
    bad = 0
    seen = 0
    for name, ntype, desc in notes(data):
        if name != b"CORE" or ntype != 1:
            continue
        seen += 1
        if len(desc) != PRSTATUS_SIZE:
            print(f"note {seen}: {len(desc)} bytes, not {PRSTATUS_SIZE}")
            bad += 1
            continue
        pid, = struct.unpack_from("<i", desc, 32)
        sp, = struct.unpack_from("<Q", desc, PR_REG + 12 * 8)
        ip, = struct.unpack_from("<Q", desc, PR_REG + 42 * 8)
        i = bisect.bisect_right(addrs, ip) - 1
        fn = syms[i][1] if i >= 0 else "?"
        good = fn == "crash_save_this_cpu" and (sp >> 61) in (5, 7)
        print(f"note {seen}: pid {pid} ip 0x{ip:x} ({fn}) sp 0x{sp:x}: "
              f"{'saved by crash_save_this_cpu' if good else 'NOT from crash_save_this_cpu with a kernel stack'}")
        bad += not good
    if seen != ncpus:
        print(f"{seen} NT_PRSTATUS notes, {ncpus} CPUs")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
