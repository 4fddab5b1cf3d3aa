"""Media reuse: which photo or clip shows the same footage as which, and over which seconds.

Pure library: bytes or files in, fingerprints and matches out; it never touches the store.

API::

    fingerprint_media(source, kind=None, *, name=None) -> MediaFingerprint   # raises MediaError on bad input
    MediaFingerprint.to_json() -> str;  MediaFingerprint.from_json(text) -> MediaFingerprint
    match_fingerprints(a, b) -> MediaMatch | None
    find_media_reuse(fingerprints: Mapping[key, MediaFingerprint]) -> list[MediaMatch]

    MediaMatch(a_key, b_key, kind, a_start, a_end, b_start, b_end, matched_frames, mean_distance, frame_pairs)

What counts as the same footage (what the matcher is built and measured to survive): re-encoding
(other codec, bitrate, frame rate), resizing (aspect ratio included), cropping of up to 15% of the
width and up to 15% of the height (removed in any split between the two sides; a symmetric crop of
20% is also covered, as in the bundled example), a logo or caption laid over a corner or the bottom
band, and trimming of the start or end. Not covered: mirroring, rotation, speed changes,
picture-in-picture. A photo matches a photo or a frame of a clip (a still taken from it).

How, and why:

1. **Frames.** A video is sampled at ``SAMPLE_RATE`` frames per second on its own timestamps
   (the first decoded frame at or after each tick), so two copies at different frame rates give
   samples on the same time grid. At most ``MAX_SECONDS`` of a clip are read and at most
   ``MAX_DECODED_FRAMES`` frames decoded, so a hostile or huge file cannot make the work unbounded.
   An image is one frame at time 0. Near-uniform frames (black, fades) are skipped: they look alike
   in every clip and prove nothing.
2. **Hashes.** Each frame is turned grey, histogram-equalised (re-encoding and dark night footage
   shift brightness and contrast) and hashed with imagehash's difference hash (64 bits) on its
   central region only, ``CORE`` of the width and height: logos and captions sit in corners and
   bands at the edges. Measured on the bundled example, plain whole-frame pHash puts a frame and
   its copy 18-21 bits of 64 apart, hardly closer than unrelated frames; the equalised centre-region
   difference hash about 7.
3. **Crops.** A crop shrinks and shifts the picture around that centre, and hashes are far more
   sensitive to a shift than to a change of scale (measured on generated scenes: 2.5% of shift
   costs ~13 bits, 5% of scale ~5). So each frame also gets the hashes of the central region as it
   would look after each crop hypothesis: ``AXIS_CROPS`` (share kept, centre shift) for the width
   times the same for the height, 49 hashes per frame, the first uncropped. A pair of clips is
   scored under each hypothesis in both directions (a is a crop of b, or b of a), because a crop
   is the same for every frame of a clip.
4. **Candidates (sub-quadratic).** Every frame's uncropped hash goes into ``INDEX_TABLES`` hash
   tables keyed on ``INDEX_BITS`` fixed bit positions each; every hash of a clip's frames is
   looked up, and only clips hit by at least ``MIN_CANDIDATE_FRAMES`` of its frames are verified.
5. **Verification.** Under the ``TOP_HYPOTHESES`` most promising crop hypotheses, frames closer
   than ``FRAME_THRESHOLD`` bits count as matched and the time offset with the most matched frames
   wins; the longest stretch of that offset with gaps of at most ``MAX_GAP_FRAMES`` samples is the
   matching segment. It is accepted with at least ``MIN_MATCHED_FRAMES`` matched frames and half
   the shorter clip's frames (or ``LONG_MATCH_FRAMES`` by themselves), and a mean distance of at
   most ``MEAN_THRESHOLD``; a photo needs one frame at most ``IMAGE_THRESHOLD`` bits away.
   Segment times are accurate to about one sample (0.25 s) on footage with little motion, where
   neighbouring frames look alike.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import av
import av.error
import imagehash
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

SAMPLE_RATE = 4.0  # frames per second
MAX_SECONDS = 300.0
MAX_DECODED_FRAMES = 20_000
FRAME_WIDTH = 160  # frames are scaled to this width before hashing: hashes need little detail
CORE = 0.7  # share of width and height hashed, around the centre
# Crop hypotheses per axis, as (share of the side kept, shift of the centre as a share of the side);
# the first is "not cropped". Shifts matter far more than scale to a hash (measured: 2.5% of shift
# costs ~13 bits of 64, 5% of scale ~5), hence the finer steps in shift.
AXIS_CROPS = ((1.0, 0.0), (0.9, 0.0), (0.9, -0.025), (0.9, 0.025), (0.9, -0.05), (0.9, 0.05), (0.8, 0.0))
MIN_FRAME_STD = 6.0  # grey-level standard deviation below which a frame is near-uniform
INDEX_TABLES, INDEX_BITS = 8, 20
MIN_CANDIDATE_FRAMES = 2  # query frames that must hit a clip for it to be verified (1 for a single frame)
FRAME_THRESHOLD = 14
MEAN_THRESHOLD = 10.0
IMAGE_THRESHOLD = 7.0
MIN_MATCHED_FRAMES = 4
MIN_MATCHED_SHARE = 0.5  # of the shorter clip's frames ...
LONG_MATCH_FRAMES = 20  # ... unless the shared segment is this long by itself (5 s)
TOP_HYPOTHESES = 4  # crop hypotheses verified per pair, the most promising (see _promise)
MAX_GAP_FRAMES = 2
TOP_OFFSETS = 3  # time offsets verified per crop hypothesis, those with the most close frames
FORMAT_VERSION = 2  # raised whenever the hashes change meaning: cached fingerprints of another version are redone

_BIT_POSITIONS = np.random.RandomState(20220106).rand(INDEX_TABLES, 64).argsort(axis=1)[:, :INDEX_BITS]


class MediaError(ValueError):
    """A photo or clip that cannot be fingerprinted; the message names the input and says what is wrong."""


@dataclass
class MediaFingerprint:
    """Sampled frame times (seconds) and, per frame, ``len(AXIS_CROPS) ** 2`` 64-bit hashes, uncropped first."""

    kind: str  # "image" | "video"
    width: int
    height: int
    duration: float
    times: list[float]
    hashes: list[list[int]]
    version: int = FORMAT_VERSION

    def to_json(self) -> str:
        """Hashes are written as 16-digit hex strings, which any JSON reader keeps exact."""
        data = asdict(self)
        data["hashes"] = [[f"{value:016x}" for value in row] for row in self.hashes]
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> MediaFingerprint:
        data = json.loads(text)
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"media fingerprint format {data.get('version')!r}, expected {FORMAT_VERSION}")
        data["hashes"] = [[int(value, 16) for value in row] for row in data["hashes"]]
        return cls(**data)

    def _matrix(self) -> np.ndarray:
        return np.array(self.hashes, dtype=np.uint64).reshape(len(self.hashes), len(AXIS_CROPS) ** 2)


@dataclass
class MediaMatch:
    """Footage of ``a_key`` (seconds ``a_start``..``a_end``) that reappears in ``b_key`` (``b_start``..``b_end``).

    ``kind``: "video-video", "image-video", "video-image" or "image-image" (a's kind first).
    ``mean_distance``: mean Hamming distance (bits of 64) of the matched frames; 0 is identical.
    ``frame_pairs``: (a time, b time) of each matched frame, to show them side by side.
    Keys are None when the match comes from ``match_fingerprints``.
    """

    a_key: Hashable | None
    b_key: Hashable | None
    kind: str
    a_start: float
    a_end: float
    b_start: float
    b_end: float
    matched_frames: int
    mean_distance: float
    frame_pairs: list[tuple[float, float]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- fingerprints


def _frame_hashes(grey: Image.Image) -> list[int] | None:
    """The frame's hashes, or None for a near-uniform frame."""
    if float(np.asarray(grey).std()) < MIN_FRAME_STD:
        return None
    width, height = grey.size
    hashes = []
    for width_factor, width_shift in AXIS_CROPS:
        for height_factor, height_shift in AXIS_CROPS:
            w, h = width * CORE * width_factor, height * CORE * height_factor
            left, top = (width - w) / 2 + width_shift * width, (height - h) / 2 + height_shift * height
            region = grey.crop((round(left), round(top), round(left + w), round(top + h)))
            bits = imagehash.dhash(ImageOps.equalize(region)).hash.flatten()
            hashes.append(int.from_bytes(np.packbits(bits).tobytes(), "big"))
    return hashes


def _scaled_grey(image: Image.Image) -> Image.Image:
    width, height = image.size
    scaled_height = max(8, round(height * FRAME_WIDTH / max(width, 1)))
    return image.convert("L").resize((FRAME_WIDTH, scaled_height), Image.Resampling.BILINEAR)


def _describe(source: str | os.PathLike | bytes, name: str | None) -> str:
    if name:
        return name
    return f"{len(source)} bytes" if isinstance(source, bytes) else str(source)


def _fingerprint_image(source: str | os.PathLike | bytes, label: str) -> MediaFingerprint:
    try:
        with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as image:
            image.load()
            width, height = image.size
            grey = _scaled_grey(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as error:
        raise MediaError(f"{label}: not a readable image ({error})") from error
    hashes = _frame_hashes(grey)
    return MediaFingerprint("image", width, height, 0.0, [0.0] if hashes else [], [hashes] if hashes else [])


def _fingerprint_video(source: str | os.PathLike | bytes, label: str) -> MediaFingerprint:
    times: list[float] = []
    hashes: list[list[int]] = []
    width = height = 0
    last_time = 0.0
    try:
        with av.open(io.BytesIO(source) if isinstance(source, bytes) else os.fspath(source)) as container:
            if not container.streams.video:
                raise MediaError(f"{label}: no video stream")
            stream = container.streams.video[0]
            next_tick, decoded = 0.0, 0
            for frame in container.decode(stream):
                decoded += 1
                if frame.pts is None or frame.time_base is None:
                    continue
                time = float(frame.pts * frame.time_base)
                if time > MAX_SECONDS or decoded > MAX_DECODED_FRAMES:
                    break
                last_time = max(last_time, time)
                if time + 1e-6 < next_tick:
                    continue
                width, height = frame.width, frame.height
                scaled_height = max(8, round(height * FRAME_WIDTH / max(width, 1)))
                grey = frame.reformat(width=FRAME_WIDTH, height=scaled_height, format="gray").to_image()
                frame_hashes = _frame_hashes(grey)
                if frame_hashes is not None:
                    times.append(round(time, 3))
                    hashes.append(frame_hashes)
                while next_tick <= time + 1e-6:
                    next_tick += 1 / SAMPLE_RATE
    except av.error.FFmpegError as error:
        raise MediaError(f"{label}: not a readable video ({error})") from error
    if not width:
        raise MediaError(f"{label}: no video frame could be decoded")
    duration = last_time + 1 / SAMPLE_RATE
    return MediaFingerprint("video", width, height, round(duration, 3), times, hashes)


def fingerprint_media(
    source: str | os.PathLike | bytes, kind: str | None = None, *, name: str | None = None
) -> MediaFingerprint:
    """Fingerprint a photo or clip given as a path or its bytes.

    ``kind`` is "image" or "video"; None tries an image first, then a video. ``name`` labels
    bytes in error messages. Raises ``MediaError`` naming the input for anything unreadable: a
    truncated or corrupt file, a file that is no image or video, a video without a decodable frame.
    """
    label = _describe(source, name)
    if kind not in (None, "image", "video"):
        raise ValueError(f"kind must be 'image', 'video' or None, not {kind!r}")
    if not isinstance(source, bytes) and not Path(source).is_file():
        raise MediaError(f"{label}: no such file")
    if kind == "image":
        return _fingerprint_image(source, label)
    if kind == "video":
        return _fingerprint_video(source, label)
    try:
        return _fingerprint_image(source, label)
    except MediaError:
        return _fingerprint_video(source, label)


# --------------------------------------------------------------------------- matching


def _distance_matrices(a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    """(len(a), len(b)) frame distances for each crop hypothesis: b cropped like variant v of a, or the reverse.

    A crop is the same for every frame of a clip, so each hypothesis is scored on its own rather
    than taking the best variant frame by frame (which lets wrong time offsets look as good).
    """
    count = a.shape[1]
    matrices = [np.bitwise_count(a[:, None, 0] ^ b[None, :, v]) for v in range(count)]
    matrices += [np.bitwise_count(a[:, None, v] ^ b[None, :, 0]) for v in range(1, count)]
    return [matrix.astype(np.int32) for matrix in matrices]


def _grid(times: list[float]) -> np.ndarray:
    return np.rint(np.asarray(times) * SAMPLE_RATE).astype(np.int64)


def _promise(distances: np.ndarray) -> float:
    """How well a crop hypothesis fits, cheaply: the mean of the better half of the shorter clip's best distances."""
    best = distances.min(axis=1) if distances.shape[0] <= distances.shape[1] else distances.min(axis=0)
    return float(np.sort(best)[: max(1, len(best) // 2)].mean())


def _best_segment(
    distances: np.ndarray, grid_a: np.ndarray, grid_b: np.ndarray
) -> tuple[float, list[tuple[int, int]]] | None:
    """Mean distance and frame pairs of the best segment in one distance matrix (most matched frames, then closest)."""
    close = np.argwhere(distances <= FRAME_THRESHOLD)
    if close.size == 0:
        return None
    offsets = grid_b[close[:, 1]] - grid_a[close[:, 0]]
    values, counts = np.unique(offsets, return_counts=True)
    best: tuple[float, list[tuple[int, int]]] | None = None
    for offset in values[np.argsort(-counts, kind="stable")[:TOP_OFFSETS]]:
        segment = _longest_segment([(int(i), int(j)) for i, j in close[offsets == offset]], grid_a)
        mean = float(np.mean([distances[i, j] for i, j in segment]))
        if best is None or (len(segment), -mean) > (len(best[1]), -best[0]):
            best = (mean, segment)
    return best


def match_fingerprints(a: MediaFingerprint, b: MediaFingerprint) -> MediaMatch | None:
    """The best matching segment of two fingerprints, or None when they show different footage."""
    if not a.hashes or not b.hashes:
        return None
    grid_a, grid_b = _grid(a.times), _grid(b.times)
    single = a.kind == "image" or b.kind == "image"
    shorter = min(len(a.times), len(b.times))
    needed = 1 if single else min(max(MIN_MATCHED_FRAMES, MIN_MATCHED_SHARE * shorter), LONG_MATCH_FRAMES, shorter)
    threshold = IMAGE_THRESHOLD if single else MEAN_THRESHOLD
    matrices = _distance_matrices(a._matrix(), b._matrix())
    best: tuple[float, list[tuple[int, int]]] | None = None
    for hypothesis in np.argsort([_promise(matrix) for matrix in matrices], kind="stable")[:TOP_HYPOTHESES]:
        found = _best_segment(matrices[hypothesis], grid_a, grid_b)
        if found is None or len(found[1]) < needed or found[0] > threshold:
            continue
        if best is None or (len(found[1]), -found[0]) > (len(best[1]), -best[0]):
            best = found
    if best is None:
        return None
    mean, segment = best
    step = 1 / SAMPLE_RATE
    first_a, first_b = segment[0]
    last_a, last_b = segment[-1]
    return MediaMatch(
        a_key=None,
        b_key=None,
        kind=f"{a.kind}-{b.kind}",
        a_start=a.times[first_a],
        a_end=round(min(a.times[last_a] + step, max(a.duration, a.times[last_a])), 3),
        b_start=b.times[first_b],
        b_end=round(min(b.times[last_b] + step, max(b.duration, b.times[last_b])), 3),
        matched_frames=len(segment),
        mean_distance=round(mean, 2),
        frame_pairs=[(a.times[i], b.times[j]) for i, j in segment],
    )


def _longest_segment(pairs: list[tuple[int, int]], grid_a: np.ndarray) -> list[tuple[int, int]]:
    """The longest run of matched frame pairs on one offset whose gaps are at most MAX_GAP_FRAMES samples."""
    by_frame: dict[int, tuple[int, int]] = {}
    for i, j in pairs:  # one pair per frame of a; a frame of b repeated by a frame-rate change may appear twice
        by_frame.setdefault(i, (i, j))
    ordered = sorted(by_frame.values())
    best: list[tuple[int, int]] = []
    current: list[tuple[int, int]] = []
    for pair in ordered:
        if current and grid_a[pair[0]] - grid_a[current[-1][0]] > MAX_GAP_FRAMES + 1:
            current = []
        current.append(pair)
        if len(current) > len(best):
            best = list(current)
    return best


class _HashIndex:
    """Hash tables on fixed bit positions of every indexed frame hash: frames a few bits apart share a key."""

    def __init__(self) -> None:
        self._tables: list[dict[int, list[int]]] = [{} for _ in range(INDEX_TABLES)]
        self._weights = (np.uint64(1) << np.arange(INDEX_BITS, dtype=np.uint64)).astype(np.uint64)

    def _keys(self, hashes: np.ndarray) -> np.ndarray:
        """(INDEX_TABLES, len(hashes)) keys: the chosen bits of each hash packed into an integer."""
        bits = (hashes[:, None] >> (np.uint64(63) - np.arange(64, dtype=np.uint64))) & np.uint64(1)
        return np.stack([(bits[:, positions] * self._weights).sum(axis=1) for positions in _BIT_POSITIONS])

    def add(self, clip: int, hashes: np.ndarray) -> None:
        for table, keys in zip(self._tables, self._keys(hashes.reshape(-1)).tolist(), strict=True):
            for key in set(keys):
                table.setdefault(key, []).append(clip)

    def hits(self, hashes: np.ndarray) -> dict[int, int]:
        """Per indexed clip, how many query frames hit it (``hashes``: one row per frame, one column per hypothesis)."""
        counts: dict[int, int] = {}
        frames, hypotheses = hashes.shape
        keys = self._keys(hashes.reshape(-1)).reshape(INDEX_TABLES, frames, hypotheses)
        for frame in range(frames):
            found: set[int] = set()
            for table, row in zip(self._tables, keys[:, frame, :].tolist(), strict=True):
                for key in row:
                    found.update(table.get(key, ()))
            for clip in found:
                counts[clip] = counts.get(clip, 0) + 1
        return counts


def find_media_reuse(fingerprints: Mapping[Hashable, MediaFingerprint]) -> list[MediaMatch]:
    """Every pair of photos or clips showing the same footage, each pair once, ``a_key`` first in mapping order.

    Candidates come from the hash index (sub-quadratic); each candidate pair is verified with
    ``match_fingerprints``.
    """
    keys = list(fingerprints)
    matrices = [fingerprints[key]._matrix() for key in keys]
    index = _HashIndex()
    for number, matrix in enumerate(matrices):
        if len(matrix):
            index.add(number, matrix[:, 0])
    candidates: set[tuple[int, int]] = set()
    for number, matrix in enumerate(matrices):
        if len(matrix):
            hits = index.hits(matrix)
            candidates.update(
                (min(number, other), max(number, other))
                for other, count in hits.items()
                if other != number and count >= min(MIN_CANDIDATE_FRAMES, len(matrix), len(matrices[other]))
            )
    matches = []
    for first, second in sorted(candidates):
        match = match_fingerprints(fingerprints[keys[first]], fingerprints[keys[second]])
        if match is not None:
            match.a_key, match.b_key = keys[first], keys[second]
            matches.append(match)
    return matches
