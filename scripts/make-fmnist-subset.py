#!/usr/bin/python3
"""Writes resources/fashion-mnist-subset/: the first 1,000 test and 1,000 training images of Fashion-MNIST
(IDX, gzipped, the original format) from Debian's dataset-fashion-mnist, so the demo works without it.
usage: scripts/make-fmnist-subset.py [SOURCE_DIR] [OUT_DIR]
"""
import gzip
import os
import struct
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "resources", "fashion-mnist-subset")
os.makedirs(out, exist_ok=True)


def subset(prefix, count):
    with gzip.open(os.path.join(source, f"{prefix}-images-idx3-ubyte.gz"), "rb") as handle:
        magic, total, rows, cols = struct.unpack(">IIII", handle.read(16))
        pixels = handle.read(count * rows * cols)
    with gzip.open(os.path.join(source, f"{prefix}-labels-idx1-ubyte.gz"), "rb") as handle:
        label_magic, label_total = struct.unpack(">II", handle.read(8))
        labels = handle.read(count)
    assert magic == 0x803 and label_magic == 0x801 and total >= count and label_total >= count
    # mtime=0: the same bytes on every run, so regenerating does not change the committed files.
    with gzip.GzipFile(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), "wb", mtime=0) as handle:
        handle.write(struct.pack(">IIII", magic, count, rows, cols) + pixels)
    with gzip.GzipFile(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), "wb", mtime=0) as handle:
        handle.write(struct.pack(">II", label_magic, count) + labels)


subset("t10k", 1000)
subset("train", 1000)
print(f"wrote {out}")
