"""Fashion-MNIST from the Debian package dataset-fashion-mnist (gzipped big-endian IDX files)."""
import gzip
import os
import pathlib
import struct

import numpy as np

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"
DIR_ENV = "ABLATE_FASHION_MNIST_DIR"


class DatasetUnavailable(Exception):
    """The files are missing or unreadable; the message is one line saying how to install them."""


def directory():
    return pathlib.Path(os.environ.get(DIR_ENV) or DEFAULT_DIR)


def _open(dir_, base):
    for name, opener in ((base + ".gz", gzip.open), (base, open)):
        path = dir_ / name
        if path.is_file():
            return opener(path, "rb")
    raise DatasetUnavailable(f"Fashion-MNIST not found in {dir_} (no {base}.gz): install the Debian package "
                             "dataset-fashion-mnist (apt-get install dataset-fashion-mnist)")


def load(split, subset=0):
    """Images [N, 1, 28, 28] as float32 in [0, 1] (byte / 255, as the Java side), first `subset` (0: all)."""
    prefix = {"train": "train", "test": "t10k"}[split]
    dir_ = directory()
    with _open(dir_, prefix + "-images-idx3-ubyte") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 0x803:
            raise DatasetUnavailable(f"{dir_}: {prefix} images have magic {magic:#x}, not 0x803 (reinstall dataset-fashion-mnist)")
        pixels = np.frombuffer(f.read(count * rows * cols), dtype=np.uint8)
    if pixels.size != count * rows * cols:
        raise DatasetUnavailable(f"{dir_}: {prefix} images are truncated (reinstall dataset-fashion-mnist)")
    images = pixels.reshape(count, 1, rows, cols).astype(np.float32) / np.float32(255.0)
    return images if subset == 0 else images[:subset]


class BatchOrder:
    """Mini-batches drawn without replacement within each epoch, in a seeded order (as the Java task's)."""

    def __init__(self, count, batch, rng):
        self.count = count
        self.batch = batch
        self.rng = rng
        self._reshuffle()

    def _reshuffle(self):
        self.permutation = self.rng.permutation(self.count)
        self.position = 0

    def next(self):
        out = np.empty(self.batch, dtype=np.int64)
        for i in range(self.batch):
            if self.position == self.count:
                self._reshuffle()
            out[i] = self.permutation[self.position]
            self.position += 1
        return out
