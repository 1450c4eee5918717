"""An inverted index kept from one grouping to the next: each key's holders, compactly.

Takes keys and the index of each article holding them; gives, for a key, its holders in index
order. The holders of a key are kept as packed unsigned 32-bit integers (``bytes``), not a set:
the grouping's indices have hundreds of thousands of keys, and a build loads and stores them
whole (a set costs some 30 bytes an element and a function call to rebuild, these 4 bytes and a
copy).
"""
from __future__ import annotations

from array import array
from bisect import bisect_left
from typing import Iterable, Iterator


class Holders:
    def __init__(self, found: dict | None = None):
        """``found``: each key's holders, in index order."""
        self._found = {k: array("I", held).tobytes() for k, held in (found or {}).items()}

    def get(self, key) -> array:
        held = array("I")
        packed = self._found.get(key)
        if packed is not None:
            held.frombytes(packed)
        return held

    def __contains__(self, key) -> bool:
        return key in self._found

    def items(self) -> Iterator[tuple[object, array]]:
        for key in self._found:
            yield key, self.get(key)

    def add(self, keys: Iterable, i: int) -> None:
        for key in keys:
            held = self.get(key)
            at = bisect_left(held, i)
            if at == len(held) or held[at] != i:
                held.insert(at, i)
                self._found[key] = held.tobytes()

    def discard(self, keys: Iterable, i: int) -> None:
        for key in keys:
            held = self.get(key)
            at = bisect_left(held, i)
            if at < len(held) and held[at] == i:
                del held[at]
                if held:
                    self._found[key] = held.tobytes()
                else:
                    del self._found[key]

    def __eq__(self, other) -> bool:
        return isinstance(other, Holders) and self._found == other._found

    def __repr__(self) -> str:
        return f"Holders({len(self._found)} keys)"
