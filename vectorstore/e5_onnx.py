"""The e5-small encoder as an ONNX graph for onnxruntime, written straight to protobuf bytes.

The `onnx` package is not a dependency (onnxruntime, which chromadb already brings, only needs the
serialised model), so the few ModelProto messages the graph uses are encoded here by hand, after
onnx.proto (proto2 field numbers; repeated scalars unpacked, which every parser accepts).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

import numpy as np

FLOAT, UINT8, INT8, INT32, INT64 = 1, 2, 3, 6, 7
_DTYPES = {
    np.dtype("float32"): FLOAT,
    np.dtype("uint8"): UINT8,
    np.dtype("int8"): INT8,
    np.dtype("int64"): INT64,
}
MS = "com.microsoft"


def _varint(v: int) -> bytes:
    v &= (1 << 64) - 1  # negative int64 values go out as ten-byte two's complement
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _int(field: int, v: int) -> bytes:
    return _varint(field << 3) + _varint(v)


def _bytes(field: int, v: bytes | str) -> bytes:
    data = v.encode() if isinstance(v, str) else v
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def tensor(name: str, arr: np.ndarray) -> bytes:
    arr = np.ascontiguousarray(arr)
    dims = b"".join(_int(1, d) for d in arr.shape)
    return dims + _int(2, _DTYPES[arr.dtype]) + _bytes(8, name) + _bytes(9, arr.tobytes())


def _attr(name: str, value: int | float | list[int]) -> bytes:
    if isinstance(value, list):
        return _bytes(1, name) + b"".join(_int(8, v) for v in value) + _int(20, 7)
    if isinstance(value, float):
        return _bytes(1, name) + _varint(2 << 3 | 5) + struct.pack("<f", value) + _int(20, 1)
    return _bytes(1, name) + _int(3, value) + _int(20, 2)


def _value_info(name: str, elem: int, dims: list[int | str]) -> bytes:
    shape = b"".join(_bytes(1, _bytes(2, d) if isinstance(d, str) else _int(1, d)) for d in dims)
    return _bytes(1, name) + _bytes(2, _bytes(1, _int(1, elem) + _bytes(2, shape)))


class Graph:
    """Collects nodes and initializers; `model()` returns the serialised ModelProto."""

    def __init__(self) -> None:
        self.nodes: list[bytes] = []
        self.inits: list[bytes] = []
        self.count = 0

    def init(self, name: str, arr: np.ndarray) -> str:
        self.inits.append(tensor(name, arr))
        return name

    def op(
        self,
        op_type: str,
        inputs: list[str],
        n_out: int = 1,
        domain: str = "",
        **attrs: int | float | list[int],
    ) -> str:
        self.count += 1
        outs = [f"{op_type}_{self.count}_{i}" for i in range(n_out)]
        body = b"".join(_bytes(1, i) for i in inputs) + b"".join(_bytes(2, o) for o in outs)
        body += _bytes(3, f"n{self.count}") + _bytes(4, op_type)
        body += b"".join(_bytes(5, _attr(k, v)) for k, v in attrs.items())
        if domain:
            body += _bytes(7, domain)
        self.nodes.append(body)
        return outs[0]

    def model(
        self,
        inputs: Mapping[str, tuple[int, list[int | str]]],
        outputs: Mapping[str, tuple[int, list[int | str]]],
        rename_output: dict[str, str],
    ) -> bytes:
        nodes = list(self.nodes)
        for src, dst in rename_output.items():
            nodes.append(_bytes(1, src) + _bytes(2, dst) + _bytes(4, "Identity"))
        graph = b"".join(_bytes(1, n) for n in nodes) + _bytes(2, "e5")
        graph += b"".join(_bytes(5, t) for t in self.inits)
        graph += b"".join(_bytes(11, _value_info(k, e, d)) for k, (e, d) in inputs.items())
        graph += b"".join(_bytes(12, _value_info(k, e, d)) for k, (e, d) in outputs.items())
        opsets = _bytes(8, _int(2, 17)) + _bytes(8, _bytes(1, MS) + _int(2, 1))
        return _int(1, 9) + _bytes(2, "sotay") + _bytes(7, graph) + opsets
