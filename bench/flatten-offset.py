#!/usr/bin/env python3
"""Flattens any file by offset: makedumpfile's flat header, then 1 MiB
records in file order, then the end record (-1, -1).
   flatten-offset.py FILE OUT"""
import struct, sys

src = open(sys.argv[1], 'rb')
out = open(sys.argv[2], 'wb')
out.write(b'makedumpfile'.ljust(16, b'\0') + struct.pack('>qq', 1, 1) + b'\0' * (4096 - 32))
off = 0
while True:
    b = src.read(1 << 20)
    if not b:
        break
    out.write(struct.pack('>qq', off, len(b)) + b)
    off += len(b)
out.write(struct.pack('>qq', -1, -1))
