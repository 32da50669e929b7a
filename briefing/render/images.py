"""Images as the PDF gets them: decoded once, size-capped, and no finer than print needs.

Why: a source's images come from anywhere. A small file can unpack into a huge
bitmap (13 300 × 13 300 pixels from 687 KB: 2.6 GB of memory and seconds of
decoding), so the pixel count is checked from the header before anything is
decoded, with a cap well below Pillow's own. A photo straight from a camera is
far finer than a printed page can show and makes a PDF that is slow to mail and
to open, so an image finer than ~300 dpi at the largest size it can print is
resampled down to that. 16-bit images, which ReportLab would misread, are
converted to 8 bits, and a photo with an EXIF orientation is turned upright.
Every problem is a located error at the ``image:`` key.
"""

from __future__ import annotations

import math
import warnings
from io import BytesIO
from typing import Any

#: The most pixels an image may have: 40 MP is a 7 700 × 5 200 photo, and decodes in
#: at most 160 MiB (4 bytes a pixel); Pillow's own limit is 89 MP (then 179 MP).
MAX_PIXELS = 40_000_000
#: Resolution of a resampled image at its printed size, in pixels per inch.
TARGET_DPI = 300
#: An image is left as it is up to this factor above the target: resampling a slightly
#: finer image would gain nothing and change its bytes.
SLACK = 1.3
_SIXTEEN_BIT = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N", "F"})
#: The EXIF orientation tag: 1 is upright, 2–8 say how the stored pixels must turn.
_ORIENTATION = 0x0112


class ImageProblem(ValueError):
    """Why an image cannot be used, as a message for its ``image:`` key."""


def prepare(data: bytes, box: tuple[float, float] | None) -> bytes:
    """Check ``data`` (a PNG or JPEG) and return the bytes to embed.

    ``box``: the largest size (points) it can be printed at, which decides whether
    it is resampled; None only checks (``briefing check``).
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageProblem(
                        f"the image is {width}×{height} pixels "
                        f"({width * height / 1e6:.0f} megapixels), more than the "
                        f"{MAX_PIXELS // 1_000_000} megapixels allowed; scale it down "
                        f"({TARGET_DPI} dpi at its printed size is plenty)"
                    )
                image.load()
                return _fit(image, data, box)
    except ImageProblem:
        raise
    except UnidentifiedImageError:
        raise ImageProblem(
            "the file is not a readable PNG or JPEG image (it is damaged, or only its "
            "first bytes look like one)"
        ) from None
    except Image.DecompressionBombError:
        raise ImageProblem(
            f"the image has more than {MAX_PIXELS // 1_000_000} megapixels"
        ) from None
    except (OSError, ValueError, SyntaxError, MemoryError) as exc:
        why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise ImageProblem(f"the image cannot be read: {why}") from None


def _fit(image: object, data: bytes, box: tuple[float, float] | None) -> bytes:
    """The original bytes when fine as they are, else resampled and/or 8-bit bytes."""
    from PIL import Image, ImageOps

    assert isinstance(image, Image.Image)
    fmt = image.format
    # a camera's pixels as the sensor read them, with an EXIF tag saying how to turn them:
    # every viewer turns them, ReportLab does not, so the photo printed on its side
    turned = box is not None and image.getexif().get(_ORIENTATION, 1) in range(2, 9)
    if turned:
        image = ImageOps.exif_transpose(image)
    width, height = image.size
    target = width
    if box is not None:
        scale = min(box[0] / width, box[1] / height)  # points per pixel when printed
        target = max(1, math.ceil(width * scale / 72 * TARGET_DPI))
    too_fine = box is not None and width > target * SLACK
    if not too_fine and not turned and image.mode not in _SIXTEEN_BIT:
        return data
    if box is None and image.mode not in _SIXTEEN_BIT:
        return data  # only checking
    if image.mode in _SIXTEEN_BIT:
        image = _eight_bit(image)
    elif image.mode == "P":
        image = image.convert("RGBA")
    if too_fine:
        size = (target, max(1, round(height * target / width)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    out = BytesIO()
    if fmt == "JPEG" and image.mode in ("RGB", "L", "CMYK"):
        image.save(out, "JPEG", quality=92, optimize=False)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def _eight_bit(image: Any) -> Any:
    """16-bit and float grayscale scaled to 8 bits, as ReportLab can print it.

    Why: ReportLab hands a 16-bit grayscale PNG (Pillow mode ``I;16``/``I``) on as if
    its values were 8-bit, so everything above 255 clips to white. Scaling to 0–255
    (the PNG's full 16-bit range, not the image's own min–max, so a dark picture stays
    dark) keeps what the author drew.
    """
    top = 65535.0 if image.mode != "F" else 1.0
    if image.mode == "I" and image.getextrema()[1] <= 255:
        top = 255.0
    return image.convert("F").point(lambda v: v * 255.0 / top).convert("L")
