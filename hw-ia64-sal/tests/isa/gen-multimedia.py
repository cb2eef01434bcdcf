#!/usr/bin/env python3
"""Writes multimedia.S: every multimedia form the model decodes, each checked
against the value this script computes from the SDM vol 3 descriptions with
struct-packed lanes (an implementation independent of src/core/exec_mm.c).
Regenerate with:
    python3 gen-multimedia.py > multimedia.S
"""
import struct
import sys

M = (1 << 64) - 1
A = 0x80FF7F0102FE40C0
B = 0x7F01807F03FF2060


def lanes(v, sz, signed=False):
    fmt = {1: "b", 2: "h", 4: "i"}[sz]
    fmt = fmt if signed else fmt.upper()
    return list(struct.unpack("<%d%s" % (8 // sz, fmt), v.to_bytes(8, "little")))


def pack(ls, sz):
    mask = (1 << (8 * sz)) - 1
    fmt = {1: "B", 2: "H", 4: "I"}[sz]
    return int.from_bytes(struct.pack("<%d%s" % (len(ls), fmt), *[x & mask for x in ls]), "little")


def sat(x, lo, hi):
    return max(lo, min(hi, x))


tests = []


def T(asm, val):
    tests.append((asm, val & M))


for sz in (1, 2, 4):
    n = 8 * sz
    smin, smax, umax = -(1 << (n - 1)), (1 << (n - 1)) - 1, (1 << n) - 1
    ua, ub = lanes(A, sz), lanes(B, sz)
    sa, sb = lanes(A, sz, True), lanes(B, sz, True)
    T("padd%d r10 = r8, r9" % sz, pack([x + y for x, y in zip(ua, ub)], sz))
    T("psub%d r10 = r8, r9" % sz, pack([x - y for x, y in zip(ua, ub)], sz))
    T("pcmp%d.eq r10 = r8, r9" % sz, pack([-1 if x == y else 0 for x, y in zip(ua, ub)], sz))
    T("pcmp%d.gt r10 = r8, r9" % sz, pack([-1 if x > y else 0 for x, y in zip(sa, sb)], sz))
    h = len(ua) // 2
    T("mix%d.r r10 = r8, r9" % sz, pack(sum([[ub[2 * k], ua[2 * k]] for k in range(h)], []), sz))
    T("mix%d.l r10 = r8, r9" % sz, pack(sum([[ub[2 * k + 1], ua[2 * k + 1]] for k in range(h)], []), sz))
    T("unpack%d.l r10 = r8, r9" % sz, pack(sum([[ub[k], ua[k]] for k in range(h)], []), sz))
    T("unpack%d.h r10 = r8, r9" % sz, pack(sum([[ub[h + k], ua[h + k]] for k in range(h)], []), sz))
    if sz < 4:
        T("padd%d.sss r10 = r8, r9" % sz, pack([sat(x + y, smin, smax) for x, y in zip(sa, sb)], sz))
        T("padd%d.uuu r10 = r8, r9" % sz, pack([sat(x + y, 0, umax) for x, y in zip(ua, ub)], sz))
        T("padd%d.uus r10 = r8, r9" % sz, pack([sat(x + y, 0, umax) for x, y in zip(ua, sb)], sz))
        T("psub%d.sss r10 = r8, r9" % sz, pack([sat(x - y, smin, smax) for x, y in zip(sa, sb)], sz))
        T("psub%d.uuu r10 = r8, r9" % sz, pack([sat(x - y, 0, umax) for x, y in zip(ua, ub)], sz))
        T("psub%d.uus r10 = r8, r9" % sz, pack([sat(x - y, 0, umax) for x, y in zip(ua, sb)], sz))
        T("pavg%d r10 = r8, r9" % sz, pack([((x + y) >> 1) | ((x + y) & 1) for x, y in zip(ua, ub)], sz))
        T("pavg%d.raz r10 = r8, r9" % sz, pack([(x + y + 1) >> 1 for x, y in zip(ua, ub)], sz))
        T("pavgsub%d r10 = r8, r9" % sz, pack([((x - y) >> 1) | ((x - y) & 1) for x, y in zip(ua, ub)], sz))
    if sz > 1:
        for c in (0, 3, n - 1, n + 5):
            T("mov r11 = %d;; pshr%d r10 = r8, r11" % (c, sz), pack([x >> min(c, n - 1) for x in sa], sz))
            T("mov r11 = %d;; pshr%d.u r10 = r8, r11" % (c, sz), pack([x >> c if c < n else 0 for x in ua], sz))
            T("mov r11 = %d;; pshl%d r10 = r8, r11" % (c, sz), pack([x << c if c < n else 0 for x in ua], sz))
        T("pshr%d r10 = r8, 5" % sz, pack([x >> 5 for x in sa], sz))
        T("pshr%d.u r10 = r8, 5" % sz, pack([x >> 5 for x in ua], sz))
        T("pshl%d r10 = r8, 5" % sz, pack([x << 5 for x in ua], sz))
        hn = 4 * sz
        T("pack%d.sss r10 = r8, r9" % sz,
          pack([sat(x, -(1 << (hn - 1)), (1 << (hn - 1)) - 1) for x in sa + sb], sz // 2))
        if sz == 2:
            T("pack2.uss r10 = r8, r9", pack([sat(x, 0, 255) for x in sa + sb], 1))

sa, sb = lanes(A, 2, True), lanes(B, 2, True)
ua, ub = lanes(A, 2), lanes(B, 2)
T("pmpy2.r r10 = r8, r9", pack([sa[0] * sb[0], sa[2] * sb[2]], 4))
T("pmpy2.l r10 = r8, r9", pack([sa[1] * sb[1], sa[3] * sb[3]], 4))
for c in (0, 7, 15, 16):
    T("pmpyshr2 r10 = r8, r9, %d" % c, pack([(x * y) >> c for x, y in zip(sa, sb)], 2))
    T("pmpyshr2.u r10 = r8, r9, %d" % c, pack([(x * y) >> c for x, y in zip(ua, ub)], 2))
for c in (1, 2, 3):
    T("pshladd2 r10 = r8, %d, r9" % c, pack([sat((x << c) + y, -32768, 32767) for x, y in zip(sa, sb)], 2))
    T("pshradd2 r10 = r8, %d, r9" % c, pack([sat((x >> c) + y, -32768, 32767) for x, y in zip(sa, sb)], 2))
T("pmin2 r10 = r8, r9", pack([min(x, y) for x, y in zip(sa, sb)], 2))
T("pmax2 r10 = r8, r9", pack([max(x, y) for x, y in zip(sa, sb)], 2))
u1a, u1b = lanes(A, 1), lanes(B, 1)
T("pmin1.u r10 = r8, r9", pack([min(x, y) for x, y in zip(u1a, u1b)], 1))
T("pmax1.u r10 = r8, r9", pack([max(x, y) for x, y in zip(u1a, u1b)], 1))
T("psad1 r10 = r8, r9", sum(abs(x - y) for x, y in zip(u1a, u1b)))
T("mux1 r10 = r8, @rev", int.from_bytes(A.to_bytes(8, "little"), "big"))
T("mux1 r10 = r8, @brcst", pack([u1a[0]] * 8, 1))
# result byte i = source byte perm[i] (SDM figure, listed from byte 0 up)
for name, perm in (("mix", [0, 4, 2, 6, 1, 5, 3, 7]), ("shuf", [0, 4, 1, 5, 2, 6, 3, 7]),
                   ("alt", [0, 2, 4, 6, 1, 3, 5, 7])):
    T("mux1 r10 = r8, @%s" % name, pack([u1a[p] for p in perm], 1))
for mh in (0x1B, 0x00, 0xE4, 0x4E):
    T("mux2 r10 = r8, 0x%x" % mh, pack([ua[(mh >> (2 * i)) & 3] for i in range(4)], 2))

out = [
    "// Generated by gen-multimedia.py: every multimedia form the model decodes",
    "// against values computed from the SDM's descriptions; a NaT source gives",
    "// a NaT target.",
    '#include "ia64test.h"', "", "\t.text", "\t.global _start", "_start:",
    "\tmovl r8 = 0x%x" % A, "\tmovl r9 = 0x%x;;" % B,
]
for i, (asm, val) in enumerate(tests):
    out.append("\t%s;;" % asm)
    out.append("\tEXPECT(r10, 0x%x, %d)" % (val, i + 1))
out.append("""\tmov r12 = 1;;
\tld8.s r13 = [r12];;\t\t\t// a NaT
\tpadd1 r10 = r8, r13;;
\ttnat.nz p6, p0 = r10;;
\tEXPECT_P(p6, 900)
\tmux1 r10 = r13, @rev;;
\ttnat.nz p6, p0 = r10;;
\tEXPECT_P(p6, 901)
\tbr.cond.sptk.few test_pass;;

\tTEST_EXITS""")
sys.stdout.write("\n".join(out) + "\n")
