#!/usr/bin/env python3
"""Read a dgm4j model file (safetensors) with NumPy only, as a check that no dgm4j is needed.

Usage: read_dgm4j_file.py MODEL.safetensors [EXPORT.npz]

Prints one line per tensor: "tensor<TAB>name<TAB>dtype<TAB>shape<TAB>first values" and one per metadata entry:
"meta<TAB>key<TAB>value". Verifies tensor_sha256. If torch imports, re-reads every tensor with torch.frombuffer and
asserts bitwise equality; if an .npz export is given, checks that numpy.load returns the same arrays.
"""
import hashlib
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "I32": "<i4", "U8": "|u1"}


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])            # header length, little-endian u64
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]                              # offsets are relative to the data section
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():                # JSON order = order written
        begin, end = info["data_offsets"]
        dt = np.dtype(DTYPES[info["dtype"]])
        arr = np.frombuffer(data, dtype=dt, count=(end - begin) // dt.itemsize, offset=begin)
        tensors[name] = (info["dtype"], arr.reshape(info["shape"]), begin, end)
    return meta, tensors, data


def main():
    meta, tensors, data = read(sys.argv[1])
    assert hashlib.sha256(data).hexdigest() == meta["tensor_sha256"], "checksum mismatch"
    for name, (dtype, arr, _, _) in tensors.items():
        first = " ".join(repr(v.item()) for v in arr.reshape(-1)[:8])
        print(f"tensor\t{name}\t{dtype}\t{json.dumps(list(arr.shape))}\t{first}")
    for key, value in meta.items():
        print(f"meta\t{key}\t{json.dumps(value)}")

    try:
        import torch
    except ImportError:
        torch = None
    if torch is None:
        print("torch\tunavailable")
    else:
        tdt = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8}
        buf = bytearray(data)
        for name, (dtype, arr, begin, end) in tensors.items():
            n = arr.size
            t = (torch.frombuffer(buf, dtype=tdt[dtype], count=n, offset=begin) if n
                 else torch.empty(0, dtype=tdt[dtype])).reshape(arr.shape)
            assert t.numpy().tobytes() == arr.tobytes(), name   # bitwise, NaNs included
        print(f"torch\tok\t{len(tensors)}")

    if len(sys.argv) > 2:
        npz = np.load(sys.argv[2])
        for name, (dtype, arr, _, _) in tensors.items():
            other = npz[name]
            assert other.dtype == arr.dtype and other.shape == arr.shape, name
            assert other.tobytes() == arr.tobytes(), name
        expected = {k: v for k, v in meta.items() if k != "tensor_sha256"}  # the checksum is of the safetensors data
        assert json.loads(npz["metadata.json"]) == expected
        print(f"npz\tok\t{len(tensors)}")


if __name__ == "__main__":
    main()
