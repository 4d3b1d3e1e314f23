#!/usr/bin/env python3
"""Synthetic news articles for onrecord's stress and scaling checks.

Everything here is generated from a seed and from the small word lists below (written for
this file; no text is taken from any corpus). The articles look like news prose to the
extractor: a title, paragraphs, direct quotes with curly and straight marks, "X said" /
"according to X" attributions, dates, some non-ASCII punctuation and names.

Kinds (see KINDS):
  article     normal paragraphs separated by blank lines (the 10 MB "huge article")
  line        one single line: no newline at all (the 1 MB "single line")
  unbalanced  paragraphs full of opening quotation marks that are never closed
  nopunct     words only: no punctuation, no newline, so one giant "sentence"
  nested      quotes inside quotes inside quotes, many levels, in long paragraphs

Usage:
  python3 bench/synth.py --out DIR                       # the default stress set
  python3 bench/synth.py --kind article --size 10M --seed 7 > big.txt
Standard library only (Python 3.11).
"""
import argparse
import os
import random
import sys

FIRST = ["Maria", "John", "Aisha", "Tomás", "Wei", "Olga", "Kwame", "Hannah", "Rafael",
         "Priya", "Dmitri", "Chloé", "Samuel", "Ingrid", "Omar", "Lucía", "Patrick", "Yuki"]
LAST = ["Okafor", "Lindqvist", "Barros", "Hartley", "Nakamura", "Petrenko", "Delacroix",
        "Mensah", "Castellano", "Whitfield", "Rahman", "Kowalski", "Brennan", "Søndergaard"]
TITLES = ["Sen.", "Gov.", "Mayor", "Rep.", "Dr.", "the minister", "the spokeswoman for",
          "a senior adviser to", "the chairman of"]
ORGS = ["the Harbor Council", "the State Transit Authority", "Northfield University",
        "the Ministry of Water", "the Coastal Fisheries Board", "Greenway Energy Corp.",
        "the Union of Rail Workers", "the City Housing Office", "the Regional Court"]
PLACES = ["Lakeport", "Eastbrook", "New Carden", "São Vicente", "Millhaven", "Riverton",
          "Kingsbridge", "Zürich", "Port Alder"]
VERBS = ["said", "told reporters", "added", "argued", "warned", "insisted", "explained",
         "noted", "claimed", "wrote in a statement", "said on Twitter", "announced"]
NOUNS = ["budget", "bridge", "water supply", "ferry service", "tax plan", "school board",
         "contract", "pension fund", "harbor expansion", "election", "audit", "rail line",
         "housing program", "wind farm", "hospital wing", "zoning rule", "fishing quota"]
ADJS = ["new", "delayed", "controversial", "costly", "popular", "temporary", "regional",
        "long-awaited", "unexpected", "modest", "ambitious", "final"]
ACTS = ["approved", "rejected", "postponed", "questioned", "defended", "criticized",
        "announced", "reviewed", "funded", "cancelled", "expanded", "investigated"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "last week", "yesterday", "this morning", "next month", "earlier this year"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
CLAIMS = [
    "we will not sign a {adj} {noun} without a public vote",
    "the {noun} was {act} because nobody read the numbers",
    "this {noun} is the most {adj} thing the council has done in years",
    "people in {place} deserve a straight answer about the {noun}",
    "I have never seen a {noun} handled this badly",
    "our office {act} the {noun} after months of talks",
    "the numbers simply do not add up, and everyone knows it",
    "it’s too early to say whether the {noun} will survive",
    "we are going to fight this {noun} in court if we have to",
    "nobody — not even {org} — expected the {noun} to be {act}",
]


def cap(s):
    return s[:1].upper() + s[1:]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, xs):
        return xs[self.r.randrange(len(xs))]

    def person(self):
        return "%s %s" % (self.pick(FIRST), self.pick(LAST))

    def speaker(self):
        k = self.r.randrange(5)
        if k == 0:
            return "%s %s" % (self.pick(TITLES), self.person())
        if k == 1:
            return self.pick(ORGS)
        if k == 2:
            return "he" if self.r.random() < 0.5 else "she"
        return self.person()

    def date(self):
        if self.r.random() < 0.5:
            return "on " + self.pick(DAYS)
        return "on %s %d, %d" % (self.pick(MONTHS), self.r.randint(1, 28), self.r.randint(2014, 2024))

    def claim(self):
        c = self.pick(CLAIMS).format(adj=self.pick(ADJS), noun=self.pick(NOUNS),
                                     act=self.pick(ACTS), place=self.pick(PLACES),
                                     org=self.pick(ORGS))
        return c[0].upper() + c[1:]

    def sentence(self, marks=("“", "”")):
        o, c = marks
        k = self.r.randrange(8)
        if k == 0:
            return "%s%s,%s %s %s %s." % (o, self.claim(), c, self.speaker(), self.pick(VERBS), self.date())
        if k == 1:
            return "%s %s: %s%s.%s" % (cap(self.speaker()), self.pick(VERBS), o, self.claim(), c)
        if k == 2:
            return "According to %s, the %s %s was %s %s." % (
                self.pick(ORGS), self.pick(ADJS), self.pick(NOUNS), self.pick(ACTS), self.date())
        if k == 3:
            return "%s %s that the %s would be %s." % (
                self.person(), self.pick(VERBS), self.pick(NOUNS), self.pick(ACTS))
        if k == 4:
            return "%s%s,%s %s %s. %s%s.%s" % (o, self.claim(), c, self.person(), self.pick(VERBS),
                                                o, self.claim(), c)
        if k == 5:
            return "The %s in %s was %s %s after a %s review." % (
                self.pick(NOUNS), self.pick(PLACES), self.pick(ACTS), self.date(), self.pick(ADJS))
        if k == 6:
            return "%s called the plan %s%s%s and said it was %s." % (
                self.person(), o, self.pick(ADJS), c, self.pick(ACTS))
        return "Officials in %s %s the %s %s, %s." % (
            self.pick(PLACES), self.pick(ACTS), self.pick(NOUNS), self.date(), self.pick(["again", "quietly", "at last", "for now"]))

    def marks(self):
        return ("“", "”") if self.r.random() < 0.7 else ('"', '"')

    def paragraph(self, n=None):
        n = n or self.r.randint(1, 5)
        return " ".join(self.sentence(self.marks()) for _ in range(n))

    def title(self):
        return "%s %s %s %s" % (self.pick(PLACES), self.pick(["Council", "Court", "Board", "Voters"]),
                                self.pick(ACTS).capitalize(), "%s %s" % (self.pick(ADJS).capitalize(), self.pick(NOUNS).title()))


def _fill(size, head, piece, sep):
    """Join head + pieces with sep until `size` UTF-8 bytes are reached (cut on a char)."""
    parts, n = [head], len(head.encode())
    while n < size:
        p = piece()
        parts.append(p)
        n += len(p.encode()) + len(sep.encode())
    data = sep.join(parts).encode()[:size]
    # never end on a partial character
    return data.decode("utf-8", errors="ignore")


def article(size, seed):
    g = Gen(seed)
    return _fill(size - 1, g.title(), g.paragraph, "\n\n") + "\n"


def line(size, seed):
    g = Gen(seed)
    return _fill(size, g.title() + ".", g.paragraph, " ")


def unbalanced(size, seed):
    g = Gen(seed)

    def para():
        # opening marks only: each sentence opens a quote that is never closed
        return " ".join("%s%s, %s %s." % (g.pick(["“", '"', "‘"]), g.claim(), g.speaker(), g.pick(VERBS))
                        for _ in range(g.r.randint(2, 8)))
    return _fill(size - 1, g.title(), para, "\n\n") + "\n"


def nopunct(size, seed):
    g = Gen(seed)
    words = FIRST + LAST + NOUNS + ADJS + ACTS + VERBS + PLACES

    def chunk():
        return " ".join(g.pick(words).lower() for _ in range(50))
    return _fill(size, "", chunk, " ")


def nested(size, seed):
    g = Gen(seed)

    def para():
        depth = g.r.randint(3, 12)
        marks = [("“", "”"), ("‘", "’")]
        s = g.claim()
        for d in range(depth):
            o, c = marks[d % 2]
            s = "%s said %s%s %s%s" % (cap(g.speaker()), o, g.claim(), s, c)
        return s + "."
    return _fill(size - 1, g.title(), para, "\n\n") + "\n"


KINDS = {"article": article, "line": line, "unbalanced": unbalanced, "nopunct": nopunct, "nested": nested}

# The stress set: (file name, kind, bytes). Pairs of sizes of one kind give the scaling check.
STRESS_SET = [
    ("article_1M.txt", "article", 1_000_000),
    ("article_10M.txt", "article", 10_000_000),
    ("line_100k.txt", "line", 100_000),
    ("line_1M.txt", "line", 1_000_000),
    ("unbalanced_100k.txt", "unbalanced", 100_000),
    ("unbalanced_1M.txt", "unbalanced", 1_000_000),
    ("nopunct_100k.txt", "nopunct", 100_000),
    ("nopunct_1M.txt", "nopunct", 1_000_000),
    ("nested_100k.txt", "nested", 100_000),
    ("nested_1M.txt", "nested", 1_000_000),
]


def parse_size(s):
    s = s.strip().upper()
    mult = {"K": 10**3, "M": 10**6, "G": 10**9}.get(s[-1:], 1)
    return int(float(s[:-1] if s[-1:] in "KMG" else s) * mult)


def write_stress_set(out_dir, seed=1):
    """Write STRESS_SET into out_dir; return [(path, kind, bytes)]. Files already there with
    the right size are kept (the generator is deterministic for a seed)."""
    os.makedirs(out_dir, exist_ok=True)
    stamp = os.path.join(out_dir, ".seed")
    same_seed = os.path.exists(stamp) and open(stamp).read().strip() == str(seed)
    out = []
    for i, (name, kind, size) in enumerate(STRESS_SET):
        path = os.path.join(out_dir, name)
        if not (same_seed and os.path.exists(path) and abs(os.path.getsize(path) - size) < 8):
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(KINDS[kind](size, seed * 1000 + i))
        out.append((path, kind, os.path.getsize(path)))
    with open(stamp, "w") as f:
        f.write(str(seed))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="write the whole stress set into this directory")
    ap.add_argument("--kind", choices=sorted(KINDS), help="write one text of this kind to stdout")
    ap.add_argument("--size", default="1M", help="bytes for --kind (suffix K, M, G = 10^3, 10^6, 10^9)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.out:
        for path, kind, n in write_stress_set(a.out, a.seed):
            print("%-10s %12d  %s" % (kind, n, path))
    elif a.kind:
        sys.stdout.buffer.write(KINDS[a.kind](parse_size(a.size), a.seed).encode())
    else:
        ap.error("give --out DIR or --kind KIND")


if __name__ == "__main__":
    main()
