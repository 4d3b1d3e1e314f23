// Drives Debian's Chromium through the corpus page; run by scripts/browser-test.sh, which
// sets PLAYWRIGHT_CORE (the module's directory), CHROMIUM, ONRECORD_URL and ONRECORD_PROFILE.
"use strict";

const { chromium } = require(process.env.PLAYWRIGHT_CORE);
const path = require("path");
const fs = require("fs");

const base = process.env.ONRECORD_URL;
const shots = process.env.ONRECORD_SCREENSHOTS || "";
let passed = 0;
let failed = 0;

function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
  }
}

async function shot(page, name) {
  if (!shots) return;
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** Wait until the page shows the hits of a search for `q` (not the latest quotes). */
async function searchShown(page, q) {
  await page.waitForFunction(
    (q) =>
      document.querySelector("h1 .muted-query")?.textContent === q &&
      document.querySelectorAll("#results .hit").length > 0,
    q,
  );
}

async function main() {
  const context = await chromium.launchPersistentContext(process.env.ONRECORD_PROFILE, {
    executablePath: process.env.CHROMIUM,
    headless: true,
    // Chromium's own network traffic is refused on this machine's closed network.
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: 1200, height: 900 },
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  // Nothing may leave for another host.
  const foreign = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(base)) foreign.push(r.url());
  });

  try {
    await page.goto(base, { waitUntil: "load" });
    await page.waitForFunction(() => /\d+ articles/.test(document.getElementById("stats").textContent));
    check("the page loads with the corpus's counts", true);

    // Search.
    await page.fill("#q", "replacement");
    await page.click("form#search button");
    // the page lists the latest quotes before any search: wait for the search's own page
    await searchShown(page, "replacement");
    const hits = await page.$$eval("#results .hit", (els) => els.map((e) => e.textContent));
    check("a search lists hits", hits.length === 2, hits);
    check("hits show speaker, date and outlet",
      hits.every((h) => h.includes("Elena Marsh") && /2024-05-1[68]/.test(h) && /Ledger|Courier/.test(h)), hits);
    check("hits show how often a quote was reported", hits.some((h) => h.includes("reported 2×")), hits);
    await shot(page, "search");

    // Filters.
    await page.fill("#outlet", "Harbor Courier");
    await page.click("form#search button");
    await page.waitForFunction(() => document.querySelectorAll("#results .hit").length === 1);
    check("the outlet filter narrows the hits", true);
    await page.fill("#outlet", "");

    // An article with its quotes highlighted.
    await page.click("#results .hit a[href^='#/article/']");
    await page.waitForSelector("#article-text .q");
    const marks = await page.$$eval("#article-text span", (els) =>
      els.map((e) => ({ cls: e.className, text: e.textContent, bg: e.style.background })));
    const quotes = marks.filter((m) => m.cls.split(" ").includes("q"));
    check("the article's quote is highlighted",
      quotes.some((q) => q.text.includes("still waiting for a bridge")), marks);
    check("highlights have the speaker's colour", quotes.every((q) => /rgb|hsl/.test(q.bg)), quotes);
    check("the cue is marked", marks.some((m) => m.cls.includes("cue")), marks);
    check("the source is marked", marks.some((m) => m.cls.includes("src")), marks);
    const quoteSpan = await page.$("#article-text .q");
    await quoteSpan.hover();
    await page.waitForSelector("#tip:not([hidden])");
    const tip = await page.textContent("#tip");
    check("hovering a quote shows its details", tip.includes("Elena Marsh") && tip.includes("confidence"), tip);
    await shot(page, "article");

    // The speaker page with its timeline chart.
    await page.click(".legend a[href^='#/speaker/']");
    await page.waitForSelector("svg.chart rect.bar");
    const bars = await page.$$eval("svg.chart rect.bar", (els) => els.length);
    check("the speaker page draws a timeline", bars >= 2, bars);
    const heading = await page.textContent("h1");
    check("the speaker page names the speaker", heading.includes("Elena Marsh"), heading);
    await shot(page, "speaker");

    // The quote cluster: first seen first.
    await page.click("a[href^='#/cluster/']");
    await page.waitForSelector("table tbody tr");
    const rows = await page.$$eval("table tbody tr", (els) => els.map((e) => e.textContent));
    check("the cluster lists every report, first seen first",
      rows.length === 2 && rows[0].includes("2024-05-16") && rows[1].includes("2024-05-18"), rows);
    await shot(page, "cluster");

    // The hostile article: its markup shows as text, and none of its scripts run.
    await page.fill("#q", "promises");
    await page.click("form#search button");
    await searchShown(page, "promises");
    const hostileHit = await page.textContent("#results .hit");
    check("markup in a quote shows as text", hostileHit.includes("<script>"), hostileHit);
    await page.click("#results .hit a[href^='#/article/']");
    await page.waitForSelector("#article-text");
    await page.waitForTimeout(300);
    const text = await page.textContent("#article-text");
    const injected = await page.$$eval("#article-text script, #article-text img, #article-text b", (e) => e.length);
    const pwned = await page.evaluate(() => window.__pwned);
    check("article markup is text, not elements", text.includes("<img src=x") && injected === 0, { text, injected });
    check("no script from an article ran", pwned === undefined, pwned);
    await shot(page, "hostile");

    check("no request left for another host", foreign.length === 0, foreign);
    check("no script errors on the page", errors.length === 0, errors);
  } catch (e) {
    failed++;
    console.log(`FAIL ${e.stack || e}`);
    await shot(page, "failure").catch(() => {});
  } finally {
    await context.close();
  }
  console.log(`browser test: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.log(`FAIL ${e.stack || e}`);
  console.log(`browser test: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
