// onrecord's corpus page. Every piece of corpus text enters the document through text
// nodes (el() below), never as markup, so an article holding <script> shows it as text.
"use strict";

const view = document.getElementById("view");
const tip = document.getElementById("tip");
const form = document.getElementById("search");
const fields = ["q", "speaker", "outlet", "since", "until", "kind"];

// el("a", {href: "#/x", className: "y"}, "text", childNode, ...)
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "className") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

// A speaker's colour: a hue from its id, the same on every page.
function hue(id) {
  return (Math.imul(id, 2654435761) >>> 0) % 360;
}
function colour(speaker, light) {
  if (!speaker) return light ? "hsl(0, 0%, 88%)" : "hsl(0, 0%, 45%)";
  const h = hue(speaker.id);
  return light ? `hsl(${h}, 80%, 86%)` : `hsl(${h}, 65%, 35%)`;
}
function chip(speaker) {
  const c = el("span", { className: "chip", "aria-hidden": "true" });
  c.style.background = colour(speaker, false);
  return c;
}

async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

function show(...nodes) {
  hideTip();
  view.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
}
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
function fail(e) {
  show(el("p", { className: "error" }, "Error: ", e.message || String(e)));
}

function speakerLink(s) {
  if (!s) return el("span", { className: "muted" }, "unknown speaker");
  return el("a", { href: `#/speaker/${s.id}`, className: "speaker-link" }, chip(s), s.name);
}
function articleLink(id, title) {
  return el("a", { href: `#/article/${id}` }, title || "open article");
}
function externalLink(url) {
  // Only web addresses become links: a javascript: URL in an article stays text.
  if (!url || !/^https?:\/\//i.test(url)) return url ? el("span", {}, url) : null;
  return el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank" }, "source");
}

// ---- routing -------------------------------------------------------------------------

function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, qs] = hash.split("?");
  const params = new URLSearchParams(qs || "");
  const parts = path.split("/").filter(Boolean);
  const id = parts[1];
  if (parts.length === 0 || parts[0] === "search") return searchPage(params);
  if (parts[0] === "article" && id) return articlePage(id);
  if (parts[0] === "speaker" && id) return speakerPage(id);
  if (parts[0] === "speakers") return speakersPage();
  if (parts[0] === "quote" && id) return clusterPage(`/api/quotes/${encodeURIComponent(id)}`);
  if (parts[0] === "cluster" && id) return clusterPage(`/api/clusters/${encodeURIComponent(id)}`);
  show(el("p", { className: "empty" }, "No such page."));
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const params = new URLSearchParams();
  for (const f of fields) {
    const v = document.getElementById(f).value.trim();
    if (v) params.set(f, v);
  }
  const next = "#/search?" + params.toString();
  if (location.hash === next) route();
  else location.hash = next;
});

// ---- search --------------------------------------------------------------------------

async function searchPage(params) {
  for (const f of fields) document.getElementById(f).value = params.get(f) || "";
  const query = new URLSearchParams();
  for (const f of fields) if (params.get(f)) query.set(f, params.get(f));
  query.set("limit", "50");
  try {
    const { hits } = await api("/api/search?" + query.toString());
    const heading = params.get("q")
      ? el("h1", {}, "Quotes matching ", el("span", { className: "muted-query" }, params.get("q")))
      : el("h1", {}, "Latest quotes");
    if (hits.length === 0) return show(heading, el("p", { className: "empty" }, "No quotes match."));
    show(heading, el("div", { id: "results" }, hits.map(hitNode)));
  } catch (e) {
    fail(e);
  }
}

function hitNode(h) {
  const repeated =
    h.cluster_size > 1
      ? el("a", { href: `#/cluster/${h.cluster}`, className: "badge" }, `reported ${h.cluster_size}×`)
      : null;
  return el(
    "div",
    { className: "hit", dataset: { quote: h.quote } },
    el("blockquote", {}, `“${h.content}”`),
    el(
      "div",
      { className: "meta" },
      speakerLink(h.speaker),
      el("span", {}, h.date || "undated"),
      el("span", {}, h.outlet || "unknown outlet"),
      el("span", { className: "badge" }, h.kind),
      articleLink(h.article, h.title),
      repeated
    )
  );
}

// ---- article -------------------------------------------------------------------------

async function articlePage(id) {
  try {
    const a = await api(`/api/articles/${encodeURIComponent(id)}`);
    const speakers = new Map();
    for (const q of a.quotes) if (q.speaker) speakers.set(q.speaker.id, q.speaker);
    const legend = el(
      "div",
      { className: "legend" },
      [...speakers.values()].map((s) => el("span", { className: "key" }, speakerLink(s))),
      el("span", { className: "key muted" }, el("span", { className: "sample-cue" }, "cue"), " · ",
        el("span", { className: "sample-src" }, "source"), " · hover a quote for details")
    );
    show(
      el("h1", {}, a.title || a.doc_id),
      el("p", { className: "muted" }, [a.date || "undated", a.outlet || "unknown outlet",
        plural(a.quotes.length, "quote")].join(" · "), " ", externalLink(a.url)),
      legend,
      el("div", { className: "article-text", id: "article-text" }, highlighted(a))
    );
  } catch (e) {
    fail(e);
  }
}

// The article text as nodes, with each quote's content, cue and source marked. Offsets are
// code points, so the text is split into code points first.
function highlighted(a) {
  const chars = Array.from(a.text);
  const marks = [];
  for (const q of a.quotes) {
    marks.push({ s: q.content[0], e: q.content[1], type: "content", q });
    if (q.cue) marks.push({ s: q.cue[0], e: q.cue[1], type: "cue", q });
    if (q.source) marks.push({ s: q.source[0], e: q.source[1], type: "source", q });
  }
  const cuts = new Set([0, chars.length]);
  for (const m of marks) {
    m.s = Math.max(0, Math.min(chars.length, m.s));
    m.e = Math.max(m.s, Math.min(chars.length, m.e));
    cuts.add(m.s);
    cuts.add(m.e);
  }
  const points = [...cuts].sort((x, y) => x - y);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    const text = chars.slice(s, e).join("");
    const active = marks.filter((m) => m.s <= s && e <= m.e && m.s < m.e);
    if (active.length === 0) {
      out.push(document.createTextNode(text));
      continue;
    }
    // The innermost content decides the colour; cue and source keep their own quote's.
    const content = active
      .filter((m) => m.type === "content")
      .sort((x, y) => x.e - x.s - (y.e - y.s))[0];
    const own = content || active[0];
    const span = el("span", { dataset: { quote: own.q.id } }, text);
    const classes = [];
    if (content) {
      classes.push("q");
      span.style.background = colour(content.q.speaker, true);
    }
    for (const m of active) {
      if (m.type === "cue") {
        classes.push("cue");
        span.style.textDecorationColor = colour(m.q.speaker, false);
      }
      if (m.type === "source") {
        classes.push("src");
        span.style.outlineColor = colour(m.q.speaker, false);
      }
    }
    span.className = [...new Set(classes)].join(" ");
    span.dataset.kind = own.type;
    span.title = tipText(own.q);
    span.addEventListener("mouseenter", (ev) => showTip(ev, own.q));
    span.addEventListener("mousemove", moveTip);
    span.addEventListener("mouseleave", hideTip);
    if (content) {
      span.addEventListener("click", () => (location.hash = `#/cluster/${content.q.cluster}`));
    }
    out.push(span);
  }
  return out;
}

function tipText(q) {
  return [
    `${q.speaker ? q.speaker.name : "unknown speaker"} (${q.kind}, confidence ${q.confidence})`,
    q.cue_text ? `cue: ${q.cue_text}` : null,
    q.source_text ? `source: ${q.source_text}` : null,
    q.cluster_size > 1 ? `reported ${q.cluster_size} times` : null,
  ].filter(Boolean).join("\n");
}

function showTip(ev, q) {
  tip.replaceChildren(
    el("b", {}, q.speaker ? q.speaker.name : "unknown speaker"),
    el("div", {}, `${q.kind} quote · confidence ${q.confidence}`),
    q.cue_text ? el("div", {}, "cue: ", el("b", {}, q.cue_text)) : null,
    q.source_text ? el("div", {}, "source: ", el("b", {}, q.source_text)) : null,
    q.cluster_size > 1 ? el("div", {}, `reported ${q.cluster_size} times (click for all)`) : null
  );
  tip.hidden = false;
  moveTip(ev);
}
function moveTip(ev) {
  const x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
  const y = Math.min(ev.clientY + 16, window.innerHeight - tip.offsetHeight - 8);
  tip.style.left = `${Math.max(4, x)}px`;
  tip.style.top = `${Math.max(4, y)}px`;
}
function hideTip() {
  tip.hidden = true;
}

// ---- speakers ------------------------------------------------------------------------

async function speakersPage() {
  try {
    const { speakers } = await api("/api/speakers?top=200");
    show(
      el("h1", {}, "Most quoted"),
      el("table", {},
        el("thead", {}, el("tr", {}, ["Speaker", "Kind", "Quotes", "Articles", "First", "Last"].map((h) => el("th", {}, h)))),
        el("tbody", {}, speakers.map((s) =>
          el("tr", {},
            el("td", {}, speakerLink(s)),
            el("td", {}, s.kind),
            el("td", { className: "num" }, s.quotes),
            el("td", { className: "num" }, s.articles),
            el("td", {}, s.first || ""),
            el("td", {}, s.last || "")))))
    );
  } catch (e) {
    fail(e);
  }
}

async function speakerPage(id) {
  try {
    const d = await api(`/api/speakers/${encodeURIComponent(id)}`);
    const s = d.speaker;
    show(
      el("h1", {}, chip(s), s.name),
      el("p", { className: "muted" },
        `${s.kind} · ${plural(s.quotes, "quote")} in ${plural(s.articles, "article")}` +
          (s.first ? ` · ${s.first} to ${s.last}` : "")),
      d.names.length > 1 ? el("p", {}, "Also named: ", d.names.join("; ")) : null,
      el("h2", {}, "Statements per month"),
      timeline(d.months),
      el("h2", {}, "Statements, oldest first"),
      el("div", {}, d.timeline.map((t) =>
        el("div", { className: "hit" },
          el("blockquote", {}, `“${t.content}”`),
          el("div", { className: "meta" },
            el("span", {}, t.date || "undated"),
            el("span", {}, t.outlet || "unknown outlet"),
            el("span", { className: "badge" }, t.kind),
            t.as_named && t.as_named !== s.name ? el("span", {}, `as “${t.as_named}”`) : null,
            articleLink(t.article, t.title),
            el("a", { href: `#/cluster/${t.cluster}` }, "reports")))))
    );
  } catch (e) {
    fail(e);
  }
}

// Monthly counts as an inline SVG bar chart; months without statements are drawn empty.
function timeline(months) {
  if (months.length === 0) return el("p", { className: "empty" }, "No dated statements.");
  const all = [];
  const [y0, m0] = months[0][0].split("-").map(Number);
  const [y1, m1] = months[months.length - 1][0].split("-").map(Number);
  const counts = new Map(months);
  for (let y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? (y++, m = 1) : m++) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    all.push([key, counts.get(key) || 0]);
    if (all.length > 600) break;
  }
  const W = 960, H = 180, pad = 28;
  const max = Math.max(...all.map((m) => m[1]), 1);
  const bw = (W - pad * 2) / all.length;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img",
    "aria-label": "statements per month" });
  all.forEach(([key, n], i) => {
    const h = ((H - pad * 2) * n) / max;
    const bar = svg("rect", { class: "bar", x: pad + i * bw + 1, y: H - pad - h,
      width: Math.max(1, bw - 2), height: h });
    bar.append(svg("title", {}, `${key}: ${n}`));
    chart.append(bar);
  });
  const step = Math.max(1, Math.ceil(all.length / 12));
  all.forEach(([key], i) => {
    if (i % step === 0) chart.append(svg("text", { x: pad + i * bw, y: H - 8 }, key));
  });
  chart.append(svg("text", { x: 2, y: pad }, String(max)));
  return chart;
}

// ---- clusters ------------------------------------------------------------------------

async function clusterPage(path) {
  try {
    const c = await api(path);
    const first = c.first_seen;
    show(
      el("h1", {}, `“${c.text}”`),
      el("p", { className: "muted" },
        `Reported ${c.size} time${c.size === 1 ? "" : "s"}` +
          (c.outlets.length ? ` by ${c.outlets.join(", ")}` : "")),
      first
        ? el("p", {}, "First seen ", el("b", {}, first.date || "undated"), " in ",
            el("b", {}, first.outlet || "an unknown outlet"), ": ", articleLink(first.article, first.title))
        : null,
      c.speakers.length > 1 ? el("p", { className: "error" }, "Attributed to more than one speaker.") : null,
      el("table", {},
        el("thead", {}, el("tr", {}, ["Date", "Outlet", "Speaker", "As reported", "Article"].map((h) => el("th", {}, h)))),
        el("tbody", {}, c.occurrences.map((o, i) =>
          el("tr", { className: i === 0 ? "first" : "" },
            el("td", {}, o.date || "undated"),
            el("td", {}, o.outlet || ""),
            el("td", {}, speakerLink(o.speaker)),
            el("td", {}, `“${o.content}”`),
            el("td", {}, articleLink(o.article, o.title))))))
    );
  } catch (e) {
    fail(e);
  }
}

// ---- start ---------------------------------------------------------------------------

async function start() {
  try {
    const s = await api("/api/stats");
    document.getElementById("stats").textContent =
      `${s.articles} articles · ${s.quotes} quotes · ${s.speakers} speakers`;
    document.getElementById("outlets").replaceChildren(...s.outlets.map((o) => el("option", { value: o })));
  } catch (e) {
    document.getElementById("stats").textContent = "corpus unavailable";
  }
  route();
}

window.addEventListener("hashchange", route);
start();
