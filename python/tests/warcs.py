"""Small WARC files for tests, made here from pages written for them."""

from __future__ import annotations

import gzip
import io

PAGES = [
    (
        "https://ledger.example/2024/05/16/bridge",
        "Lakeport Ledger",
        "2024-05-16T09:00:00Z",
        "Mayor Defends Harbor Bridge Plan",
        [
            "Lakeport's mayor, Elena Marsh, defended her plan for the Harbor Bridge on "
            "Wednesday, a day after the council asked for a delay.",
            "\u201cWe will not wait another decade for a bridge that never comes,\u201d "
            "Marsh said at a news conference at city hall.",
            "Council member Tomas Reyes disagreed. \u201cThe numbers simply do not add up,\u201d "
            "he told reporters after the meeting.",
        ],
    ),
    (
        "https://wire.example/news/ferry-expands",
        "Coastal Wire",
        "2024-05-18T12:30:00Z",
        "Ferry Service Expands During Closure",
        [
            "The ferry operator will add two boats to its harbor route while the bridge is "
            "closed, its chief executive, Daniel Okafor, announced on Friday.",
            "\u201cNobody should have to choose between their job and their commute,\u201d "
            "Okafor said. He said the boats would run every twenty minutes at rush hour.",
        ],
    ),
]


def page_html(url, site, published, title, paragraphs):
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{url}">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sports">Sports</a></nav>
<article><h1>{title}</h1>
{body}
</article>
<footer>Copyright {site}. All rights reserved.</footer>
</body></html>"""


def _record(warc_type, url, payload: bytes, date="2024-05-20T00:00:00Z", n=[0]):
    n[0] += 1
    headers = [
        "WARC/1.0",
        f"WARC-Type: {warc_type}",
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n[0]:012d}>",
        f"WARC-Date: {date}",
    ]
    if url:
        headers.append(f"WARC-Target-URI: {url}")
    if warc_type in ("response", "request"):
        kind = "response" if warc_type == "response" else "request"
        headers.append(f"Content-Type: application/http; msgtype={kind}")
    headers.append(f"Content-Length: {len(payload)}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + payload + b"\r\n\r\n"


def _http(status, content_type, body: bytes):
    reason = {200: "OK", 404: "Not Found"}[status]
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def make_warc(gzipped=True) -> bytes:
    """warcinfo, then per page a request and an HTML response; a 404 and an image too."""
    records = [_record("warcinfo", None, b"software: onrecord tests\r\n")]
    for url, site, published, title, paragraphs in PAGES:
        records.append(_record("request", url, f"GET {url} HTTP/1.1\r\n\r\n".encode()))
        html = page_html(url, site, published, title, paragraphs).encode()
        records.append(_record("response", url, _http(200, "text/html; charset=utf-8", html)))
    records.append(_record("response", "https://ledger.example/missing",
                           _http(404, "text/html", b"<html>gone</html>")))
    records.append(_record("response", "https://ledger.example/logo.png",
                           _http(200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64))))
    if not gzipped:
        return b"".join(records)
    out = io.BytesIO()
    for rec in records:  # one gzip member per record, as crawlers write them
        out.write(gzip.compress(rec))
    return out.getvalue()
