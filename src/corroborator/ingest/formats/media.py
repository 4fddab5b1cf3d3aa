"""Images and videos: recognise them by their bytes, describe them without trusting them.

Media files are hostile input like everything else: Pillow is limited to common photo
formats and guarded against decompression bombs, and FFmpeg (through PyAV) is limited to
real container demuxers reading local files, so that a file posing as a video cannot make
it open playlists, other files or network addresses. Videos are read from disk as a stream;
only the first frame is decoded, to prove the file is readable.
"""

from __future__ import annotations

import math
import warnings
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import av
from PIL import ExifTags, Image, UnidentifiedImageError

from corroborator.ingest.drafts import Attachment, IngestError

IMAGE_EXTENSIONS = (
    ".jpg",
    ".jpeg",
    ".jpe",
    ".png",
    ".gif",
    ".webp",
    ".tif",
    ".tiff",
    ".bmp",
    ".heic",
    ".heif",
    ".avif",
)
VIDEO_EXTENSIONS = (
    ".mp4",
    ".m4v",
    ".mov",
    ".3gp",
    ".webm",
    ".mkv",
    ".avi",
    ".mpg",
    ".mpeg",
    ".ts",
    ".flv",
    ".wmv",
    ".ogv",
)

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_VIDEO_MAGIC = (
    b"\x1a\x45\xdf\xa3",  # Matroska, WebM
    b"FLV\x01",
    b"\x30\x26\xb2\x75\x8e\x66\xcf\x11",  # ASF, WMV
    b"\x00\x00\x01\xba",  # MPEG program stream
)
_IMAGE_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"})
_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})

# Pillow formats worth decoding; others (EPS runs Ghostscript, for one) are refused.
_PIL_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP", "AVIF")
# FFmpeg demuxers for video containers; anything else (concat, HLS, image2...) is refused.
_CONTAINER_OPTIONS = {
    "format_whitelist": "mov,matroska,avi,mpegts,mpeg,flv,asf,ogg",
    "protocol_whitelist": "file",
}


def extension(name: str) -> str:
    """Lower-case extension of a file name or of a URL's path."""
    path = urlsplit(name).path if "://" in name else name
    return PurePosixPath(path.replace("\\", "/")).suffix.lower()


def media_kind(name: str, head: bytes) -> str | None:
    """Either "image", "video" or None, from the magic bytes first, else from the extension."""
    magic = _magic_kind(head)
    if magic is not None:
        return magic
    ext = extension(name)
    if ext in IMAGE_EXTENSIONS:
        return "image"
    if ext in VIDEO_EXTENSIONS:
        return "video"
    return None


def _magic_kind(head: bytes) -> str | None:
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head.startswith(_VIDEO_MAGIC):
        return "video"
    if head[:4] == b"RIFF":
        return {b"WEBP": "image", b"AVI ": "video"}.get(head[8:12])
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":
        return "image"
    # ISO base media (MP4, MOV, HEIF): a box whose size starts with a zero byte.
    if head[:1] == b"\x00" and head[4:8] == b"ftyp":
        return "image" if head[8:12] in _IMAGE_BRANDS else "video"
    if head[:1] == b"\x00" and head[4:8] in _QUICKTIME_ATOMS:
        return "video"
    if len(head) > 376 and head[0] == head[188] == head[376] == 0x47:  # MPEG transport stream
        return "video"
    return None


def local_attachment(ref: str, base_dir: Path | None, max_bytes: int) -> tuple[Attachment | None, str]:
    """Resolve a relative path found in a report to a file inside ``base_dir``.

    Returns the attachment and "", or None and the reason it was not attached: absolute
    paths, ``..`` escapes and symlinks leading out of the folder are refused, because a
    hostile export must not make us archive files from elsewhere on the machine.
    """
    if not ref.strip() or "\x00" in ref:
        return None, "empty path"
    relative = PurePosixPath(ref.strip().replace("\\", "/"))
    parts = urlsplit(ref.strip())
    if parts.scheme or parts.netloc:
        return None, "not a local path"
    if relative.is_absolute():
        return None, "absolute path"
    if base_dir is None:
        return None, "no folder to look in"
    try:
        base = base_dir.resolve()
        target = (base / relative).resolve()
        if not target.is_relative_to(base):
            return None, "outside the report's folder"
        if not target.is_file():
            return None, "not found"
        size = target.stat().st_size
        if size > max_bytes:
            return None, f"larger than {max_bytes} bytes"
        with target.open("rb") as handle:
            head = handle.read(512)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, on Python 3.11
        return None, f"cannot be read: {exc}"
    return Attachment(path=target, kind=media_kind(target.name, head) or "file", details={"bytes": size}), ""


def describe_media(path: Path, kind: str) -> dict[str, Any]:
    """Technical metadata of an image or a video; raises IngestError if it cannot be read.

    Keys are always present (None when unknown) so that callers can store them as columns.
    Audio and other attached files are archived as they are, with nothing to describe.
    """
    if kind == "image":
        return _describe_image(path)
    if kind == "video":
        return _describe_video(path)
    if kind in ("audio", "file"):
        return {"kind": kind}
    raise ValueError(f"describe_media takes an attachment kind (image, video, audio, file), not {kind!r}")


def _describe_image(path: Path) -> dict[str, Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=_PIL_FORMATS) as image:
                info = {
                    "kind": "image",
                    "format": image.format,
                    "width": image.width,
                    "height": image.height,
                    "mode": image.mode,
                    "frames": getattr(image, "n_frames", 1),
                    **_exif(image.getexif()),
                }
                image.draft("RGB", (512, 512))  # JPEG: decode at reduced scale, still reads all data
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise IngestError(f"image too large to decode safely: {exc}") from None
    except UnidentifiedImageError:
        raise IngestError(f"not a readable image: not one of {', '.join(_PIL_FORMATS)}") from None
    except Exception as exc:  # noqa: BLE001 - Pillow's decoders raise many types on bad data
        raise IngestError(f"not a readable image: {exc}") from None
    return info


def _exif(exif: Image.Exif) -> dict[str, Any]:
    """Date taken, camera and GPS position from EXIF, each None when absent or unusable."""
    details = exif.get_ifd(ExifTags.IFD.Exif)
    taken = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    camera = " ".join(
        str(value).strip("\x00 ") for value in (exif.get(ExifTags.Base.Make), exif.get(ExifTags.Base.Model)) if value
    )
    return {
        "taken_at": _exif_datetime(taken, details.get(ExifTags.Base.OffsetTimeOriginal)),
        "camera": camera or None,
        "gps": _gps(exif.get_ifd(ExifTags.IFD.GPSInfo)),
    }


def _exif_datetime(value: object, offset: object) -> str | None:
    """ISO form of an EXIF "YYYY:MM:DD HH:MM:SS" (camera local time unless an offset is given)."""
    if not isinstance(value, str) or not value.strip("\x00 "):
        return None
    raw = value.strip("\x00 ")
    try:
        taken = datetime.strptime(raw, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return raw
    if isinstance(offset, str):
        try:
            return datetime.fromisoformat(f"{taken.isoformat()}{offset.strip()}").isoformat()
        except ValueError:
            pass
    return taken.isoformat()


def _gps(gps: dict[int, Any]) -> dict[str, float] | None:
    latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S", 90)
    longitude = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W", 180)
    if latitude is None or longitude is None:
        return None
    position = {"latitude": latitude, "longitude": longitude}
    try:
        altitude = float(gps[ExifTags.GPS.GPSAltitude])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return position
    if math.isfinite(altitude):
        position["altitude"] = -altitude if gps.get(ExifTags.GPS.GPSAltitudeRef) in (1, b"\x01") else altitude
    return position


def _degrees(value: Any, ref: object, negative: str, limit: float) -> float | None:
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(result) or result > limit:
        return None
    return round(-result if str(ref).strip("\x00 ").upper() == negative else result, 7)


def _describe_video(path: Path) -> dict[str, Any]:
    try:
        with av.open(str(path.resolve()), container_options=_CONTAINER_OPTIONS) as container:
            if not container.streams.video:
                raise IngestError("not a readable video: no video stream found")
            stream = container.streams.video[0]
            first = next(container.decode(stream), None)
            if first is None:
                raise IngestError("not a readable video: no frame could be decoded")
            duration = _duration(container, stream)
            rate = stream.average_rate
            return {
                "kind": "video",
                "format": container.format.name,
                "duration_seconds": round(duration, 3) if duration is not None else None,
                "width": stream.width or first.width,
                "height": stream.height or first.height,
                "codec": stream.codec_context.name,
                "frame_rate": round(float(rate), 3) if rate else None,
                "frames": stream.frames or None,
                "creation_time": container.metadata.get("creation_time") or stream.metadata.get("creation_time"),
                "audio": bool(container.streams.audio),
            }
    except av.FFmpegError as exc:
        raise IngestError(f"not a readable video: {exc.strerror or exc}") from None
    except OSError as exc:
        raise IngestError(f"cannot read video: {exc.strerror or exc}") from None


def _duration(container: av.container.InputContainer, stream: av.VideoStream) -> float | None:
    """Seconds, from the container, else from the video stream; None when neither says."""
    if container.duration:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None
