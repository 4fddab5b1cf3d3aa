"""Format parsers of the ingest stage: good inputs give the right drafts, bad ones clear errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import ExifTags, Image

from corroborator.ingest.drafts import IngestError, ParseContext
from corroborator.ingest.formats import (
    FORMATS,
    describe_media,
    detect_format,
    media_kind,
    parse_document,
)

ALMATY = timezone(timedelta(hours=6))


def ctx(name: str, base_dir: Path | None = None, **kwargs: Any) -> ParseContext:
    return ParseContext(name=name, base_dir=base_dir, **kwargs)


# -- detection -------------------------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<?xml-stylesheet href="feed.xsl"?>
<rss version="2.0"><channel><title>Wire &amp; Co</title><link>https://www.wire.example/</link>
<language>en-us</language>
<item><title>Dozens dead in the city</title><link>https://www.wire.example/n/1</link>
<guid isPermaLink="false">urn:uuid:6f1c</guid><pubDate>Wed, 05 Jan 2022 18:30:00 +0600</pubDate>
<author>desk@wire.example (Night Desk)</author>
<description>&lt;p&gt;Officials said dozens died.&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;&lt;p&gt;Not verified.&lt;/p&gt;</description>
<enclosure url="https://cdn.wire.example/v.mp4" type="video/mp4" length="1000"/></item>
<item><title>Headline only</title></item>
</channel></rss>"""


@pytest.mark.parametrize(
    ("name", "head", "media_type", "expected"),
    [
        ("page.html", b"<!DOCTYPE html><html><body>x</body></html>", None, "html"),
        ("page.html", RSS, None, "feed"),
        ("feed.xml", RSS, None, "feed"),
        (
            "https://example.org/feed",
            b"\xef\xbb\xbf<!-- hi --><feed xmlns='http://www.w3.org/2005/Atom'>",
            None,
            "feed",
        ),
        ("download", b"<html><head>", None, "html"),
        ("result.json", b'{"name": "x"}', None, "telegram"),
        ("export", b'  {"messages": []}', None, "telegram"),
        ("notes.csv", b"witness,said\n", None, "fieldnotes"),
        ("notes.yml", b"- witness: A\n", None, "fieldnotes"),
        ("a.txt", b"plain words", None, "text"),
        ("a.md", b"<div>markdown may start with HTML</div>", None, "text"),
        ("README", b"plain words", None, "text"),
        ("https://example.org/x?id=3", b"hello", "text/plain; charset=utf-8", "text"),
        ("photo.bin", b"\xff\xd8\xff\xe0\x00\x10JFIF", None, "image"),
        ("x", b"\x89PNG\r\n\x1a\n\x00\x00", None, "image"),
        ("x", b"RIFF\x00\x00\x00\x00WEBPVP8 ", None, "image"),
        ("clip", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", None, "video"),
        ("clip", b"\x1a\x45\xdf\xa3\x01\x00", None, "video"),
        ("clip", b"RIFF\x00\x00\x00\x00AVI LIST", None, "video"),
        ("clip.mov", b"", None, "video"),
    ],
)
def test_detect_format(name: str, head: bytes, media_type: str | None, expected: str) -> None:
    assert detect_format(name, head, media_type) == expected
    assert expected in FORMATS


def test_detect_format_rejects_unknown_kinds() -> None:
    with pytest.raises(IngestError, match=r"unsupported file type: '\.pdf' file; supported are"):
        detect_format("report.pdf", b"%PDF-1.7\n\x93\x8c\x8b\x9e")
    with pytest.raises(IngestError, match="unsupported file type: file without extension"):
        detect_format("blob", b"\x00\x01\x02\x03")


def test_media_kind_by_magic_then_extension() -> None:
    assert media_kind("x.txt", b"GIF89a") == "image"
    assert media_kind("x.webm", b"") == "video"
    assert media_kind("x.heic", b"\x00\x00\x00\x18ftypheic") == "image"
    assert media_kind("I'm free.txt", b"I'm free to talk") is None


# -- HTML ------------------------------------------------------------------------------

ARTICLE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Troops fire on crowd | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2022-01-06T21:15:00+06:00">
<meta name="author" content="Aigerim Example">
<meta name="description" content="Witnesses describe shooting at the square.">
<link rel="canonical" href="https://www.example-news.org/2022/01/06/shooting">
<script>var tracker = "SCRIPT_PAYLOAD";</script><style>p {{ color: red }}</style>
</head><body><nav>Home | World | Sport</nav>
<article><h1>Troops fire on crowd in the square</h1>
<p>An activist who was in a crowd of about 200 people said soldiers opened fire after sundown
on young unarmed protesters near the main square.</p>
<p>The account could not be independently verified. Officials presented no evidence for their
claims about fighters trained abroad, and residents reached by phone described a smaller clash.</p>
{media}
<script>document.write("SCRIPT_PAYLOAD_2")</script>
</article><footer>Copyright Example News</footer></body></html>
"""


def write_image(path: Path, size: tuple[int, int] = (32, 24)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 30, 30)).save(path)
    return path


def test_html_article(tmp_path: Path) -> None:
    page_dir = tmp_path / "saved"
    write_image(page_dir / "files" / "photo 1.jpg")
    (tmp_path / "secret.jpg").write_bytes(b"\xff\xd8\xff outside")
    (page_dir / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    media = (
        '<img src="files/photo%201.jpg"><img src="files/photo%201.jpg"><img src="../secret.jpg">'
        '<img src="/etc/passwd"><img src="link.jpg"><img src="missing.png">'
        '<img src="https://cdn.example.org/remote.jpg"><img src="data:image/png;base64,AAAA">'
        '<video><source src="clip.mp4"></video>'
    )
    data = ARTICLE.format(media=media).encode()

    [draft] = parse_document("html", data, ctx("shooting.html", page_dir))

    assert draft.format == "html"
    assert draft.locator == ""
    assert draft.text.startswith("Troops fire on crowd in the square")
    assert "about 200 people" in draft.text
    assert "SCRIPT_PAYLOAD" not in draft.text
    assert "color: red" not in draft.text
    assert draft.title == "Troops fire on crowd in the square"
    assert draft.author == "Aigerim Example"
    assert draft.site == "Example News"
    assert draft.url == "https://www.example-news.org/2022/01/06/shooting"
    assert draft.language == "en-gb"
    assert draft.published_at == datetime(2022, 1, 6, 21, 15, tzinfo=ALMATY)
    assert draft.source is not None
    assert (draft.source.name, draft.source.domain) == ("Example News", "example-news.org")
    assert draft.details["description"] == "Witnesses describe shooting at the square."

    assert [(a.path, a.kind) for a in draft.attachments] == [((page_dir / "files" / "photo 1.jpg").resolve(), "image")]
    reasons = {item["ref"]: item["reason"] for item in draft.details["missing_media"]}
    assert reasons == {
        "../secret.jpg": "outside the report's folder",
        "/etc/passwd": "absolute path",
        "link.jpg": "outside the report's folder",
        "missing.png": "not found",
        "clip.mp4": "not found",
    }
    assert draft.details["remote_media"] == ["https://cdn.example.org/remote.jpg"]


def test_html_fetched_page_takes_domain_from_the_fetch_not_the_page() -> None:
    data = ARTICLE.format(media='<img src="/img/a.jpg">').encode()
    [draft] = parse_document("html", data, ctx("page", url="https://mirror.example.com/a", media_type="text/html"))
    assert draft.source is not None
    assert draft.source.domain == "mirror.example.com"
    assert draft.attachments == []
    assert draft.details["remote_media"] == ["https://www.example-news.org/img/a.jpg"]


def test_html_declared_charset_is_honoured() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><article><p>{}</p></article></body></html>'
    data = page.format("Солдаты открыли огонь по толпе на площади, сообщают очевидцы. " * 3).encode("cp1251")
    [draft] = parse_document("html", data, ctx("ru.html"))
    assert "Солдаты открыли огонь" in draft.text


def test_html_without_charset_must_be_utf8() -> None:
    data = b"<html><body><p>caf\xe9 on the square</p></body></html>"
    with pytest.raises(IngestError, match=r"not valid UTF-8 and no charset declared \(byte 0xe9 at offset 18\)"):
        parse_document("html", data, ctx("cafe.html"))


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.format(media="").encode()[:700] + b'<p class="le',
        ARTICLE.format(media="").encode().split(b"<h1>")[0] + b"<h1>",
        b"<html><head><title>Half a page</title></head><body><script>var a = 1;</script>",
    ],
)
def test_html_truncated(data: bytes) -> None:
    with pytest.raises(IngestError, match="HTML is truncated"):
        parse_document("html", data, ctx("cut.html"))


def test_html_without_article_text() -> None:
    data = b"<html><head><title>Empty</title><script>x()</script></head><body><div></div></body></html>"
    with pytest.raises(IngestError, match="no article text found"):
        parse_document("html", data, ctx("empty.html"))


def test_html_hostile_markup_stays_text() -> None:
    data = (
        b"<html><body><article><p>Residents said the square was calm in the morning, then crowded by noon.</p>"
        b"<p>&lt;script&gt;alert(1)&lt;/script&gt; is how the banner read, in jest.</p>"
        b"<script>alert('REAL_SCRIPT')</script><noscript><img src=x onerror=alert(2)></noscript>"
        b"</article></body></html>"
    )
    [draft] = parse_document("html", data, ctx("hostile.html"))
    assert "REAL_SCRIPT" not in draft.text
    assert "<script>alert(1)</script> is how the banner read" in draft.text


def test_html_nested_too_deeply_is_refused() -> None:
    data = b"<html><body>" + b"<div>" * 5000 + b"<p>deep</p>" + b"</div>" * 5000 + b"</body></html>"
    with pytest.raises(IngestError, match="HTML cannot be read past line 1"):
        parse_document("html", data, ctx("deep.html"))


# -- feeds -----------------------------------------------------------------------------


def test_rss_feed() -> None:
    first, second = parse_document("feed", RSS, ctx("wire.xml"))

    assert first.format == "feed"
    assert first.locator == "entry:urn:uuid:6f1c"
    assert first.text == "Officials said dozens died.\nNot verified."
    assert first.title == "Dozens dead in the city"
    assert first.url == "https://www.wire.example/n/1"
    assert first.author == "desk@wire.example (Night Desk)"
    assert first.language == "en-us"
    assert first.site == "Wire & Co"
    assert first.published_at == datetime(2022, 1, 5, 12, 30, tzinfo=UTC)
    assert first.source is not None
    assert (first.source.name, first.source.domain) == ("Wire & Co", "wire.example")
    assert first.details["enclosures"] == [
        {"url": "https://cdn.wire.example/v.mp4", "type": "video/mp4", "length": "1000"}
    ]
    assert (second.text, second.locator) == ("Headline only", "entry:2")


def test_atom_feed_locators_are_stable_and_short() -> None:
    long_id = "https://news.example/" + "a" * 100
    atom = f"""<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="kk"><title>Atom Desk</title>
    <link href="https://atom.example/"/>
    <entry><id>{long_id}</id><title type="html">A &lt;i&gt;quiet&lt;/i&gt; night</title>
    <updated>2022-01-06T10:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para one</p><p>Para two</p></div></content>
    </entry></feed>""".encode()
    [entry] = parse_document("feed", atom, ctx("atom.xml"))
    again = parse_document("feed", atom, ctx("atom.xml"))[0]
    assert entry.locator == again.locator
    assert len(entry.locator) == len("entry:") + 16
    assert entry.text == "Para one\nPara two"
    assert entry.title == "A quiet night"
    assert entry.language == "kk"
    assert entry.published_at == datetime(2022, 1, 6, 10, tzinfo=UTC)


def test_feed_without_entries() -> None:
    empty = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Quiet</title></channel></rss>"
    with pytest.raises(IngestError, match="feed has no entries"):
        parse_document("feed", empty, ctx("quiet.rss"))


def test_broken_feed_reports_the_reason() -> None:
    with pytest.raises(IngestError, match="not a readable feed: .*no element found"):
        parse_document("feed", b"<rss version='2.0'><channel><title>Cut", ctx("cut.rss"))


# -- text ------------------------------------------------------------------------------


def test_markdown_with_front_matter() -> None:
    data = (
        "\ufeff---\nsource: Radio Example\nsource_kind: international_broadcaster\n"
        "date: 2022-01-05 18:30:00\nurl: https://www.radio.example/kz/1\nauthor: Desk\nlanguage: en\n"
        "programme: Evening news\n---\n\n# Soldiers opened fire, activist says\n\nAn activist said...\n"
    ).encode()
    [draft] = parse_document("text", data, ctx("radio.md"))
    assert draft.format == "markdown"
    assert draft.title == "Soldiers opened fire, activist says"
    assert draft.text.startswith("# Soldiers opened fire")
    assert draft.published_at == datetime(2022, 1, 5, 18, 30, tzinfo=UTC)
    assert (draft.author, draft.site, draft.language) == ("Desk", "Radio Example", "en")
    assert draft.source is not None
    assert (draft.source.name, draft.source.kind, draft.source.domain) == (
        "Radio Example",
        "international_broadcaster",
        "radio.example",
    )
    assert draft.details == {"front_matter": {"programme": "Evening news"}}


def test_plain_text_title_is_first_line() -> None:
    [draft] = parse_document("text", b"\n#hashtag is not a heading\nsecond line\n", ctx("note.txt"))
    assert (draft.format, draft.title, draft.source) == ("text", "#hashtag is not a heading", None)


def test_text_not_utf8() -> None:
    with pytest.raises(IngestError, match=r"not valid UTF-8; re-save the file as UTF-8 \(byte 0xe9 at offset 3\)"):
        parse_document("text", b"caf\xe9", ctx("cafe.txt"))


@pytest.mark.parametrize("data", [bytes(range(256)) * 4, b"\x01\x02\x03\x04ab\x05\x06\x07\x08"])
def test_binary_junk_is_not_text(data: bytes) -> None:
    with pytest.raises(IngestError, match="looks like a binary file, not text"):
        parse_document("text", data, ctx("junk.txt"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"   \n", "empty"),
        (b"---\nsource: X\n---\n", "empty"),
        (b"---\nsource: [unclosed\n---\ntext", "front matter is not valid YAML"),
        (b"---\nsource_kind: rumour\n---\ntext", "source_kind 'rumour' is not one of"),
        (b"---\ndate: sometime soon\n---\ntext", "date 'sometime soon' is not a date"),
        (b"---\nnested: {a: [1, 2]}\n---\ntext", "must be a plain value"),
    ],
)
def test_text_errors(data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        parse_document("text", data, ctx("x.md"))


# -- Telegram --------------------------------------------------------------------------


def telegram_export(tmp_path: Path) -> Path:
    folder = tmp_path / "ChatExport_2022-01-07"
    write_image(folder / "photos" / "photo_1@05-01-2022_18-30-00.jpg")
    export = {
        "name": "Example Channel",
        "type": "public_channel",
        "id": 1234567890,
        "messages": [
            {"id": 1, "type": "service", "date": "2022-01-05T10:00:00", "action": "create_channel", "text": ""},
            {
                "id": 2,
                "type": "message",
                "date": "2022-01-05T18:30:00",
                "date_unixtime": "1641385800",
                "from": "Example Channel",
                "from_id": "channel1234567890",
                "text": [
                    "Shooting reported near the square. ",
                    {"type": "link", "text": "https://example.org/report"},
                    " ",
                    {"type": "text_link", "text": "video", "href": "https://video.example/v/1"},
                ],
                "photo": "photos/photo_1@05-01-2022_18-30-00.jpg",
                "width": 32,
                "height": 24,
                "forwarded_from": "Other Channel",
                "edited": "2022-01-05T19:00:00",
                "edited_unixtime": "1641387600",
            },
            {
                "id": 3,
                "type": "message",
                "date": "2022-01-05T19:10:00",
                "text": "Video from the scene",
                "file": "(File not included. Change data exporting settings to download.)",
                "media_type": "video_file",
                "reply_to_message_id": 2,
            },
            {"id": 4, "type": "message", "date": "2022-01-05T19:20:00", "text": "Evidence", "file": "../../etc/passwd"},
            {"id": "five", "type": "message", "date": "2022-01-05T19:30:00", "text": "bad id"},
            {"id": 6, "type": "message", "date": "2022-01-05T19:40:00", "text": 42},
            {"id": 7, "type": "message", "date": "2022-01-05T19:50:00", "text": ""},
        ],
    }
    path = folder / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return path


def test_telegram_export(tmp_path: Path) -> None:
    path = telegram_export(tmp_path)
    drafts = parse_document("telegram", path.read_bytes(), ctx(path.name, path.parent))

    assert [d.locator for d in drafts] == ["message:2", "message:3", "message:4"]
    first, second, third = drafts
    assert first.format == "telegram"
    assert first.text == "Shooting reported near the square. https://example.org/report video"
    assert first.published_at == datetime(2022, 1, 5, 12, 30, tzinfo=UTC)
    assert first.site == "Example Channel"
    assert first.source is not None
    assert (first.source.name, first.source.kind) == ("Example Channel", None)
    assert first.details["links"] == ["https://example.org/report", "https://video.example/v/1"]
    assert first.details["forwarded_from"] == "Other Channel"
    assert first.details["edited_at"] == "2022-01-05T13:00:00+00:00"
    assert first.details["malformed_messages_skipped"] == 2
    [photo] = first.attachments
    assert photo.kind == "image"
    assert photo.path == (path.parent / "photos" / "photo_1@05-01-2022_18-30-00.jpg").resolve()
    assert photo.details["width"] == 32

    assert second.published_at == datetime(2022, 1, 5, 19, 10, tzinfo=UTC)
    assert second.details["date_assumed_utc"] is True
    assert second.details["reply_to_message_id"] == 2
    assert second.details["missing_media"] == [{"ref": "file", "reason": "not included in the export"}]

    assert third.attachments == []
    assert third.details["missing_media"] == [{"ref": "../../etc/passwd", "reason": "outside the report's folder"}]


def test_json_that_is_not_a_telegram_export() -> None:
    with pytest.raises(IngestError, match="JSON is not a Telegram Desktop export: no 'messages' list"):
        parse_document("telegram", b'{"name": "x", "items": []}', ctx("other.json"))


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(IngestError, match="not valid JSON: Expecting value at line 2, column 15"):
        parse_document("telegram", b'{"name": "x",\n "messages": [}', ctx("broken.json"))


def test_telegram_export_without_usable_messages() -> None:
    data = json.dumps({"name": "C", "messages": [{"id": 1, "type": "service"}, {"id": "x", "type": "message"}]})
    with pytest.raises(IngestError, match="no usable messages .* 1 malformed, 1 service"):
        parse_document("telegram", data.encode(), ctx("result.json"))


# -- field notes -----------------------------------------------------------------------

NOTES_CSV = (
    "\ufeffWitness,Anonymised,Relation,Vantage,Contact method,Contacted at,Interviewer,Reported by,"
    "Location,Event time,Language,Said,Notes,Callback\n"
    'Resident A,yes,resident,"balcony, 5th floor, faces the square",phone,2022-01-06 14:05,'
    'D. Reporter,Independent Outlet,Almaty,evening of 5 January,ru,"Shots, then quiet; I saw two '
    'injured, not dozens.",Sounded calm,tomorrow\n'
    "Medic B,no,medic,hospital A&E,messaging app,2022-01-06T16:00:00+06:00,D. Reporter,,,,"
    "en,Twelve wounded arrived overnight.,,\n"
)


def test_fieldnotes_csv() -> None:
    first, second = parse_document("fieldnotes", NOTES_CSV.encode(), ctx("calls.csv"))

    assert first.format == "fieldnote"
    assert first.locator == "note:1"
    assert first.text == "Shots, then quiet; I saw two injured, not dozens."
    assert first.published_at == datetime(2022, 1, 6, 14, 5, tzinfo=UTC)
    assert (first.author, first.site, first.language) == ("D. Reporter", "Independent Outlet", "ru")
    assert first.source is not None
    assert (first.source.name, first.source.kind) == ("Resident A", "witness")
    assert first.source.details == {
        "relation": "resident",
        "vantage": "balcony, 5th floor, faces the square",
        "anonymised": True,
    }
    assert first.details["contact_method"] == "phone"
    assert first.details["event_time"] == "evening of 5 January"
    assert first.details["notes"] == "Sounded calm"
    assert first.details["callback"] == "tomorrow"
    assert second.locator == "note:2"
    assert second.published_at == datetime(2022, 1, 6, 16, tzinfo=ALMATY)
    assert second.source is not None
    assert second.source.details["anonymised"] is False
    assert "reported_by" not in second.details


def test_fieldnotes_yaml_mapping_with_defaults() -> None:
    data = b"""
interviewer: D. Reporter
reported_by: Independent Outlet
notes:
  - witness: Resident A
    anonymised: true
    relation: resident
    contacted_at: 2022-01-06 14:05:00
    event_time: 2022-01-05 19:00:00
    said: I heard shots but saw nobody hurt.
  - witness: Driver C
    said: Road to the airport was closed.
    interviewer: E. Stringer
"""
    first, second = parse_document("fieldnotes", data, ctx("calls.yaml"))
    assert first.published_at == datetime(2022, 1, 6, 14, 5, tzinfo=UTC)
    assert first.details["event_time"] == "2022-01-05T19:00:00"
    assert (first.author, first.site) == ("D. Reporter", "Independent Outlet")
    assert (second.author, second.locator, second.published_at) == ("E. Stringer", "note:2", None)


def test_fieldnotes_missing_said_names_the_row() -> None:
    data = b"witness,said\nResident A,Shots at nine.\nResident B,\n"
    with pytest.raises(IngestError, match=r"note 2 \(line 3\): missing required field 'said'"):
        parse_document("fieldnotes", data, ctx("calls.csv"))
    with pytest.raises(IngestError, match="note 1: missing required field 'said'"):
        parse_document("fieldnotes", b"- witness: Resident A\n", ctx("calls.yml"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"witness,said\n", "empty"),
        (b"name,text\nA,B\n", "CSV header has no 'witness' or 'said' column"),
        (b"witness,said\nA,B,C\n", "more cells than the header"),
        (b"witness,said,contacted_at\nA,B,last week-ish\n", "contacted_at 'last week-ish' is not a date"),
        (b"witness,said\nSa\xefd,B\n", r"not valid UTF-8.*byte 0xef at offset 15"),
    ],
)
def test_fieldnotes_errors(data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        parse_document("fieldnotes", data, ctx("calls.csv"))


# -- media -----------------------------------------------------------------------------


def test_describe_image_with_exif(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS 5D"
    exif.get_ifd(ExifTags.IFD.Exif).update(
        {ExifTags.Base.DateTimeOriginal: "2022:01:05 18:31:02", ExifTags.Base.OffsetTimeOriginal: "+06:00"}
    )
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (43.0, 14.0, 18.0), 3: "E", 4: (76.0, 56.0, 42.0)})
    path = tmp_path / "square.jpg"
    Image.new("RGB", (80, 60), (10, 20, 30)).save(path, exif=exif)

    info = describe_media(path, "image")

    assert (info["format"], info["width"], info["height"], info["mode"]) == ("JPEG", 80, 60, "RGB")
    assert info["taken_at"] == "2022-01-05T18:31:02+06:00"
    assert info["camera"] == "Canon EOS 5D"
    assert info["gps"] == {"latitude": 43.2383333, "longitude": 76.945}


def test_describe_image_without_exif(tmp_path: Path) -> None:
    info = describe_media(write_image(tmp_path / "plain.png"), "image")
    assert (info["format"], info["taken_at"], info["camera"], info["gps"]) == ("PNG", None, None, None)


def test_decompression_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_image(tmp_path / "big.png", (200, 200))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # 40,000 pixels: warning range
    with pytest.raises(IngestError, match="image too large to decode safely"):
        describe_media(path, "image")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)  # error range
    with pytest.raises(IngestError, match="image too large to decode safely"):
        describe_media(path, "image")


def test_truncated_image(tmp_path: Path) -> None:
    path = write_image(tmp_path / "whole.png", (64, 64))
    cut = tmp_path / "cut.png"
    cut.write_bytes(path.read_bytes()[:80])
    with pytest.raises(IngestError, match="not a readable image"):
        describe_media(cut, "image")


def write_video(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        container.metadata["creation_time"] = "2022-01-05T18:30:00.000000Z"
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(10):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48), (index * 20, 40, 80)))
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def test_describe_video(tmp_path: Path) -> None:
    info = describe_media(write_video(tmp_path / "clip.mp4"), "video")
    assert info["kind"] == "video"
    assert "mp4" in info["format"]
    assert (info["width"], info["height"], info["codec"]) == (64, 48, "mpeg4")
    assert info["duration_seconds"] == pytest.approx(1.0, abs=0.2)
    assert info["frame_rate"] == pytest.approx(10.0)
    assert info["frames"] == 10
    assert info["creation_time"].startswith("2022-01-05T18:30:00")
    assert info["audio"] is False


def test_truncated_video(tmp_path: Path) -> None:
    whole = write_video(tmp_path / "clip.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(IngestError, match="not a readable video"):
        describe_media(cut, "video")


def test_other_attachments_have_nothing_to_describe(tmp_path: Path) -> None:
    path = tmp_path / "voice.ogg"
    path.write_bytes(b"OggS")
    assert describe_media(path, "audio") == {"kind": "audio"}
    with pytest.raises(ValueError, match="attachment kind"):
        describe_media(path, "sound")


def test_text_posing_as_video(tmp_path: Path) -> None:
    fake = tmp_path / "clip.mp4"
    fake.write_bytes(b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n")
    with pytest.raises(IngestError, match="not a readable video"):
        describe_media(fake, "video")
