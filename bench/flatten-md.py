#!/usr/bin/env python3
"""Flattens a kdump-compressed file in makedumpfile -F's record order:
the header blocks, both bitmaps, then page descriptors and page data
through two 64 KiB caches (makedumpfile's cache_size, page_size <<
block_order 4), each flushed as one record when full, a descriptor
written before its page's data; what is left in the caches last.
   flatten-md.py KDUMP OUT"""
import struct, sys

src = open(sys.argv[1], 'rb').read()
out = open(sys.argv[2], 'wb')
CACHE = 64 << 10


def rec(off, b):
    out.write(struct.pack('>QQ', off, len(b)) + b)


bs, sub, blocks = struct.unpack_from('<III', src, 428)
bm_off = (1 + sub) * bs
bm_len = blocks * bs // 2
desc_off = bm_off + 2 * bm_len
out.write(b'makedumpfile'.ljust(16, b'\0') + struct.pack('>qq', 1, 1) + b'\0' * (4096 - 32))
rec(0, src[:bm_off])
rec(bm_off, src[bm_off:bm_off + bm_len])
rec(bm_off + bm_len, src[bm_off + bm_len:desc_off])
# Descriptors up to the first data offset; the data region from there on.
data_off = struct.unpack_from('<q', src, desc_off)[0]
ndesc = (data_off - desc_off) // 24
hbuf, hat = bytearray(), desc_off
pbuf, pat = bytearray(), data_off
written = set()
for i in range(ndesc):
    d = src[desc_off + 24 * i:desc_off + 24 * i + 24]
    hbuf += d
    if len(hbuf) >= CACHE:
        rec(hat, bytes(hbuf[:CACHE])); del hbuf[:CACHE]; hat += CACHE
    off, size = struct.unpack_from('<qI', d)
    if off in written:  # the one zero page, written once
        continue
    written.add(off)
    pbuf += src[off:off + size]
    if len(pbuf) >= CACHE:
        rec(pat, bytes(pbuf[:CACHE])); del pbuf[:CACHE]; pat += CACHE
if hbuf:
    rec(hat, bytes(hbuf))
if pbuf:
    rec(pat, bytes(pbuf))
out.write(struct.pack('>qq', -1, -1))
