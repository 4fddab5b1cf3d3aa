"""Small stills of matched frames, so a reader sees the footage match instead of taking a score on trust.

The stills go into the edge's evidence as JPEG data URIs: the board and its exports never read
the archive, and a few kilobytes per match keep the board self-contained.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Sequence

import av
import av.error
from PIL import Image, UnidentifiedImageError

STILL_WIDTH = 160  # pixels
STILL_QUALITY = 70  # JPEG quality
MAX_SECONDS = 300.0  # never decode further into a clip than the fingerprints do


def _data_uri(image: Image.Image) -> str:
    image = image.convert("RGB")
    height = max(1, round(image.height * STILL_WIDTH / max(image.width, 1)))
    buffer = io.BytesIO()
    image.resize((STILL_WIDTH, height)).save(buffer, "JPEG", quality=STILL_QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def stills(path: str | os.PathLike[str], kind: str, times: Sequence[float]) -> list[str | None]:
    """A still per requested time (seconds), in order; None where the file cannot give one.

    A photo gives itself for every time. A clip is decoded once from the start, taking the first
    frame at or after each time, so no seeking (unreliable on damaged files) is needed.
    """
    if not times:
        return []
    try:
        if kind == "image":
            with Image.open(path) as image:
                still = _data_uri(image)
            return [still] * len(times)
        wanted = sorted(set(times))
        found: dict[float, str] = {}
        with av.open(os.fspath(path)) as container:
            if not container.streams.video:
                return [None] * len(times)
            for frame in container.decode(container.streams.video[0]):
                if frame.pts is None or frame.time_base is None:
                    continue
                moment = float(frame.pts * frame.time_base)
                if moment > MAX_SECONDS:
                    break
                while wanted and moment + 1e-6 >= wanted[0]:
                    found[wanted.pop(0)] = _data_uri(frame.to_image())
                if not wanted:
                    break
        return [found.get(moment) for moment in times]
    except (av.error.FFmpegError, UnidentifiedImageError, OSError):
        return [None] * len(times)
