"""Generate the synthetic media of the bundled ``almaty-2022`` example scenario.

Nothing here is real footage. The script draws, frame by frame, a night street in
perspective with soldiers firing down it, and writes:

1. the "original" clip, as the state TV channel posted it to its Telegram channel:
   ``reports/telegram/rt_news/video_files/street-shooting.mp4`` (480x270, 25 fps, ~4 s,
   channel logo top left);
2. the "copy", as the state news agency embedded it in its article:
   ``reports/html/ria-clip_files/street-shooting.mp4``: the original decoded, trimmed by
   0.5 s at the start, cropped by 10% on each side, resized to 400x226, the logo
   covered by the agency's own, re-encoded at 24 fps with a lower quality;
3. a small photo for a Telegram message:
   ``reports/telegram/rt_news/photos/photo_1@06-01-2022_01-12-44.jpg`` (320x240).

The pictures are deterministic (fixed seed, no clock, no randomness without it),
so re-running the script gives the same frames. Colour conversion uses Pillow's integer code and
x264 runs on one thread without its assembly paths, so the files should come out byte for byte the
same on any machine with the same PyAV (FFmpeg, libx264) build.
Only PyAV and Pillow are needed, no ffmpeg binary.

Usage::

    python tools/make_example_clip.py [--out src/corroborator/examples/almaty-2022]
"""

from __future__ import annotations

import argparse
import math
import random
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "corroborator" / "examples" / "almaty-2022"

ORIGINAL = Path("reports/telegram/rt_news/video_files/street-shooting.mp4")
COPY = Path("reports/html/ria-clip_files/street-shooting.mp4")
PHOTO = Path("reports/telegram/rt_news/photos/photo_1@06-01-2022_01-12-44.jpg")

WIDTH, HEIGHT, FPS, SECONDS = 480, 270, 25, 4
COPY_WIDTH, COPY_HEIGHT, COPY_FPS = 400, 226, 24
TRIM_SECONDS = 0.5
CROP_FRACTION = 0.10
SEED = 20220106


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType support for the default font
        return ImageFont.load_default()


# --------------------------------------------------------------------------- drawing


class StreetScene:
    """A night street, seen from the pavement, with soldiers firing towards the far end."""

    def __init__(self, seed: int = SEED) -> None:
        rng = random.Random(seed)
        self.vanish = (WIDTH * 0.56, HEIGHT * 0.42)
        # Buildings along each side: (near x, far x, top at near side, lit windows pattern seed).
        self.left_buildings = [(i, rng.randint(60, 110), rng.random()) for i in range(5)]
        self.right_buildings = [(i, rng.randint(50, 100), rng.random()) for i in range(5)]
        self.windows = {key: rng.random() for key in range(400)}
        # People running away down the street: start depth, lateral position, speed.
        self.runners = [(rng.uniform(0.15, 0.55), rng.uniform(-0.5, 0.5), rng.uniform(0.05, 0.11)) for _ in range(6)]
        # Soldiers in the foreground: x position, scale; firing pattern per frame.
        self.soldiers = [(70, 1.0), (135, 0.85), (390, 0.95)]
        self.flashes = [[rng.random() < 0.28 for _ in range(FPS * SECONDS)] for _ in self.soldiers]
        self.shake = [(rng.randint(-2, 2), rng.randint(-1, 1)) for _ in range(FPS * SECONDS)]
        self.smoke = [
            (rng.uniform(0, WIDTH), rng.uniform(HEIGHT * 0.3, HEIGHT * 0.6), rng.uniform(10, 26)) for _ in range(8)
        ]

    def _project(self, depth: float, lateral: float) -> tuple[float, float, float]:
        """Screen position and scale of a point on the road: depth 0 (near) .. 1 (vanishing point)."""
        vx, vy = self.vanish
        scale = 1.0 - depth
        x = vx + lateral * WIDTH * 0.55 * scale
        y = vy + (HEIGHT - vy) * scale
        return x, y, scale

    def frame(self, index: int) -> Image.Image:
        t = index / FPS
        image = Image.new("RGB", (WIDTH, HEIGHT), (8, 10, 22))
        draw = ImageDraw.Draw(image)
        vx, vy = self.vanish

        # Sky glow over the city.
        for row in range(int(vy)):
            shade = int(14 + 26 * row / vy)
            draw.line([(0, row), (WIDTH, row)], fill=(shade, shade - 4, shade + 10))

        # Road and pavements in perspective.
        draw.polygon([(0, HEIGHT), (WIDTH, HEIGHT), (vx, vy)], fill=(34, 34, 38))
        draw.polygon([(0, HEIGHT), (0, HEIGHT * 0.86), (vx, vy)], fill=(52, 50, 48))
        draw.polygon([(WIDTH, HEIGHT), (WIDTH, HEIGHT * 0.86), (vx, vy)], fill=(52, 50, 48))
        for k in range(6):  # centre line dashes, scrolling slightly with the handheld camera
            d0 = (k / 6 + t * 0.02) % 1.0
            d1 = min(d0 + 0.06, 0.98)
            x0, y0, _ = self._project(d0, 0.0)
            x1, y1, _ = self._project(d1, 0.0)
            draw.line([(x0, y0), (x1, y1)], fill=(150, 140, 90), width=max(1, int(3 * (1 - d0))))

        # Buildings: receding blocks on each side with lit windows.
        for side, blocks in ((-1, self.left_buildings), (1, self.right_buildings)):
            for i, height, tone in blocks:
                d0, d1 = i / 5 * 0.9, (i + 1) / 5 * 0.9
                xa, ya, sa = self._project(d0, side * 1.05)
                xb, yb, sb = self._project(d1, side * 1.05)
                top_a, top_b = ya - height * 2.4 * sa, yb - height * 2.4 * sb
                grey = int(40 + 30 * tone)
                draw.polygon(
                    [(xa, ya), (xb, yb), (xb, top_b), (xa, top_a)],
                    fill=(grey, grey - 6, grey + 6),
                    outline=(20, 20, 26),
                )
                for w in range(4):
                    for h in range(3):
                        if self.windows[(i * 12 + w * 3 + h + (side > 0) * 200) % 400] < 0.45:
                            continue
                        fx = (w + 0.5) / 4
                        wx = xa + (xb - xa) * fx
                        wy_base = ya + (yb - ya) * fx
                        wtop = top_a + (top_b - top_a) * fx
                        wy = wtop + (wy_base - wtop) * (h + 0.6) / 4
                        size = max(1.5, 5 * (sa + (sb - sa) * fx))
                        draw.rectangle([wx - size, wy - size, wx + size, wy + size * 0.8], fill=(220, 190, 110))

        # Street lamps.
        for k in range(4):
            for side in (-1, 1):
                x, y, s = self._project(0.1 + k * 0.2, side * 0.9)
                draw.line([(x, y), (x, y - 70 * s)], fill=(90, 90, 90), width=max(1, int(3 * s)))
                r = max(2, 7 * s)
                draw.ellipse([x - r, y - 70 * s - r, x + r, y - 70 * s + r], fill=(255, 230, 160))

        # Drifting smoke.
        for sx, sy, r in self.smoke:
            x = (sx + 18 * t) % WIDTH
            draw.ellipse([x - r * 2, sy - r, x + r * 2, sy + r], fill=(60, 60, 70))

        # People running away, getting smaller as they go.
        for start, lateral, speed in self.runners:
            depth = min(0.93, start + speed * t)
            x, y, s = self._project(depth, lateral)
            stride = math.sin(t * 12 + lateral * 7) * 6 * s
            h = 60 * s
            draw.ellipse([x - 4 * s, y - h - 8 * s, x + 4 * s, y - h], fill=(25, 22, 20))
            draw.line([(x, y - h), (x, y - h * 0.45)], fill=(25, 22, 20), width=max(1, int(6 * s)))
            draw.line([(x, y - h * 0.45), (x - stride, y)], fill=(25, 22, 20), width=max(1, int(4 * s)))
            draw.line([(x, y - h * 0.45), (x + stride, y)], fill=(25, 22, 20), width=max(1, int(4 * s)))

        # Soldiers in the foreground, rifles pointed down the street, with muzzle flashes.
        for n, (sx, scale) in enumerate(self.soldiers):
            base = HEIGHT - 4
            h = 150 * scale
            body = (16, 20, 14)
            draw.ellipse([sx - 12 * scale, base - h - 22 * scale, sx + 12 * scale, base - h + 2 * scale], fill=body)
            draw.rectangle([sx - 18 * scale, base - h, sx + 18 * scale, base - h * 0.4], fill=body)
            draw.rectangle([sx - 16 * scale, base - h * 0.4, sx - 3 * scale, base], fill=body)
            draw.rectangle([sx + 3 * scale, base - h * 0.4, sx + 16 * scale, base], fill=body)
            direction = 1 if sx < vx else -1
            tip = (sx + direction * 70 * scale, base - h * 0.78 - 8 * scale)
            draw.line([(sx, base - h * 0.72), tip], fill=(10, 10, 10), width=max(2, int(6 * scale)))
            if self.flashes[n][index]:
                r = 9 + 7 * ((index * 7 + n * 3) % 5) / 4
                fx, fy = tip[0] + direction * r * 0.6, tip[1]
                draw.ellipse([fx - r * 1.4, fy - r, fx + r * 1.4, fy + r], fill=(255, 200, 70))
                draw.ellipse([fx - r * 0.6, fy - r * 0.45, fx + r * 0.6, fy + r * 0.45], fill=(255, 250, 220))
                draw.line([tip, (vx + (n - 1) * 12, vy + 14)], fill=(255, 220, 140), width=1)

        # Handheld shake: shift the whole picture by a pixel or two.
        dx, dy = self.shake[index]
        if dx or dy:
            shaken = Image.new("RGB", (WIDTH, HEIGHT), (8, 10, 22))
            shaken.paste(image, (dx, dy))
            image = shaken
        self._logo(image)
        return image

    @staticmethod
    def _logo(image: Image.Image) -> None:
        """The channel's bug, top left, placed so that a 10% side crop cuts into it."""
        draw = ImageDraw.Draw(image)
        draw.rounded_rectangle([30, 12, 108, 44], radius=6, fill=(120, 185, 40))
        draw.text((40, 14), "RT", fill=(255, 255, 255), font=_font(26))
        draw.text((76, 26), "NEWS", fill=(255, 255, 255), font=_font(10))
        draw.text((WIDTH - 118, HEIGHT - 22), "ALMATY  LIVE", fill=(235, 235, 235), font=_font(13))


def _agency_logo(image: Image.Image) -> None:
    """Cover what is left of the channel bug with the agency's own."""
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 110, 40], fill=(0, 56, 120))
    draw.text((8, 6), "RIA", fill=(255, 255, 255), font=_font(20))
    draw.text((52, 14), "NOVOSTI", fill=(200, 220, 255), font=_font(10))


def draw_crowd_photo() -> Image.Image:
    """A night crowd in front of a monument column on a square, seen from across the street."""
    rng = random.Random(SEED + 1)
    image = Image.new("RGB", (320, 240), (12, 14, 30))
    draw = ImageDraw.Draw(image)
    for row in range(150):
        shade = int(12 + 30 * row / 150)
        draw.line([(0, row), (320, row)], fill=(shade, shade - 2, shade + 14))
    draw.rectangle([0, 150, 320, 240], fill=(40, 38, 40))
    # Monument: a tall column on a stepped base, lit from below.
    draw.rectangle([148, 30, 172, 150], fill=(170, 150, 110))
    draw.polygon([(150, 30), (170, 30), (160, 12)], fill=(210, 180, 90))
    draw.rectangle([128, 140, 192, 158], fill=(120, 110, 90))
    # Floodlights and a government building behind.
    draw.rectangle([10, 70, 120, 150], fill=(55, 55, 66))
    draw.rectangle([200, 80, 310, 150], fill=(55, 55, 66))
    for x in range(18, 116, 14):
        for y in range(80, 145, 16):
            if rng.random() < 0.5:
                draw.rectangle([x, y, x + 6, y + 8], fill=(200, 170, 100))
    for x in range(208, 306, 14):
        for y in range(88, 145, 16):
            if rng.random() < 0.4:
                draw.rectangle([x, y, x + 6, y + 8], fill=(200, 170, 100))
    # Crowd: many heads and shoulders, darker and larger towards the camera.
    for _ in range(260):
        y = rng.uniform(150, 240)
        depth = (y - 150) / 90
        x = rng.uniform(-10, 330)
        r = 2.5 + 6 * depth
        tone = int(20 + 30 * (1 - depth))
        draw.ellipse([x - r * 1.7, y - r * 0.4, x + r * 1.7, y + r * 2.5], fill=(tone, tone, tone + 4))
        draw.ellipse([x - r, y - r * 2.2, x + r, y - r * 0.2], fill=(tone + 6, tone + 4, tone))
    # A few raised banners, blank: the text is in the reports, not in the picture.
    for x in (60, 210, 265):
        draw.line([(x, 175), (x, 140)], fill=(30, 30, 30), width=2)
        draw.rectangle([x - 22, 122, x + 22, 142], fill=(225, 225, 215))
    return image


# --------------------------------------------------------------------------- encoding


def _open_stream(container: av.container.OutputContainer, fps: int, width: int, height: int, crf: int, bitrate: int):
    if "libx264" in av.codecs_available:
        stream = container.add_stream("libx264", rate=fps)
        # asm=0: x264's plain C code paths, so the bytes do not depend on the CPU's SIMD features.
        stream.options = {"crf": str(crf), "preset": "medium", "tune": "animation", "x264-params": "asm=0"}
    else:  # PyAV wheels normally carry libx264; fall back to MPEG-4 Part 2 if not
        stream = container.add_stream("mpeg4", rate=fps)
        stream.bit_rate = bitrate
        stream.options = {"flags": "+bitexact", "idct": "simple"}
    # One encoder thread: multi-threaded rate control can vary from run to run.
    stream.codec_context.thread_count = 1
    stream.codec_context.thread_type = "NONE"
    stream.width = width
    stream.height = height
    stream.pix_fmt = "yuv420p"
    stream.time_base = Fraction(1, fps)
    return stream


# Colour conversion is done with Pillow's integer code rather than FFmpeg's swscale, whose
# SIMD paths round differently on different CPUs. Pillow's YCbCr is full-range BT.601; H.264
# in yuv420p is limited range (Y 16..235, Cb/Cr 16..240), hence the lookup tables.
_Y_TO_LIMITED = [16 + (v * 219 + 127) // 255 for v in range(256)]
_C_TO_LIMITED = [16 + (v * 224 + 127) // 255 for v in range(256)]
_Y_TO_FULL = [min(255, max(0, ((v - 16) * 255 + 109) // 219)) for v in range(256)]
_C_TO_FULL = [min(255, max(0, ((v - 16) * 255 + 112) // 224)) for v in range(256)]


def _to_frame(image: Image.Image) -> av.VideoFrame:
    """An RGB picture as a yuv420p frame (even width and height)."""
    y, cb, cr = image.convert("YCbCr").split()
    planes = [y.point(_Y_TO_LIMITED), cb.reduce(2).point(_C_TO_LIMITED), cr.reduce(2).point(_C_TO_LIMITED)]
    frame = av.VideoFrame(image.width, image.height, "yuv420p")
    for plane, picture in zip(frame.planes, planes, strict=True):
        rows = picture.tobytes()
        pad = bytes(plane.line_size - picture.width)
        plane.update(b"".join(rows[r * picture.width : (r + 1) * picture.width] + pad for r in range(picture.height)))
    return frame


def _to_image(frame: av.VideoFrame) -> Image.Image:
    """A decoded yuv420p frame as an RGB picture."""
    if frame.format.name != "yuv420p":
        frame = frame.reformat(format="yuv420p")
    pictures = []
    for index, plane in enumerate(frame.planes):
        width, height = plane.width, plane.height
        data = bytes(plane)
        rows = b"".join(data[r * plane.line_size : r * plane.line_size + width] for r in range(height))
        picture = Image.frombytes("L", (width, height), rows)
        if index:
            picture = picture.resize((frame.width, frame.height), Image.Resampling.NEAREST).point(_C_TO_FULL)
        else:
            picture = picture.point(_Y_TO_FULL)
        pictures.append(picture)
    return Image.merge("YCbCr", pictures).convert("RGB")


def _write(path: Path, frames, fps: int, width: int, height: int, crf: int, bitrate: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w", format="mp4") as container:
        container.metadata.clear()
        stream = _open_stream(container, fps, width, height, crf, bitrate)
        for index, image in enumerate(frames):
            frame = _to_frame(image)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def make_original(out: Path) -> Path:
    scene = StreetScene()
    path = out / ORIGINAL
    _write(path, (scene.frame(i) for i in range(FPS * SECONDS)), FPS, WIDTH, HEIGHT, crf=24, bitrate=600_000)
    return path


def _decode(path: Path) -> list[tuple[float, Image.Image]]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [(float(frame.pts * stream.time_base), _to_image(frame)) for frame in container.decode(stream)]


def make_copy(original: Path, out: Path) -> Path:
    """The agency's version: decoded from the original, never redrawn."""
    decoded = _decode(original)
    duration = decoded[-1][0] + 1 / FPS
    crop = round(WIDTH * CROP_FRACTION)
    box = (crop, 0, WIDTH - crop, HEIGHT)

    def frames():
        k = 0
        while True:
            t = TRIM_SECONDS + k / COPY_FPS
            if t >= duration - 1e-9:
                return
            # Nearest original frame at or before t: a plain frame-rate conversion.
            _, image = max((item for item in decoded if item[0] <= t + 1e-9), key=lambda item: item[0])
            image = image.crop(box).resize((COPY_WIDTH, COPY_HEIGHT), Image.Resampling.BILINEAR)
            _agency_logo(image)
            yield image
            k += 1

    path = out / COPY
    _write(path, frames(), COPY_FPS, COPY_WIDTH, COPY_HEIGHT, crf=31, bitrate=300_000)
    return path


def make_photo(out: Path) -> Path:
    path = out / PHOTO
    path.parent.mkdir(parents=True, exist_ok=True)
    draw_crowd_photo().save(path, format="JPEG", quality=82, optimize=True)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="example scenario folder (default: %(default)s)")
    args = parser.parse_args(argv)
    original = make_original(args.out)
    copy = make_copy(original, args.out)
    photo = make_photo(args.out)
    for path in (original, copy, photo):
        print(f"{path.relative_to(args.out)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
