#!/usr/bin/env python3
"""Draws the app icon (src-tauri/icons/*.png) with no library: three people
standing together on a rounded square. Run again after changing the drawing:
python3 scripts/make-icon.py"""
import os
import struct
import zlib

BG = (15, 94, 102)  # deep teal
PEOPLE = [  # (centre x, head y, scale, colour), in a 1×1 square
    (0.30, 0.42, 0.82, (247, 197, 72)),
    (0.70, 0.42, 0.82, (240, 128, 92)),
    (0.50, 0.36, 1.00, (255, 255, 255)),
]


def in_rounded_square(x, y, r=0.18):
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def person_at(x, y, px, hy, s):
    head = 0.085 * s
    if (x - px) ** 2 + (y - hy) ** 2 <= head * head:
        return True
    # Shoulders: the top half of an ellipse under the head, cut at the base.
    sy = hy + 0.29 * s
    w, h = 0.17 * s, 0.17 * s
    return y <= 0.80 and y <= sy + 0.2 and ((x - px) / w) ** 2 + ((y - sy) / h) ** 2 <= 1 or (
        sy <= y <= 0.80 and abs(x - px) <= w
    )


def colour(x, y):
    if not in_rounded_square(x, y):
        return None
    c = BG
    for px, hy, s, col in PEOPLE:
        if person_at(x, y, px, hy, s):
            c = col
    return c


def render(n, ss=4):
    rows = []
    for j in range(n):
        row = bytearray([0])
        for i in range(n):
            acc = [0, 0, 0, 0]
            for sj in range(ss):
                for si in range(ss):
                    c = colour((i + (si + 0.5) / ss) / n, (j + (sj + 0.5) / ss) / n)
                    if c:
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
                        acc[3] += 1
            k = acc[3]
            if k:
                row += bytes([acc[0] // k, acc[1] // k, acc[2] // k, 255 * k // (ss * ss)])
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return png(n, n, b"".join(rows))


def png(w, h, raw):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    out = os.path.join(os.path.dirname(__file__), "..", "src-tauri", "icons")
    for name, n in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(render(n))
