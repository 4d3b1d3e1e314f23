"""The Python API: extract, extract_many, iter_extract, extract_bytes, extract_file."""

from __future__ import annotations

import collections.abc
import datetime
import json
import threading
import time
import warnings

import pytest

import onrecord

MAYOR = (
    "Lakeport's mayor, Elena Marsh, defended her plan on Wednesday.\n\n"
    '"We will not wait another decade for a bridge that never comes," Marsh said.\n\n'
    'Council member Tomas Reyes disagreed. "The numbers simply do not add up," he said.'
)


def spans(result):
    for q in result["quotes"]:
        for key in ("content", "cue", "source"):
            if q[key] is not None:
                yield q[key]
    for e in result["entities"]:
        yield from e["mentions"]
    yield from result["dates"]


def test_extract_returns_the_contract():
    r = onrecord.extract(MAYOR, date="2024-05-16", id="mayor", title=None)
    assert r["schema"] == "onrecord/1" == onrecord.SCHEMA
    assert r["id"] == "mayor"
    assert r["date"] == "2024-05-16"
    assert list(r) == ["schema", "id", "date", "title", "quotes", "entities", "dates"]
    quotes = {q["content"]["text"]: q for q in r["quotes"]}
    q = quotes["We will not wait another decade for a bridge that never comes,"]
    assert q["kind"] == "direct"
    assert q["speaker"]["name"] == "Elena Marsh"
    assert isinstance(q["confidence"], float) and 0 <= q["confidence"] <= 1
    assert quotes["The numbers simply do not add up,"]["speaker"]["name"] == "Tomas Reyes"
    # "Wednesday" resolved against the date.
    assert any(d["value"] == "2024-05-15" for d in r["dates"])
    for s in spans(r):
        assert MAYOR[s["start"] : s["end"]] == s["text"]


def test_offsets_are_code_points():
    text = '\U0001f600 Caf\u00e9 news. "We are ready \U0001f680 now," Dana Whitfield said.'
    r = onrecord.extract(text)
    assert r["quotes"], r
    for s in spans(r):
        assert text[s["start"] : s["end"]] == s["text"]


def test_confidence_is_the_clis_number():
    line = onrecord.extract_json(MAYOR)
    r = json.loads(line)
    for q in r["quotes"]:
        # Two decimals, as printed: no f32 noise such as 0.9599999785423279.
        assert q["confidence"] == round(q["confidence"], 2)
    assert onrecord.extract(MAYOR) == r


def test_defaults_and_optional_fields():
    r = onrecord.extract("Nothing was said here.")
    assert r["id"] == "doc" and r["date"] is None and r["title"] is None
    assert "url" not in r and "outlet" not in r
    r = onrecord.extract(MAYOR, id=7, url="https://example.org/a", outlet="Ledger")
    assert r["id"] == "7"
    assert r["url"] == "https://example.org/a" and r["outlet"] == "Ledger"


def test_title_given_and_detected():
    text = "Mayor Defends Bridge Plan\n\n" + MAYOR
    r = onrecord.extract(text, title="Mayor Defends Bridge Plan")
    assert r["title"] == "Mayor Defends Bridge Plan"
    # Without a title, a headline-like first line is taken, as the CLI does.
    assert onrecord.extract(text)["title"] == "Mayor Defends Bridge Plan"
    assert onrecord.extract(MAYOR)["title"] is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-05-16", "2024-05-16"),
        ("2024-05-16T08:30:00Z", "2024-05-16"),
        (datetime.date(2024, 5, 16), "2024-05-16"),
        (datetime.datetime(2024, 5, 16, 23, 59), "2024-05-16"),
        (None, None),
    ],
)
def test_dates_accepted(value, expected):
    assert onrecord.extract(MAYOR, date=value)["date"] == expected


@pytest.mark.parametrize("value", ["2024-02-30", "16 May 2024", "2024-5-16", ""])
def test_bad_dates_are_value_errors(value):
    with pytest.raises(ValueError, match="invalid date"):
        onrecord.extract(MAYOR, date=value)


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError, match="text must be a str, not bytes"):
        onrecord.extract(MAYOR.encode())
    with pytest.raises(TypeError, match="text must be a str, not NoneType"):
        onrecord.extract(None)
    with pytest.raises(TypeError, match="date must be"):
        onrecord.extract(MAYOR, date=20240516)
    with pytest.raises(TypeError, match="title must be a str"):
        onrecord.extract(MAYOR, title=5)
    with pytest.raises(TypeError, match="id must be a str, an int or None"):
        onrecord.extract(MAYOR, id=1.5)
    with pytest.raises(ValueError, match="id is empty"):
        onrecord.extract(MAYOR, id="  ")
    with pytest.raises(TypeError):
        onrecord.extract(MAYOR, "2024-05-16")  # date is keyword-only


def test_empty_and_odd_texts():
    for text in ["", " ", "\n\n\n", '"', "\u201c" * 50, "\x00\x01", "\ufeffBOM first"]:
        r = onrecord.extract(text)
        assert r["schema"] == "onrecord/1"
        for s in spans(r):
            assert text[s["start"] : s["end"]] == s["text"]


def test_extract_many_keeps_order_and_ids():
    docs = [
        MAYOR,
        {"text": MAYOR, "id": "m2", "date": "2024-05-16", "title": None, "extra": [1, 2]},
        {"text": "No quotes.", "date": datetime.date(2024, 1, 2), "outlet": "Ledger"},
        {"text": MAYOR, "id": 42},
    ]
    out = onrecord.extract_many(docs)
    assert [r["id"] for r in out] == ["doc-1", "m2", "doc-3", "42"]
    assert out[1]["date"] == "2024-05-16" and out[2]["date"] == "2024-01-02"
    assert out[2]["outlet"] == "Ledger"
    # Each equals the single-document call.
    assert out[1] == onrecord.extract(MAYOR, id="m2", date="2024-05-16")
    assert out[0]["quotes"] == out[1]["quotes"] == out[3]["quotes"]


def test_extract_many_threads_give_the_same_results():
    docs = [{"text": MAYOR + f" Item {i}.", "id": f"d{i}"} for i in range(40)]
    one = onrecord.extract_many(docs, threads=1)
    assert one == onrecord.extract_many(docs, threads=3) == onrecord.extract_many(docs)
    assert [r["id"] for r in one] == [f"d{i}" for i in range(40)]


def test_extract_many_inputs():
    assert onrecord.extract_many([]) == []
    gen = ({"text": t} for t in ["a", "b"])
    assert [r["id"] for r in onrecord.extract_many(gen)] == ["doc-1", "doc-2"]

    class Record(collections.abc.Mapping):
        def __init__(self, **kw):
            self._d = kw

        def __getitem__(self, k):
            return self._d[k]

        def __iter__(self):
            return iter(self._d)

        def __len__(self):
            return len(self._d)

    r = onrecord.extract_many([Record(text=MAYOR, id="rec")])
    assert r[0]["id"] == "rec" and r[0]["quotes"]


def test_extract_many_errors_name_the_document():
    with pytest.raises(TypeError, match="not a single str"):
        onrecord.extract_many(MAYOR)
    with pytest.raises(TypeError, match="not a single dict"):
        onrecord.extract_many({"text": MAYOR})
    with pytest.raises(TypeError, match="iterable"):
        onrecord.extract_many(5)
    with pytest.raises(ValueError, match=r"docs\[1\] has no \"text\" key"):
        onrecord.extract_many(["ok", {"id": "x"}])
    with pytest.raises(TypeError, match=r"docs\[0\]\[\"text\"\] must be a str"):
        onrecord.extract_many([{"text": b"bytes"}])
    with pytest.raises(TypeError, match=r"docs\[1\] must be a str or a dict"):
        onrecord.extract_many(["ok", 3])
    with pytest.raises(ValueError, match=r"docs\[0\] \(id \"a\"\): date: invalid date"):
        onrecord.extract_many([{"text": "x", "id": "a", "date": "2024-13-01"}])
    with pytest.raises(ValueError, match="threads must be a positive integer"):
        onrecord.extract_many(["x"], threads=0)


def test_extract_many_releases_the_gil():
    docs = [MAYOR * 20] * 200
    start = time.perf_counter()
    onrecord.extract_many(docs[:20], threads=1)
    if time.perf_counter() - start < 0.02:
        docs = docs * 5  # a fast machine: make the call last long enough to observe
    ticks = 0
    done = threading.Event()

    def work():
        onrecord.extract_many(docs, threads=1)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0)
    t.join()
    # While the GIL is held the loop cannot run at all; released, it spins freely.
    assert ticks > 100, ticks


def test_concurrent_calls_from_threads():
    from concurrent.futures import ThreadPoolExecutor

    expected = onrecord.extract(MAYOR, id="x")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda i: onrecord.extract(MAYOR, id="x"), range(16)))
    assert all(r == expected for r in results)


def test_iter_extract_is_lazy_and_numbers_across_batches():
    seen = []

    def docs():
        for i in range(7):
            seen.append(i)
            yield "Text number %d." % i if i != 3 else {"text": "Three.", "id": "three"}

    it = onrecord.iter_extract(docs(), batch_size=3)
    first = next(it)
    assert first["id"] == "doc-1" and len(seen) == 3
    rest = list(it)
    assert [r["id"] for r in [first, *rest]] == [
        "doc-1", "doc-2", "doc-3", "three", "doc-5", "doc-6", "doc-7"
    ]
    with pytest.raises(ValueError):
        list(onrecord.iter_extract(["x"], batch_size=0))
    with pytest.raises(TypeError):
        list(onrecord.iter_extract("not a list"))


def test_extract_bytes_reads_inputs_like_the_cli():
    data = (
        json.dumps({"id": "a", "text": MAYOR, "date": "2024-05-16"}) + "\n"
        + "not json\n"
        + json.dumps({"text": "Second record."}) + "\n"
    ).encode()
    with pytest.warns(onrecord.InputWarning, match="line 2"):
        out = onrecord.extract_bytes(data, "feed.jsonl")
    assert [r["id"] for r in out] == ["a", "feed-3"]
    assert out[0] == onrecord.extract(MAYOR, id="a", date="2024-05-16")

    dated = b" date 2024-05-16 A summary\n\nThe Title Line\n\n" + MAYOR.encode()
    (r,) = onrecord.extract_bytes(dated, "dir/story.txt")
    assert r["id"] == "story" and r["date"] == "2024-05-16" and r["title"] == "The Title Line"
    (r,) = onrecord.extract_bytes(dated, "story.txt", date=datetime.date(2020, 1, 1))
    assert r["date"] == "2020-01-01"
    with pytest.warns(onrecord.InputWarning, match="UTF-16"):
        (r,) = onrecord.extract_bytes(MAYOR.encode("utf-16"), "-")
    assert r["id"] == "stdin" and r["quotes"]
    with pytest.raises(ValueError, match="binary data"):
        onrecord.extract_bytes(b"\x00\x01\x02PNG" * 10, "image.png")
    with pytest.raises(TypeError):
        onrecord.extract_bytes("a str", "x.txt")


def test_extract_file(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text(MAYOR, encoding="utf-8")
    (r,) = onrecord.extract_file(p)
    assert r["id"] == "story"
    assert r["quotes"] == onrecord.extract(MAYOR)["quotes"]
    with pytest.raises(FileNotFoundError):
        onrecord.extract_file(tmp_path / "missing.txt")


def test_normalize_quote():
    n = onrecord.normalize_quote
    assert n("We Will NOT wait!") == "we will not wait"
    assert n("don\u2019t stop") == n("don't stop") == "dont stop"
    assert n("  \u201cWe will not wait \u2014 not again,\u201d ") == "we will not wait not again"
    assert n("...") == ""


def test_version():
    assert onrecord.__version__.count(".") == 2


# -------------------------------------------------------------------------------------
# The same documents through the CLI.


@pytest.mark.cli
def test_same_as_cli_on_json_lines(tmp_path, cli):
    records = [
        {"id": "a", "date": "2024-05-16", "title": "Mayor Defends Plan", "text": "Mayor Defends Plan\n\n" + MAYOR},
        {"id": "b", "text": MAYOR, "url": "https://example.org/b", "outlet": "Ledger"},
        {"id": "c", "text": '\U0001f600 "Fine," she said. \u201cReally fine,\u201d Ana Ortiz added.'},
    ]
    p = tmp_path / "in.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    lines = cli("extract", "--format", "jsonl", p).splitlines()
    ours = [
        onrecord.extract_json(
            r["text"], id=r["id"], date=r.get("date"), title=r.get("title"),
            url=r.get("url"), outlet=r.get("outlet"),
        )
        for r in records
    ]
    # Byte for byte: the same JSON, key order and numbers included.
    assert ours == lines
    assert onrecord.extract_many(records) == [json.loads(x) for x in lines]


@pytest.mark.cli
def test_same_as_cli_on_files(fixtures, cli_jsonl):
    for path in sorted((fixtures / "texts").iterdir()) + [fixtures / "articles.jsonl"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", onrecord.InputWarning)
            ours = onrecord.extract_file(path)
        assert ours == cli_jsonl(path), path.name


# -------------------------------------------------------------------------------------
# Archives and pages (onrecord-input).


def test_warc_articles_with_their_text():
    from warcs import make_warc

    for data in (make_warc(), make_warc(gzipped=False)):
        out = onrecord.extract_bytes(data, "crawl.warc.gz", with_text=True)
        assert [r["url"] for r in out] == [
            "https://ledger.example/2024/05/16/bridge",
            "https://wire.example/news/ferry-expands",
        ]
        first = out[0]
        assert first["outlet"] == "Lakeport Ledger" and first["date"] == "2024-05-16"
        assert first["title"] == "Mayor Defends Harbor Bridge Plan"
        assert "Home" not in first["text"]  # navigation dropped
        assert {q["speaker"]["name"] for q in first["quotes"] if q["speaker"]} >= {
            "Elena Marsh", "Tomas Reyes"}
        for r in out:
            for s in spans(r):
                assert r["text"][s["start"] : s["end"]] == s["text"]


def test_iter_extract_bytes_streams_in_batches():
    from warcs import make_warc

    it = onrecord.iter_extract_bytes(make_warc(), "crawl.warc.gz", batch_size=1)
    first = next(it)
    assert first["url"].endswith("/bridge")
    assert [r["url"] for r in it] == ["https://wire.example/news/ferry-expands"]


def test_compressed_json_lines_and_directories(tmp_path):
    import gzip

    records = [{"id": f"r{i}", "text": MAYOR} for i in range(3)]
    (tmp_path / "feed.jsonl.gz").write_bytes(
        gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    (tmp_path / "story.txt").write_text(MAYOR, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an input", encoding="utf-8")
    out = onrecord.extract_file(tmp_path)
    assert [r["id"] for r in out] == ["r0", "r1", "r2", "story"]
    assert [r["id"] for r in onrecord.iter_extract_file(tmp_path / "feed.jsonl.gz", batch_size=2)] == [
        "r0", "r1", "r2"]


@pytest.mark.cli
def test_same_as_cli_on_a_directory(fixtures, cli_jsonl):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", onrecord.InputWarning)
        assert onrecord.extract_file(fixtures) == cli_jsonl(fixtures)


@pytest.mark.cli
def test_same_as_cli_on_a_warc(tmp_path, cli, cli_jsonl):
    from warcs import make_warc

    if "WARC" not in cli("extract", "--help"):
        pytest.skip("this onrecord CLI does not read WARC yet")
    p = tmp_path / "crawl.warc.gz"
    p.write_bytes(make_warc())
    assert onrecord.extract_file(p) == cli_jsonl(p)
