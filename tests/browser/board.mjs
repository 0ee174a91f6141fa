// The board in a real browser: Debian's chromium driven by playwright-core, every
// page checked by axe-core with JavaScript on and off, the main pages photographed
// at 1280 and 320 px (in English, Welsh and Urdu), and what people do tried by
// keyboard alone.
//
//   node tests/browser/board.mjs BASE_URL OUT_DIR
//
// KITH_CHANGE_CMD (a JSON array: a command and its arguments) reports a safe house's
// availability as 3 beds free; the test then expects an open /safe-houses page to
// show it within 2 s without a reload. Prints one JSON line; exits 1 on a failure.

import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const [base, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const failures = [];
const report = { pages: 0, axe_runs: 0, screenshots: 0, live_ms: null };
const fail = (what) => failures.push(what);
const started = Date.now();
const step = (what) => process.stderr.write(`${Date.now() - started} ms: ${what}\n`);

const browser = await chromium.launch({
  executablePath: process.env.KITH_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});

async function axe(page, what) {
  step(`axe ${what}`);
  const result = await new AxeBuilder({ page }).analyze();
  report.axe_runs += 1;
  for (const v of result.violations) {
    fail(`${what}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  }
}

const pages = [
  ["search", "/search?q=garden&area=LS"],
  ["home", "/"],
  ["safe-houses", "/safe-houses"],
  ["hubs", "/hubs"],
  ["helpline", "/helpline?area=Leeds&want=safe"],
  ["helpline-nearest", "/helpline?area=Bradford&want=safe&for=trans-nonbinary"],
  ["screen", "/screen?area=Leeds&slide=0"],
  ["directory", "/directory"],
  ["nothing-found", "/search?q=hydrotherapy&area=LS6"],
  ["needs", "/needs"],
];

// Never hang a test run: five minutes is many times what this takes on a loaded machine.
setTimeout(() => {
  console.log(JSON.stringify({ ...report, failures: [...failures, "timed out after 300 s"] }));
  process.exit(1);
}, 300000).unref();

for (const js of [true, false]) {
  // "JavaScript off" is the board without its script: axe itself needs a script
  // engine, so the page's own script is refused rather than the engine turned off.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (!js) { await context.route("**/assets/board.js", (route) => route.abort()); }
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) { external.push(r.url()); } });
  page.on("console", (m) => {
    // The refused script of the "off" run is the point of it, not an error.
    if (m.type() === "error" && js) { fail(`console error: ${m.text()}`); }
  });
  for (const [name, path] of pages) {
    step(`${path} (js ${js})`);
    const response = await page.goto(base + path);
    report.pages += 1;
    if (!response || response.status() !== 200) { fail(`${path}: status ${response && response.status()}`); }
    await axe(page, `${path} (js ${js ? "on" : "off"})`);
    if (js) {
      await page.screenshot({ path: `${out}/${name}-1280.png`, fullPage: true });
      await page.setViewportSize({ width: 320, height: 800 });
      await page.screenshot({ path: `${out}/${name}-320.png`, fullPage: true });
      report.screenshots += 2;
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      if (overflow) { fail(`${path}: scrolls sideways at 320 px`); }
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  }
  // A listing page, reached from the search.
  await page.goto(base + "/search?q=garden");
  const first = page.locator("ol.results h3 a").first();
  await first.click();
  await axe(page, `a listing page (js ${js ? "on" : "off"})`);
  if (!(await page.locator("h1").textContent())) { fail("the listing page has no heading"); }
  if (external.length) { fail(`requests to elsewhere: ${external.join(", ")}`); }
  await context.close();
}

// In Welsh and in Urdu (right to left), chosen by the browser's language: every
// page axe clean, photographed at 1280 and 320 px, no sideways scrolling, <html>'s
// lang and dir right; then the language switch keeps what was searched.
for (const [lang, dir] of [["cy", "ltr"], ["ur", "rtl"]]) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") { fail(`${lang}: console error: ${m.text()}`); } });
  const visit = async (name, what) => {
    await axe(page, `${what} (${lang})`);
    const html = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
    if (html[0] !== lang || html[1] !== dir) { fail(`${what} (${lang}): <html lang="${html[0]}" dir="${html[1]}">`); }
    await page.screenshot({ path: `${out}/${name}-${lang}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    await page.screenshot({ path: `${out}/${name}-${lang}-320.png`, fullPage: true });
    report.screenshots += 2;
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (overflow) { fail(`${what} (${lang}): scrolls sideways at 320 px`); }
    await page.setViewportSize({ width: 1280, height: 900 });
  };
  for (const [name, path] of pages) {
    step(`${path} (${lang})`);
    const response = await page.goto(base + path);
    report.pages += 1;
    if (!response || response.status() !== 200) { fail(`${path} (${lang}): status ${response && response.status()}`); }
    await visit(name, path);
  }
  await page.goto(base + "/search?q=garden");
  await page.locator("ol.results h3 a").first().click();
  await visit("listing", "a listing page");
  await page.goto(base + "/safe-houses");
  await page.locator("table a").first().click();
  await visit("safe-house", "a safe house's page");
  await context.close();
}
{
  step("the language switch");
  const page = await browser.newPage();
  await page.goto(base + "/search?q=garden&area=LS");
  await Promise.all([page.waitForURL("**lang=cy**"), page.locator("[data-lang-switch] a[data-lang=cy]").click()]);
  if (!page.url().includes("q=garden") || !page.url().includes("area=LS")) { fail(`the switch to Welsh lost the search: ${page.url()}`); }
  if ((await page.inputValue("#q")) !== "garden") { fail("the switch to Welsh lost what was typed"); }
  if ((await page.evaluate(() => document.documentElement.lang)) !== "cy") { fail("the switch did not lead to Welsh"); }
  // The chosen language stays as the person goes on.
  await Promise.all([page.waitForURL("**/safe-houses**"), page.locator("header nav a[href^='/safe-houses']").click()]);
  if ((await page.evaluate(() => document.documentElement.lang)) !== "cy") { fail(`Welsh was not kept on ${page.url()}`); }
  await page.close();
}

// By keyboard alone: the skip link first, then the search, then a filter.
{
  const page = await browser.newPage();
  await page.goto(base + "/");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement.textContent.trim());
  if (first !== "Skip to main content") { fail(`the first Tab lands on ${JSON.stringify(first)}, not the skip link`); }
  await page.keyboard.press("Enter");
  // Tab through the navigation to the search box, and type.
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== "q" && guard++ < 20) { await page.keyboard.press("Tab"); }
  await page.keyboard.type("garden");
  // Pressing Enter submits the form: wait for the page it leads to, not the old one.
  await Promise.all([page.waitForURL("**/search?**q=garden**"), page.keyboard.press("Enter")]);
  if (!(await page.content()).includes("Market garden assistant")) { fail("searching by keyboard for garden did not find the market garden job"); }
  // "Paid work" by keyboard narrows all the work listed: Space on the checkbox, then submit.
  const work = () => page.locator("h2#work").locator("xpath=following-sibling::ol[1]/li").count();
  await page.goto(base + "/search?what=work");
  const all = await work();
  await page.focus("input[name=paid]");
  await page.keyboard.press("Space");
  await page.focus("button[type=submit]");
  // (The script has already put the narrowed results in place as the box was
  // ticked; Enter then loads the same search as a page.)
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  if (!page.url().includes("paid=1")) { fail(`submitting the paid filter led to ${page.url()}`); }
  const paid = await work();
  if (!(paid < all && paid > 0)) { fail(`the paid filter did not narrow the work listed (${all} → ${paid})`); }
  if ((await page.content()).includes("Allotment volunteer")) { fail("an unpaid opportunity survived the paid filter"); }
  // The helpline answers a realistic call: where, what, submit.
  await page.goto(base + "/helpline");
  await page.focus("#area");
  await page.keyboard.type("Leeds");
  await page.focus("input[name=want][value=safe]");
  await page.keyboard.press("Space");
  await page.focus("button[type=submit]");
  await Promise.all([page.waitForURL("**want=safe**"), page.keyboard.press("Enter")]);
  const answer = await page.locator("ol.answer li").first().textContent().catch(() => "");
  if (!/\d{4} \d{3} \d{4}/.test(answer || "")) { fail(`the helpline's first line has no phone number first: ${JSON.stringify(answer)}`); }
  // A caller in Bradford needs a safe place tonight for a trans person: nothing is
  // in Bradford, so the nearest is read out, with how far it is — never "nothing found".
  await page.goto(base + "/helpline");
  await page.focus("#area");
  await page.keyboard.type("Bradford");
  await page.focus("input[name=want][value=safe]");
  await page.keyboard.press("Space");
  await page.selectOption("#for", "trans-nonbinary");
  await page.focus("button[type=submit]");
  await Promise.all([page.waitForURL("**area=Bradford**"), page.keyboard.press("Enter")]);
  const heading = (await page.locator("main h2").first().textContent().catch(() => "")) || "";
  if (heading.trim() !== "Nothing in Bradford; nearest:") { fail(`the helpline for Bradford says ${JSON.stringify(heading)}, not "Nothing in Bradford; nearest:"`); }
  const nearest = (await page.locator("ol.answer li").first().textContent().catch(() => "")) || "";
  if (!/^\d{4} \d{3} \d{4} — Rainbow House \(Leeds, \d+ km away\)/.test(nearest.trim())) {
    fail(`the helpline for Bradford does not read out the Leeds house first, number first, with its distance: ${JSON.stringify(nearest)}`);
  }
  if ((await page.content()).includes("Nothing found")) { fail("the helpline says nothing found while the Leeds house is open"); }
  await page.close();
}

// Search as you type: the results follow the words typed, with no submit, and the
// address bar follows the results.
{
  step("search as you type");
  const page = await browser.newPage();
  await page.goto(base + "/search");
  const started = Date.now();
  await page.locator("#q").pressSequentially("allotm", { delay: 40 });
  // The results of every letter typed, not those of "allo" that came first (they
  // narrow alike): the address bar follows the last search shown.
  await page.waitForFunction(() => {
    const r = document.querySelector("[data-results]");
    return r && r.textContent.includes("Allotment volunteer") && !r.textContent.includes("Market garden assistant")
      && location.search.includes("q=allotm");
  }, null, { timeout: 5000 }).catch(() => fail("typing allotm did not narrow the results to the allotment volunteer, with the address following"));
  report.search_as_you_type_ms = Date.now() - started;
  if (!page.url().includes("q=allotm")) { fail(`the address bar did not follow the search: ${page.url()}`); }
  const said = await page.locator("#results-status").textContent();
  if (!/^\d+ results?$/.test(said || "")) { fail(`the number found is not said to screen readers: ${JSON.stringify(said)}`); }
  if ((await page.evaluate(() => document.activeElement.id)) !== "q") { fail("focus left the search box while typing"); }
  // The language switch follows the results too: Welsh keeps what was typed.
  const welsh = await page.getAttribute("[data-lang-switch] a[data-lang=cy]", "href");
  if (!welsh || !welsh.includes("q=allotm") || !welsh.includes("lang=cy")) { fail(`the switch to Welsh does not keep the search typed: ${welsh}`); }
  await page.close();
}

// Live: an open page shows a reported change within 2 s, without a reload.
if (process.env.KITH_CHANGE_CMD) {
  const page = await browser.newPage();
  await page.goto(base + "/safe-houses");
  await page.waitForTimeout(300);
  const [cmd, ...args] = JSON.parse(process.env.KITH_CHANGE_CMD);
  const started = Date.now();
  execFileSync(cmd, args, { stdio: "ignore" });
  try {
    await page.waitForFunction(() => document.querySelector("[data-live]").textContent.includes("3 free"), null, { timeout: 2000 });
    report.live_ms = Date.now() - started;
  } catch {
    fail("the change did not reach the open page within 2 s");
  }
  if ((await page.content()).includes("Unknown") === false) { fail("the stale house is not shown as unknown"); }
  await page.close();
}

await browser.close();
console.log(JSON.stringify({ ...report, failures }));
process.exit(failures.length ? 1 : 0);
