"""Simulated power loss for the crash test: cut RocksDB's newest write-ahead log where a power loss could.

A power loss keeps what was fsync'd and may lose anything after it. RocksDB appends to one WAL file at a
time (NNNNNN.log; "LOG" is its info log), so losing the unsynced tail is a truncation of the newest WAL at
some byte at or after the last synced one. The test cannot see RocksDB's fsyncs, but it knows which writes
were acknowledged as durable, and an acknowledged write was fsync'd before its answer left. So ``cut()``
truncates the newest WAL at a seeded random byte anywhere after the last byte of every write an
acknowledgement vouched for, mid-record included. The bytes it may drop belong to requests still in flight
at the kill (whether RocksDB had synced them yet or not: a cut there leaves a state in which those requests
simply had not reached the disk), never to an acknowledged one.

Where the last vouched byte is:

* for acknowledged PutRecords (with --sync=always): the end of the last WAL record (a WriteBatch) holding
  one of them. The WAL is parsed (32 KiB blocks of fragments with 7-byte headers) and each WriteBatch is
  searched for the records' unique tags, which eddy stores verbatim;
* for acknowledged control-plane calls (synced in both --sync modes; docs/durability.md): ``mark()`` samples
  the WAL's size right after the answer arrives, which is at or past the call's own bytes.

With --sync=none acknowledged PutRecords vouch for nothing, so the cut may take those written after the
last control-plane call.
"""

from __future__ import annotations

import os
import random
import re
import struct
import threading
from pathlib import Path
from typing import Iterator, Optional

WAL_NAME = re.compile(r"^(\d+)\.log$")
BLOCK, HEADER = 32768, 7  # RocksDB's log format (db/log_format.h), without WAL recycling (eddy's setting)
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


def wal_records(buf: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(start, end, payload) of each whole logical record (a WriteBatch) in a WAL, in file order; stops at
    a torn tail."""
    pos, start, parts = 0, 0, []
    while pos + HEADER <= len(buf):
        left = BLOCK - pos % BLOCK
        if left < HEADER:  # a block's trailer: zero padding
            pos += left
            continue
        _crc, length, kind = struct.unpack_from("<IHB", buf, pos)
        end = pos + HEADER + length
        if end > len(buf) or (kind == 0 and length == 0):
            return
        frag = buf[pos + HEADER:end]
        if kind == FULL:
            yield pos, end, frag
        elif kind == FIRST:
            start, parts = pos, [frag]
        elif kind == MIDDLE:
            parts.append(frag)
        elif kind == LAST:
            parts.append(frag)
            yield start, end, b"".join(parts)
        else:
            raise AssertionError(f"WAL fragment type {kind} at byte {pos}: a log format this parser does not know")
        pos = end


class WalWatch:
    def __init__(self, data_dir: os.PathLike):
        self.dir = Path(data_dir)
        self._lock = threading.Lock()
        self._durable: dict[str, int] = {}  # WAL file name -> largest size seen right after a vouching answer

    def sizes(self) -> dict[str, int]:
        out = {}
        try:
            entries = list(os.scandir(self.dir))
        except FileNotFoundError:
            return out
        for e in entries:
            if WAL_NAME.match(e.name):
                try:
                    out[e.name] = e.stat().st_size
                except FileNotFoundError:  # RocksDB deleted an obsolete WAL meanwhile
                    pass
        return out

    def mark(self) -> None:
        """Call right after an answer that vouches for durability has arrived (any thread)."""
        sizes = self.sizes()
        with self._lock:
            for name, size in sizes.items():
                if size > self._durable.get(name, 0):
                    self._durable[name] = size

    def cut(self, rng: random.Random, acked_tags: Optional[set[bytes]] = None,
            tag: Optional[re.Pattern] = None) -> dict:
        """Eddy must be dead. Truncates the newest WAL at a random byte past the last vouched one: past every
        mark() and, if given, past the WriteBatch of every acknowledged record (found by `tag` matches that are
        in `acked_tags`; each must be found in some WAL). Returns what it did."""
        sizes = self.sizes()
        if not sizes:
            raise AssertionError(f"no write-ahead log (NNNNNN.log) in {self.dir}")
        order = sorted(sizes, key=lambda n: int(WAL_NAME.match(n).group(1)))
        newest = order[-1]
        size = sizes[newest]
        with self._lock:
            floor = self._durable.get(newest, 0)
            # Files RocksDB has since deleted no longer matter.
            self._durable = {n: v for n, v in self._durable.items() if n in sizes}
        if floor > size:
            raise AssertionError(f"{newest} shrank from {floor} to {size} bytes while eddy was alive")
        marked = floor
        if acked_tags:
            left = set(acked_tags)
            for name in reversed(order):  # normally all in the newest; older ones are whole anyway
                for _start, end, payload in wal_records((self.dir / name).read_bytes()):
                    found = {m.group(0) for m in tag.finditer(payload)} & left
                    if found:
                        left -= found
                        if name == newest:
                            floor = max(floor, end)
                if not left:
                    break
            if left:
                raise AssertionError(f"{len(left)} acknowledged records (e.g. {sorted(left)[:3]}) are in no WAL "
                                     f"of {self.dir}: cannot tell where a power loss may cut")
        at = rng.randint(floor, size)
        # Torn: the cut falls inside a logical record (not on a boundary RocksDB wrote up to).
        boundaries = {0} | {end for _, end, _ in wal_records((self.dir / newest).read_bytes())}
        os.truncate(self.dir / newest, at)
        return {"file": newest, "size": size, "floor": floor, "marked": marked, "cut_at": at,
                "dropped": size - at, "torn": at not in boundaries}
