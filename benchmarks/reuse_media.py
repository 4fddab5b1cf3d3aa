"""Media reuse benchmark: generated clips with known transformations, matched by corroborator.provenance.media.

    python benchmarks/reuse_media.py                         # 120 scenes x 8 versions + 40 unrelated = 1,000 clips
    python benchmarks/reuse_media.py --scenes 10 --unrelated 5   # a quick run
    python benchmarks/reuse_media.py --workdir /tmp/clips    # keep the clips (reused on the next run)

Every scene is drawn by the same generator (a night street seen by a panning, shaking handheld
camera: textured buildings with lit windows, moving figures, flashes, drifting smoke), so
unrelated clips look alike in style and precision is really tested. Each scene is written as an
original (320x180, 12-15 fps, 3-6 s) and seven derived versions:

    reencode  another frame rate (10 fps) and a much lower quality
    resize    scaled to 192x112 (aspect ratio changed)
    crop      8-15% of the width and 8-15% of the height removed, split at random between the sides
    overlay   a logo box in a random corner and a caption band across the bottom
    trim      0.5-1.5 s cut from the start and 0-1 s from the end
    combined  trim + 10% crop each side + resize + logo + re-encode (the bundled example's recipe)
    still     one frame of the original saved as a JPEG photo

plus ``--unrelated`` scenes with no copy. Recall per transformation: the share of versions
matched to their original. Precision per transformation: of the matches found for versions of
that kind, the share that pair same-scene clips; overall precision counts every match found.
Any two versions of one scene are the same footage, so such a pair is correct.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw

from corroborator.provenance.media import find_media_reuse, fingerprint_media

WIDTH, HEIGHT = 320, 180
TRANSFORMS = ("reencode", "resize", "crop", "overlay", "trim", "combined", "still")


class Scene:
    """One generated street scene: a textured canvas larger than the frame, a camera path, moving figures."""

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.rng_seed = seed
        self.fps = int(rng.choice([12, 15]))
        self.seconds = float(rng.uniform(3.0, 6.0))
        canvas_w, canvas_h = int(WIDTH * 1.5), int(HEIGHT * 1.3)
        sky = np.linspace(rng.uniform(10, 30), rng.uniform(40, 70), canvas_h)[:, None, None]
        canvas = np.broadcast_to(sky * np.array([0.8, 0.8, 1.1]), (canvas_h, canvas_w, 3)).copy()
        # Low-frequency texture so that flat areas are not flat.
        blocks = rng.uniform(-12, 12, (canvas_h // 12 + 1, canvas_w // 12 + 1, 1))
        canvas += np.kron(blocks, np.ones((12, 12, 1)))[:canvas_h, :canvas_w]
        ground = int(canvas_h * rng.uniform(0.6, 0.75))
        canvas[ground:] = rng.uniform(30, 55)
        for _ in range(int(rng.integers(6, 12))):  # buildings with lit windows
            x0 = int(rng.integers(0, canvas_w - 40))
            w = int(rng.integers(30, 110))
            top = int(rng.integers(int(canvas_h * 0.1), ground - 30))
            canvas[top:ground, x0 : x0 + w] = rng.uniform(35, 90) * np.array([1.0, 0.95, 1.05])
            for wy in range(top + 6, ground - 8, 12):
                for wx in range(x0 + 4, x0 + w - 6, 10):
                    if rng.random() < 0.5:
                        canvas[wy : wy + 6, wx : wx + 5] = (230, 200, 120)
        self.canvas = np.clip(canvas, 0, 255).astype(np.uint8)
        self.ground = ground
        self.pan = (rng.uniform(0, canvas_w - WIDTH), rng.uniform(0, canvas_h - HEIGHT))
        self.pan_speed = (rng.uniform(-25, 25), rng.uniform(-6, 6))  # pixels per second
        self.figures = [
            (
                rng.uniform(0, canvas_w),
                rng.uniform(ground - 10, canvas_h - 30),
                rng.uniform(-40, 40),
                rng.uniform(14, 40),
            )
            for _ in range(int(rng.integers(4, 9)))
        ]
        frames = int(self.fps * self.seconds)
        self.shake = rng.integers(-2, 3, (frames, 2))
        self.flashes = rng.random((frames, 3)) < 0.2
        self.flash_spots = rng.uniform(0, 1, (3, 2))

    @property
    def frame_count(self) -> int:
        return len(self.shake)

    def frame(self, index: int) -> Image.Image:
        t = index / self.fps
        canvas_h, canvas_w = self.canvas.shape[:2]
        x = int(np.clip(self.pan[0] + self.pan_speed[0] * t + self.shake[index, 0], 0, canvas_w - WIDTH))
        y = int(np.clip(self.pan[1] + self.pan_speed[1] * t + self.shake[index, 1], 0, canvas_h - HEIGHT))
        image = Image.fromarray(self.canvas[y : y + HEIGHT, x : x + WIDTH].copy())
        draw = ImageDraw.Draw(image)
        for fx, fy, speed, size in self.figures:
            px = (fx + speed * t) % canvas_w - x
            py = fy - y
            stride = math.sin(t * 10 + fx) * size * 0.2
            draw.ellipse([px - size * 0.15, py - size, px + size * 0.15, py - size * 0.7], fill=(20, 18, 16))
            draw.rectangle([px - size * 0.2, py - size * 0.7, px + size * 0.2, py - size * 0.2], fill=(22, 20, 18))
            draw.line([(px, py - size * 0.2), (px - stride, py)], fill=(22, 20, 18), width=3)
            draw.line([(px, py - size * 0.2), (px + stride, py)], fill=(22, 20, 18), width=3)
        for spot, (sx, sy) in enumerate(self.flash_spots):
            if self.flashes[index, spot]:
                cx, cy = sx * WIDTH, sy * HEIGHT
                draw.ellipse([cx - 10, cy - 6, cx + 10, cy + 6], fill=(255, 220, 120))
        return image


def write_clip(path: Path, frames, fps: int, crf: int) -> None:
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = None
        for index, image in enumerate(frames):
            if stream is None:
                stream = container.add_stream("libx264", rate=fps)
                stream.options = {"crf": str(crf), "preset": "ultrafast"}
                stream.width, stream.height = image.width // 2 * 2, image.height // 2 * 2
                stream.pix_fmt = "yuv420p"
                stream.time_base = Fraction(1, fps)
            if image.size != (stream.width, stream.height):
                image = image.crop((0, 0, stream.width, stream.height))
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def decode(path: Path) -> tuple[list[tuple[float, Image.Image]], float]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = [(float(f.pts * f.time_base), f.to_image()) for f in container.decode(stream)]
    return frames, float(stream.average_rate)


def resample(frames: list[tuple[float, Image.Image]], start: float, end: float, fps: float):
    """Frames at ``fps`` from ``start`` to ``end`` seconds: the latest original frame at or before each tick."""
    k = 0
    while start + k / fps < end - 1e-9:
        t = start + k / fps
        yield max((item for item in frames if item[0] <= t + 1e-9), key=lambda item: item[0])[1]
        k += 1


def logo(image: Image.Image, rng: random.Random, caption: bool) -> Image.Image:
    image = image.copy()
    draw = ImageDraw.Draw(image)
    w, h = image.size
    lw, lh = int(w * 0.18), int(h * 0.14)
    corner = rng.randrange(4)
    x0 = 4 if corner in (0, 2) else w - lw - 4
    y0 = 4 if corner in (0, 1) else h - lh - 4
    draw.rectangle([x0, y0, x0 + lw, y0 + lh], fill=(rng.randrange(256), 40, 120))
    draw.text((x0 + 4, y0 + 3), "NEWS 24", fill=(255, 255, 255))
    if caption:
        band = int(h * 0.12)
        draw.rectangle([0, h - band, w, h], fill=(200, 20, 20))
        draw.text((6, h - band + 3), "BREAKING: shooting reported in the city centre", fill=(255, 255, 255))
    return image


def make_versions(scene: Scene, folder: Path, seed: int) -> dict[str, Path]:
    """The original and its seven versions, written under ``folder``."""
    rng = random.Random(seed)
    original = folder / "original.mp4"
    write_clip(original, (scene.frame(i) for i in range(scene.frame_count)), scene.fps, crf=23)
    frames, fps = decode(original)
    duration = frames[-1][0] + 1 / fps
    paths = {"original": original}

    def version(name: str, images, out_fps: float, crf: int) -> None:
        paths[name] = folder / f"{name}.mp4"
        write_clip(paths[name], images, int(out_fps), crf)

    version("reencode", resample(frames, 0, duration, 10), 10, crf=36)
    version("resize", (im.resize((192, 112), Image.Resampling.BILINEAR) for _, im in frames), fps, crf=28)
    cut_w, cut_h = rng.uniform(0.08, 0.15), rng.uniform(0.08, 0.15)
    split_w, split_h = rng.random(), rng.random()
    box = (
        round(WIDTH * cut_w * split_w),
        round(HEIGHT * cut_h * split_h),
        round(WIDTH - WIDTH * cut_w * (1 - split_w)),
        round(HEIGHT - HEIGHT * cut_h * (1 - split_h)),
    )
    version("crop", (im.crop(box) for _, im in frames), fps, crf=26)
    overlay_rng = random.Random(seed + 1)
    version("overlay", (logo(im, random.Random(overlay_rng.random()), caption=True) for _, im in frames), fps, crf=26)
    start, end = rng.uniform(0.5, 1.5), duration - rng.uniform(0.0, 1.0)
    version("trim", resample(frames, start, end, fps), fps, crf=26)
    side = round(WIDTH * 0.10)
    combined_logo = random.Random(seed + 2)
    version(
        "combined",
        (
            logo(
                im.crop((side, 0, WIDTH - side, HEIGHT)).resize((200, 112)),
                random.Random(combined_logo.random()),
                False,
            )
            for im in resample(frames, 0.5, duration, 12)
        ),
        12,
        crf=31,
    )
    still = folder / "still.jpg"
    frames[len(frames) // 2][1].resize((240, 135)).save(still, quality=80)
    paths["still"] = still
    return paths


def build(workdir: Path, scenes: int, unrelated: int, seed: int) -> list[tuple[str, int, Path]]:
    """(transformation, scene number, path) of every clip, generated once per workdir."""
    clips = []
    for number in range(scenes + unrelated):
        folder = workdir / f"scene-{seed}-{number:04d}"
        marker = folder / "done"
        scene_seed = seed * 100_000 + number
        if not marker.exists():
            folder.mkdir(parents=True, exist_ok=True)
            scene = Scene(scene_seed)
            if number < scenes:
                make_versions(scene, folder, scene_seed)
            else:
                write_clip(folder / "original.mp4", (scene.frame(i) for i in range(scene.frame_count)), scene.fps, 23)
            marker.write_text("ok")
        if number < scenes:
            clips.append(("original", number, folder / "original.mp4"))
            clips += [
                (name, number, folder / ("still.jpg" if name == "still" else f"{name}.mp4")) for name in TRANSFORMS
            ]
        else:
            clips.append(("unrelated", number, folder / "original.mp4"))
    return clips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenes", type=int, default=120, help="scenes with an original and seven versions each")
    parser.add_argument("--unrelated", type=int, default=40, help="extra scenes with no copy")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="where clips are kept (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corroborator-media-") as tmp:
        workdir = args.workdir or Path(tmp)
        started = time.perf_counter()
        clips = build(workdir, args.scenes, args.unrelated, args.seed)
        generated = time.perf_counter() - started

        started = time.perf_counter()
        fingerprints = {index: fingerprint_media(path) for index, (_, _, path) in enumerate(clips)}
        fingerprinting = time.perf_counter() - started
        started = time.perf_counter()
        matches = find_media_reuse(fingerprints)
        matching = time.perf_counter() - started

    scene_of = {index: scene for index, (_, scene, _) in enumerate(clips)}
    kind_of = {index: kind for index, (kind, _, _) in enumerate(clips)}
    found = {(m.a_key, m.b_key) for m in matches}
    original_of = {scene: index for index, (kind, scene, _) in enumerate(clips) if kind == "original"}
    print(f"{len(clips)} clips ({args.scenes} scenes x 8 versions + {args.unrelated} unrelated), seed {args.seed}")
    print(f"{'transformation':16} {'versions':>8} {'recall':>7} {'matches':>8} {'precision':>9}")
    for name in TRANSFORMS:
        versions = [i for i, (kind, _, _) in enumerate(clips) if kind == name]
        hit = sum(tuple(sorted((original_of[scene_of[i]], i))) in found for i in versions)
        involving = [m for m in matches if name in (kind_of[m.a_key], kind_of[m.b_key])]
        correct = sum(scene_of[m.a_key] == scene_of[m.b_key] for m in involving)
        precision = correct / len(involving) if involving else float("nan")
        print(f"{name:16} {len(versions):>8} {hit / len(versions):>7.3f} {len(involving):>8} {precision:>9.3f}")
    correct = sum(scene_of[m.a_key] == scene_of[m.b_key] for m in matches)
    wrong_unrelated = sum("unrelated" in (kind_of[m.a_key], kind_of[m.b_key]) for m in matches)
    print(f"{'all matches':16} {'':>8} {'':>7} {len(matches):>8} {correct / max(len(matches), 1):>9.3f}")
    print(f"matches involving an unrelated clip: {wrong_unrelated}")
    print(
        f"generation {generated:.1f} s; fingerprinting {fingerprinting:.1f} s "
        f"({len(clips) / fingerprinting:.1f} clips/s); matching {matching:.2f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
