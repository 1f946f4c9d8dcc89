"""Real encoded images of the variants phones and editors produce, made with Pillow here
(no binary fixtures), for the upload tests of both endpoints."""

import io
import struct
import zlib

from PIL import ExifTags, Image

RED, BLUE, GREEN = (220, 20, 20), (20, 20, 220), (20, 200, 20)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def halves(size=(60, 30), left=RED, right=BLUE) -> Image.Image:
    """Left half `left`, right half `right`: where each half ends up shows the orientation."""
    image = Image.new("RGB", size, right)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    return image


def mpo() -> bytes:
    """A multi-picture JPEG (what many phones write): a red picture, then a blue one."""
    first, second = Image.new("RGB", (60, 40), RED), Image.new("RGB", (60, 40), BLUE)
    return encode(first, "MPO", save_all=True, append_images=[second])


def cmyk_jpeg() -> bytes:
    return encode(Image.new("CMYK", (60, 40), (0, 255, 255, 0)), "JPEG")  # red in CMYK


def grey_16_bit_png(value=40_000) -> bytes:
    """A 16-bit greyscale PNG; 40,000 of 65,535 is a mid grey (156 in 8 bits), not white."""
    return encode(Image.new("I;16", (60, 40), value), "PNG")


def palette_png_with_transparency() -> bytes:
    """A palette PNG whose index 0 is transparent: the left half see-through, the right red."""
    image = Image.new("P", (60, 40), 1)
    image.putpalette([0, 0, 0, *RED])
    image.paste(0, (0, 0, 30, 40))
    return encode(image, "PNG", transparency=0)


def animated(fmt: str) -> bytes:
    """Two frames, red then green; the first is the one kept."""
    frames = [Image.new("RGB", (60, 40), color) for color in (RED, GREEN)]
    options = {"lossless": True} if fmt == "WEBP" else {}
    return encode(
        frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0, **options
    )


def jpeg_rotated(orientation=6) -> bytes:
    """A 60x30 JPEG, red left and blue right, whose EXIF says "rotate 90° clockwise to
    display" (6): shown upright it is 30x60, red on top, blue below."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return encode(halves(), "JPEG", exif=exif, quality=95)


def blank_rgba_png(side: int) -> bytes:
    """A `side` x `side` RGBA PNG of zeros, built row by row: a few kilobytes that decode to
    `side * side * 4` bytes, without this process ever holding those pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    row = b"\0" * (1 + side * 4)  # filter byte + pixels
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def flat_jpeg(side: int) -> bytes:
    """A `side` x `side` JPEG of one colour: a few hundred kilobytes of `side * side * 3`
    decoded bytes."""
    return encode(Image.new("RGB", (side, side), RED), "JPEG", quality=90)
