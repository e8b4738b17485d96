#!/usr/bin/env python3
"""Write the inputs of tests/hostfuzz/corpus made by hand, in input.c's
format: seeds (seed-*) that reach far into each server, for the fuzzer to
start from, and a regression (crash-*) or two found by reading. Run again
after a change to the format."""
import os
import struct

RW = 3                  # grant flags: read and write
PATH = 16               # where a request's strings sit in its grant


def word(w):
    if w < 0xf8:
        return bytes([w])
    for tag, fmt, bits in ((0xf8, '<H', 16), (0xf9, '<I', 32), (0xfa, '<Q', 64)):
        if w < 1 << bits:
            return bytes([tag]) + struct.pack(fmt, w)
    raise ValueError(w)


def req(label, pid, tid, words=(), grant=None, flags=0, cap=None):
    """One request; grant: the bytes at PATH in a 64-byte buffer."""
    b = bytes([flags | (4 if grant is not None else 0) | (8 if cap is not None else 0)])
    b += struct.pack('<H', label) + bytes([pid, tid])
    b += b''.join(word(w) for w in list(words) + [0] * (6 - len(words)))
    if cap is not None:
        b += bytes([cap])
    if grant is not None:
        g = (bytes(PATH) + grant).ljust(64, b'\0')
        b += struct.pack('<H', len(g)) + g
    return b


def name(s):
    return struct.unpack('<Q', s.encode().ljust(8, b'\0'))[0]


NAMES_REGISTER, NAMES_LOOKUP = 0x100, 0x101
SEEDS = {
    'names/seed-wait-register-lookup':
        req(NAMES_LOOKUP, 0, 0, [name('xy'), 0, 1]) +
        req(NAMES_REGISTER, 0, 0, [name('xy')], cap=7) +
        req(NAMES_LOOKUP, 0, 0, [name('ab')]) +
        req(NAMES_REGISTER, 0, 0, [name('xy')], cap=8),
    # open(O_CREAT|O_RDWR), write, lseek, read, mkdir, close
    'vfs/seed-open-write-read':
        req(2, 1, 1, [PATH, 0x42, 0o644], b'/f\0', RW) +
        req(1, 1, 1, [3, PATH, 5], b'hello', RW) +
        req(8, 1, 1, [3, 0, 0]) +
        req(0, 1, 1, [3, PATH, 5], b'', RW) +
        req(83, 1, 1, [PATH, 0o755], b'/d\0', RW) +
        req(3, 1, 1, [3]),
    # pipe2, write, read; open /dev/ptmx, TIOCGPTN; procfs mounted on /p,
    # getdents64 of it, pid 1's status read
    'vfs/seed-pipe-pty-proc':
        req(293, 1, 1, [PATH, 0], b'', RW) +
        req(1, 1, 1, [4, PATH, 3], b'abc', RW) +
        req(0, 1, 1, [3, PATH, 3], b'', RW) +
        req(2, 1, 1, [PATH, 2], b'/dev/ptmx\0', RW) +
        req(16, 1, 1, [5, 0x80045430, PATH], b'', RW) +
        req(83, 1, 1, [PATH, 0o755], b'/p\0', RW) +
        req(165, 1, 1, [PATH, PATH + 5, PATH + 8], b'proc\0/p\0proc\0', RW) +
        req(2, 1, 1, [PATH, 0x10000], b'/p\0', RW) +
        req(217, 1, 1, [6, PATH, 40], b'', RW) +
        req(2, 1, 1, [PATH, 0], b'/p/1/status\0', RW) +
        req(0, 1, 1, [7, PATH, 40], b'', RW),
    # fds are 32-bit: fcntl(F_SETFD) and close of fd 0 with bit 32 set too
    'vfs/crash-fd-high-bits':
        req(72, 1, 1, [1 << 32, 2, 1]) + req(3, 1, 1, [1 << 32]),
    # getpid, fork (pid 2), getuid, setuid(1000), kill(2, SIGTERM), brk(0),
    # pid 2's exit_group(0)
    'pm/seed-fork-setuid-kill':
        req(39, 1, 1) + req(57, 1, 1) + req(102, 1, 1) + req(105, 1, 1, [1000]) +
        req(62, 1, 1, [2, 15]) + req(12, 1, 1, [0]) + req(231, 2, 2, [0]),
}

# the shim's choices come from the end: zeros, success (answers in the shim)
CHOICES = bytes(512)

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
for path, data in SEEDS.items():
    with open(os.path.join(here, path), 'wb') as f:
        f.write(data + CHOICES)
