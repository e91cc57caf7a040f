"""A grayscale PNG writer on the standard library (no imaging package needed on a GPU host)."""
import struct
import zlib


def write_gray(path, pixels, height, width):
    """pixels: rows of `width` values in [0, 1], `height` rows."""
    raw = bytearray()
    for r in range(height):
        raw.append(0)
        raw.extend(max(0, min(255, int(round(v * 255)))) for v in pixels[r * width:(r + 1) * width])

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))
    tmp = str(path) + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    import os
    os.replace(tmp, path)
