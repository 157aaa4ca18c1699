"""Converts an X window dump (xwd -root, 24/32-bit TrueColor ZPixmap, the format Xvfb gives) into a PNG, so the
real-X tests can keep screenshots without ImageMagick. usage: xwd_to_png.py IN.xwd OUT.png"""
import struct
import sys

from PIL import Image


def xwd_to_image(data):
    # XWDFileHeader: 25 big-endian CARD32 (X11/XWDFile.h), then the window name, then ncolors XWDColor entries.
    header = struct.unpack(">25I", data[:100])
    header_size, _version, pixmap_format, _depth, width, height = header[:6]
    byte_order = header[7]
    bits_per_pixel, bytes_per_line = header[11], header[12]
    _red_mask, _green_mask, blue_mask = header[14:17]
    colors = header[19]
    if pixmap_format != 2 or bits_per_pixel not in (24, 32):
        raise SystemExit(f"unsupported xwd: format {pixmap_format}, {bits_per_pixel} bits per pixel")
    start = header_size + 12 * colors
    raw = data[start:start + bytes_per_line * height]
    mode = "BGRX" if bits_per_pixel == 32 and byte_order == 0 and blue_mask == 0xFF else "XRGB" if bits_per_pixel == 32 else "BGR"
    return Image.frombytes("RGB", (width, height), raw, "raw", mode, bytes_per_line)


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as handle:
        xwd_to_image(handle.read()).save(sys.argv[2])
