"""Media reuse: the same footage is found across re-encoding, cropping, overlays and trims; other footage is not."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw

from corroborator.provenance.media import (
    MediaError,
    MediaFingerprint,
    find_media_reuse,
    fingerprint_media,
    match_fingerprints,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "corroborator" / "examples" / "almaty-2022" / "reports"
RT_CLIP = EXAMPLE / "telegram" / "rt_news" / "video_files" / "street-shooting.mp4"
RIA_CLIP = EXAMPLE / "html" / "ria-clip_files" / "street-shooting.mp4"
RT_PHOTO = next((EXAMPLE / "telegram" / "rt_news" / "photos").glob("*.jpg"))

FPS, SECONDS, WIDTH, HEIGHT = 10, 4, 192, 108


def scene_frames(seed: int) -> list[Image.Image]:
    """A panning camera over a textured night scene with a moving figure: real motion, one style for every seed."""
    rng = np.random.default_rng(seed)
    blocks = rng.uniform(10, 120, (HEIGHT // 6, WIDTH // 4, 1)) * np.array([0.9, 0.9, 1.1])
    canvas = np.kron(blocks, np.ones((12, 12, 1))).astype(np.uint8)  # twice the frame size in both directions
    frames = []
    for index in range(FPS * SECONDS):
        x = int(index * 2.5)
        image = Image.fromarray(canvas[10 : 10 + HEIGHT, x : x + WIDTH].copy())
        draw = ImageDraw.Draw(image)
        px = 20 + index * 3
        draw.rectangle([px, 50, px + 10, 90], fill=(230, 200, 90))
        frames.append(image)
    return frames


def write_clip(path: Path, frames: list[Image.Image], fps: int = FPS, crf: int = 26) -> Path:
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.options = {"crf": str(crf), "preset": "ultrafast"}
        stream.width, stream.height = frames[0].width // 2 * 2, frames[0].height // 2 * 2
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index, image in enumerate(frames):
            frame = av.VideoFrame.from_image(image.crop((0, 0, stream.width, stream.height)))
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    frames = scene_frames(1)
    copy = []
    for image in frames[10:]:  # trimmed by 1 s, cropped 6% left and 4% right, a logo, smaller, re-encoded
        image = image.crop((12, 4, WIDTH - 8, HEIGHT)).resize((150, 84))
        ImageDraw.Draw(image).rectangle([0, 0, 30, 14], fill=(200, 30, 30))
        copy.append(image)
    frames[20].save(folder / "still.jpg", quality=80)
    return {
        "original": write_clip(folder / "original.mp4", frames),
        "copy": write_clip(folder / "copy.mp4", copy, crf=32),
        "unrelated": write_clip(folder / "unrelated.mp4", scene_frames(2)),
        "still": folder / "still.jpg",
    }


def test_the_agency_clip_is_the_channel_clip_trimmed_by_half_a_second() -> None:
    match = match_fingerprints(fingerprint_media(RT_CLIP), fingerprint_media(RIA_CLIP, "video"))
    assert match is not None and match.kind == "video-video"
    assert match.b_start == 0.0 and match.b_end >= 3.0
    # The copy starts 0.5 s into the original; the scene barely moves, so a quarter-second sample either way is allowed.
    assert abs((match.a_start - match.b_start) - 0.5) <= 0.3
    assert match.matched_frames >= 12 and match.mean_distance < 10
    assert len(match.frame_pairs) == match.matched_frames


def test_the_channel_photo_is_not_a_frame_of_the_clip() -> None:
    photo = fingerprint_media(RT_PHOTO)
    assert photo.kind == "image"
    assert match_fingerprints(photo, fingerprint_media(RT_CLIP)) is None
    assert match_fingerprints(photo, fingerprint_media(RIA_CLIP)) is None


def test_a_cropped_trimmed_relabelled_copy_matches_with_its_segment(clips: dict[str, Path]) -> None:
    match = match_fingerprints(fingerprint_media(clips["original"]), fingerprint_media(clips["copy"]))
    assert match is not None
    assert abs(match.a_start - 1.0) <= 0.25 and match.b_start == 0.0
    assert match.a_end == pytest.approx(SECONDS, abs=0.3) and match.b_end == pytest.approx(SECONDS - 1, abs=0.3)
    assert all(abs((a - b) - 1.0) <= 0.25 for a, b in match.frame_pairs)


def test_footage_of_another_scene_in_the_same_style_does_not_match(clips: dict[str, Path]) -> None:
    unrelated = fingerprint_media(clips["unrelated"])
    assert match_fingerprints(fingerprint_media(clips["original"]), unrelated) is None
    assert match_fingerprints(fingerprint_media(clips["copy"]), unrelated) is None


def test_a_still_of_the_clip_matches_its_frame(clips: dict[str, Path]) -> None:
    match = match_fingerprints(fingerprint_media(clips["still"]), fingerprint_media(clips["original"]))
    assert match is not None and match.kind == "image-video"
    assert match.b_start == pytest.approx(2.0, abs=0.3)


def test_find_media_reuse_pairs_only_the_same_footage(clips: dict[str, Path]) -> None:
    fingerprints = {name: fingerprint_media(path) for name, path in clips.items()}
    fingerprints["rt-photo"] = fingerprint_media(RT_PHOTO.read_bytes(), name="rt photo")
    pairs = {frozenset((m.a_key, m.b_key)) for m in find_media_reuse(fingerprints)}
    assert {frozenset(("original", "copy")), frozenset(("original", "still"))} <= pairs
    # the still against the cropped copy is a crop of a crop plus a logo: found or not, nothing else may be
    assert pairs <= {frozenset(("original", "copy")), frozenset(("original", "still")), frozenset(("copy", "still"))}


def test_fingerprints_survive_json(clips: dict[str, Path]) -> None:
    fingerprint = fingerprint_media(clips["copy"])
    restored = MediaFingerprint.from_json(fingerprint.to_json())
    assert restored == fingerprint
    assert match_fingerprints(restored, fingerprint_media(clips["original"])) is not None


def test_bad_input_gives_a_clear_error_naming_it(tmp_path: Path, clips: dict[str, Path]) -> None:
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(clips["original"].read_bytes()[:2000])
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(b"\x00\x01not a video at all" * 50)
    for path in (truncated, garbage):
        with pytest.raises(MediaError, match=path.name):
            fingerprint_media(path, "video")
    with pytest.raises(MediaError, match="leaked.jpg"):
        fingerprint_media(b"\xff\xd8\xff\xe0 broken jpeg", "image", name="leaked.jpg")
    with pytest.raises(MediaError, match="missing.mp4"):
        fingerprint_media(tmp_path / "missing.mp4")
