// "Ask about this" in a real browser: Debian's chromium driven by playwright-core.
// With JavaScript on, a person on a phone asks about a listing: what leaves the
// page is only the sealed box (the request's body is checked), a mistake is said
// before anything is sent. With JavaScript off, the same by keyboard alone: the
// form posts its fields and the relay's error page names what is wrong. Every page
// is checked by axe-core and at 320 px; a safe-house page is left with "Exit this
// page" and with Shift pressed three times.
//
//   node tests/browser/ask.mjs BOARD_URL LISTING_PATH SAFEHOUSE_PATH OUT_DIR
//
// Prints one JSON line: {"js": REFERENCE, "nojs": REFERENCE, ...}; exits 1 on a
// failure.

import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync } from "node:fs";

const [board, listing, safehouse, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const failures = [];
const report = { pages: 0, axe_runs: 0, js: null, nojs: null, exits: 0 };
const fail = (what) => failures.push(what);
const started = Date.now();
const step = (what) => process.stderr.write(`${Date.now() - started} ms: ${what}\n`);

setTimeout(() => {
  console.log(JSON.stringify({ ...report, failures: [...failures, "timed out after 240 s"] }));
  process.exit(1);
}, 240000).unref();

const browser = await chromium.launch({
  executablePath: process.env.KITH_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});

async function check(page, name) {
  report.pages += 1;
  step(`axe ${name}`);
  const result = await new AxeBuilder({ page }).analyze();
  report.axe_runs += 1;
  for (const v of result.violations) {
    fail(`${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  }
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 700 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  if (overflow) { fail(`${name}: scrolls sideways at 320 px`); }
  await page.screenshot({ path: `${out}/ask-${name}-320.png`, fullPage: true });
  await page.setViewportSize(size);
}

function referenceOn(text) {
  const m = text.match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}/);
  return m ? m[0] : null;
}

// In Welsh, the script says the mistake in Welsh (its words come from the page), and
// in Urdu the form reads right to left, axe clean; nothing is posted.
for (const [lang, expected] of [["cy", /enw/], ["ur", /نام/]]) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: lang });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const posted = [];
  page.on("request", (r) => { if (r.method() === "POST") { posted.push(r.postData() || ""); } });
  await page.goto(board + listing);
  await check(page, `listing-${lang}`);
  await page.fill("#ask-name", "");
  await page.check("#ask-consent-box");
  await page.click("form.ask-form button[type=submit]");
  await page.waitForSelector(".seal-error:not([hidden])");
  const said = await page.textContent(".seal-error");
  if (!expected.test(said) || /name/.test(said)) { fail(`${lang}: the mistake is not said in the page's language: ${said}`); }
  if (posted.length) { fail(`${lang}: a form with a mistake was posted`); }
  await check(page, `mistake-${lang}`);
  await context.close();
}

// JavaScript on, on a phone.
{
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const posted = [];
  page.on("request", (r) => { if (r.method() === "POST") { posted.push(r.postData() || ""); } });
  page.on("console", (m) => { if (m.type() === "error") { fail(`console error (js on): ${m.text()}`); } });
  await page.goto(board + listing);
  await check(page, "listing-js");
  // A mistake: said on the page, nothing sent.
  await page.fill("#ask-name", "");
  await page.check("#ask-consent-box");
  await page.click("form.ask-form button[type=submit]");
  await page.waitForSelector(".seal-error:not([hidden])");
  const said = await page.textContent(".seal-error");
  if (!/name/.test(said)) { fail(`js on: the mistake is not said: ${said}`); }
  if (posted.length) { fail("js on: a form with a mistake was posted"); }
  await check(page, "mistake-js");
  await page.fill("#ask-name", "Canary Jsperson");
  await page.check("#ask-how-text");
  await page.fill("#ask-reach", "07700 900456");
  await page.fill("#ask-when", "after six");
  await page.fill("#ask-words", "canaryjs-3301 do you need a van driver");
  await page.click("form.ask-form button[type=submit]");
  await page.waitForSelector("div.panel");
  await page.waitForLoadState("load");
  const body = posted.join("\n");
  if (posted.length !== 1) { fail(`js on: ${posted.length} posts, not 1`); }
  if (!/^sealed=[A-Za-z0-9%+/=]{60,}&website=$/.test(body)) { fail(`js on: the post is not only the sealed box: ${body.slice(0, 200)}`); }
  if (/Canary|canaryjs|07700/.test(decodeURIComponent(body))) { fail("js on: plain text left the page"); }
  const text = await page.textContent("main");
  report.js = referenceOn(text);
  if (!report.js || !/Sent to/.test(text)) { fail(`js on: no reference on the page: ${text}`); }
  await check(page, "sent-js");
  await page.goto(`${board}/ask/${report.js}`);
  await check(page, "status-js");
  await context.close();
}

// JavaScript off, keyboard only. "Off" is the board without its scripts: axe needs
// a script engine, so the page's own scripts are refused rather than the engine
// turned off.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/assets/board.js", (route) => route.abort());
  await context.route("**/assets/vendor/*.js", (route) => route.abort());
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await page.goto(board + listing);
  // Tab to the name field.
  let found = false;
  for (let i = 0; i < 80 && !found; i += 1) {
    await page.keyboard.press("Tab");
    found = await page.evaluate(() => document.activeElement && document.activeElement.id === "ask-name");
  }
  if (!found) { fail("js off: the form cannot be reached by Tab"); }
  // A mistake first: no consent.
  await page.keyboard.type("Canary Keyboard");
  await page.keyboard.press("Tab"); // the chosen way: phone
  await page.keyboard.press("Tab");
  await page.keyboard.type("07700 900789");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.type("canarykb-4402 hello");
  await page.keyboard.press("Tab"); // consent, left unticked
  await page.keyboard.press("Tab"); // the trap is skipped: Send
  const onSend = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
  if (onSend !== "Send") { fail(`js off: after the consent box, Tab reaches ${onSend}, not Send`); }
  await Promise.all([page.waitForLoadState("load"), page.keyboard.press("Enter")]);
  await page.waitForSelector(".error-summary");
  const summary = await page.textContent(".error-summary");
  if (!/Tick the box/.test(summary)) { fail(`js off: the error summary says ${summary}`); }
  await check(page, "mistake-nojs");
  // The fields kept what was typed; tick consent and send, by keyboard.
  await page.focus("#ask-consent-box");
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  const again = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
  if (again !== "Send") { fail(`js off: after the consent box, Tab reaches ${again}, not Send`); }
  // The page with the mistake has the form's address too: wait for the Sent panel.
  await page.keyboard.press("Enter");
  await page.waitForSelector("div.panel");
  await page.waitForLoadState("load");
  const text = await page.textContent("main");
  report.nojs = referenceOn(text);
  if (!report.nojs) { fail(`js off: no reference: ${text}`); }
  await check(page, "sent-nojs");
  await context.close();
}

// A safe house: 999 first, and leaving at once, by the link and by Shift × 3.
for (const how of ["link", "shift"]) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  context.setDefaultTimeout(15000);
  await context.route("https://www.bbc.co.uk/**", (route) => route.fulfill({ contentType: "text/html", body: "<title>Weather</title>" }));
  const page = await context.newPage();
  await page.goto(board + safehouse);
  if (how === "link") {
    const first = await page.textContent("main");
    if (!/^\s*Exit this page\s*If you are in danger now, call 999/.test(first)) { fail(`safe house: 999 is not first: ${first.slice(0, 120)}`); }
    await check(page, "safehouse");
    const before = await page.evaluate(() => window.history.length);
    await Promise.all([page.waitForURL(/bbc\.co\.uk/), page.click("a.exit")]);
    const after = await page.evaluate(() => window.history.length);
    if (after > before) { fail(`safe house: the page stays in the history (${before} → ${after} entries)`); }
  } else {
    await page.keyboard.press("Shift");
    await page.keyboard.press("Shift");
    await Promise.all([page.waitForURL(/bbc\.co\.uk/), page.keyboard.press("Shift")]);
  }
  report.exits += 1;
  await context.close();
}

await browser.close();
console.log(JSON.stringify({ ...report, failures }));
process.exit(failures.length ? 1 : 0);
