// The desk in a real browser: Debian's chromium driven by playwright-core. A worker
// on a phone signs in and updates a house's beds in three taps; every page, error
// states included, is checked by axe-core, and at 320 px for sideways scrolling; a
// worker's whole bed update is done again by keyboard alone with JavaScript off
// (the desk serves no script: every page is a plain form). In Welsh and Urdu too:
// axe, 320 px and screenshots (desk-<page>-cy-320.png, desk-<page>-ur-1280.png…).
//
//   node tests/browser/desk.mjs DESK_URL BOARD_URL OUT_DIR
//
// KITH_DESK_WORKER and KITH_DESK_COORDINATOR are "name:password"; KITH_REFERRALS
// two referral ids waiting in the inbox: the first is accepted, the second declined.
// Then what must be refused: a form from another site, a cookie after sign-out, a
// listing's script, a password guessed past the limit. Prints one JSON
// line; exits 1 on a failure.

import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync } from "node:fs";

const [desk, board, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const [worker, workerPassword] = process.env.KITH_DESK_WORKER.split(":");
const [coordinator, coordinatorPassword] = process.env.KITH_DESK_COORDINATOR.split(":");
const failures = [];
const report = { pages: 0, axe_runs: 0, screenshots: 0, taps_to_beds: null, board_ms: null };
const fail = (what) => failures.push(what);
const started = Date.now();
const step = (what) => process.stderr.write(`${Date.now() - started} ms: ${what}\n`);

setTimeout(() => {
  console.log(JSON.stringify({ ...report, failures: [...failures, "timed out after 300 s"] }));
  process.exit(1);
}, 300000).unref();

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

// axe, no sideways scrolling at 320 px, and a photograph at the phone's width.
async function check(page, name) {
  report.pages += 1;
  await axe(page, name);
  const size = page.viewportSize();
  await page.screenshot({ path: `${out}/desk-${name}-${size.width}.png`, fullPage: true });
  await page.setViewportSize({ width: 320, height: 700 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  if (overflow) { fail(`${name}: scrolls sideways at 320 px`); }
  await page.setViewportSize(size);
  report.screenshots += 1;
}

async function signIn(page, name, password) {
  await page.goto(desk + "/sign-in");
  await page.fill("#name", name);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(desk + "/"), page.click("button[type=submit]")]);
}

// A worker on a phone (390 px): sign in, then beds in three taps from the front page.
{
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(desk)) { external.push(r.url()); } });
  // The error pages this run asks for (a wrong password, a bad form, a worker on a
  // coordinator's page) are logged by the browser as failed loads: expected.
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of (400|401|403)\b/.test(m.text())) { fail(`console error: ${m.text()}`); }
  });

  step("sign-in errors");
  await page.goto(desk + "/");
  if (!page.url().endsWith("/sign-in")) { fail(`a visitor is not sent to sign in: ${page.url()}`); }
  await check(page, "sign-in");
  await page.fill("#name", worker);
  await page.fill("#password", "not-the-password");
  await page.click("button[type=submit]");
  if (!(await page.locator(".error-summary").isVisible())) { fail("a wrong password shows no error summary"); }
  await check(page, "sign-in-error");

  step("sign in and update beds");
  await signIn(page, worker, workerPassword);
  await check(page, "today");
  let taps = 0;
  await page.getByRole("link", { name: "Update beds" }).tap(); taps += 1;
  await page.waitForURL("**/beds");
  await check(page, "beds");
  await page.getByRole("button", { name: "2 beds free" }).first().tap(); taps += 1;
  await page.waitForURL("**/beds/confirm**");
  await check(page, "beds-confirm");
  const before = Date.now();
  await page.getByRole("button", { name: "Confirm" }).tap(); taps += 1;
  await page.waitForURL("**/beds?done=**");
  report.taps_to_beds = taps;
  const notice = await page.locator(".notice").textContent();
  if (!/2 beds free/.test(notice || "")) { fail(`after the update the beds page says ${JSON.stringify(notice)}`); }
  await page.screenshot({ path: `${out}/desk-beds-updated-390.png`, fullPage: true });
  report.screenshots += 1;
  // The region's board shows it within 2 s.
  const boardPage = await context.newPage();
  let shown = false;
  while (Date.now() - before < 2000 && !shown) {
    await boardPage.goto(board + "/safe-houses");
    shown = (await boardPage.content()).includes("2 free");
    if (!shown) { await boardPage.waitForTimeout(100); }
  }
  report.board_ms = Date.now() - before;
  if (!shown) { fail("the board did not show 2 beds free within 2 s of the update"); }
  await boardPage.close();

  step("the other pages");
  const pages = [
    ["referrals", "/referrals"], ["listings", "/listings"], ["service-new", "/listings/services/new"],
    ["opportunity-new", "/listings/opportunities/new"], ["safehouse-new", "/listings/safehouses/new"],
    ["referral-new", "/referrals/new"], ["import", "/listings/import"], ["account", "/account"], ["asks", "/asks"],
  ];
  for (const [name, path] of pages) {
    await page.goto(desk + path);
    await check(page, name);
  }
  // An error state: a bad postcode, shown beside the field.
  await page.goto(desk + "/listings/services/new");
  await page.fill("#name", "Welfare drop-in");
  await page.fill("#categories", "benefits-and-money");
  await page.fill("#street", "1 Market Street");
  await page.fill("#town", "Leeds");
  await page.fill("#postcode", "NOT A CODE");
  await page.click("button[type=submit]");
  if (!(await page.locator("#postcode-error").isVisible())) { fail("a bad postcode is not named beside its field"); }
  await check(page, "service-error");
  // A worker on a coordinator's page.
  const refused = await page.goto(desk + "/users");
  if (refused.status() !== 403) { fail(`a worker on /users got ${refused.status()}`); }
  await check(page, "forbidden");
  if (external.length) { fail(`requests to elsewhere: ${external.join(", ")}`); }
  await context.close();
}

// A coordinator's pages.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await signIn(page, coordinator, coordinatorPassword);
  for (const [name, path] of [["users", "/users"], ["audit", "/audit"], ["leave", "/leave"], ["today-coordinator", "/"]]) {
    await page.goto(desk + path);
    await check(page, name);
  }
  await context.close();
}

// In Welsh, as the browser asks, then in Urdu (right to left), chosen with the
// language switch and remembered: every page axe clean, photographed at 1280 and
// 320 px, no sideways scrolling, <html>'s lang and dir right; the switch keeps what
// the address asked for.
{
  step("in Welsh and Urdu");
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "cy" });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of (400|401|403|404)\b/.test(m.text())) { fail(`console error: ${m.text()}`); }
  });
  async function checkIn(name, lang, dir) {
    report.pages += 1;
    await axe(page, `${name} (${lang})`);
    const html = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
    if (html[0] !== lang || html[1] !== dir) { fail(`${name} (${lang}): <html lang="${html[0]}" dir="${html[1]}">`); }
    await page.screenshot({ path: `${out}/desk-${name}-${lang}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 700 });
    await page.screenshot({ path: `${out}/desk-${name}-${lang}-320.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (overflow) { fail(`${name} (${lang}): scrolls sideways at 320 px`); }
    await page.setViewportSize({ width: 1280, height: 900 });
    report.screenshots += 2;
  }
  await page.goto(desk + "/sign-in");
  await checkIn("sign-in", "cy", "ltr");
  await signIn(page, coordinator, coordinatorPassword);
  const referral = (process.env.KITH_REFERRALS || "").split(",")[1];
  const pages = [
    ["today", "/"], ["beds", "/beds"], ["referrals", "/referrals"], ["listings", "/listings"],
    ["service-new", "/listings/services/new"], ["referral-new", "/referrals/new"], ["import", "/listings/import"],
    ["account", "/account"], ["asks", "/asks"], ["users", "/users"], ["audit", "/audit"], ["leave", "/leave"],
  ];
  if (referral) { pages.push(["referral", `/referrals/${referral}`]); }
  for (const [lang, dir] of [["cy", "ltr"], ["ur", "rtl"]]) {
    for (const [name, path] of pages) {
      await page.goto(desk + path);
      await checkIn(name, lang, dir);
    }
    await page.goto(desk + "/beds");
    const beds = page.locator("form.beds button.bed").nth(2);
    await Promise.all([page.waitForURL("**/beds/confirm**"), beds.click()]);
    await checkIn("beds-confirm", lang, dir);
    // An error state: beside the field, in the page's language.
    await page.goto(desk + "/listings/safehouses/new");
    await page.fill("#name", "Quiet House");
    await page.fill("#beds", "lots");
    await page.click("button[type=submit]");
    if (!(await page.locator("#beds-error").isVisible())) { fail(`${lang}: a bad number of beds is not named beside its field`); }
    await checkIn("safehouse-error", lang, dir);
    if (lang === "cy") {
      // The switch to Urdu keeps what the address asked for; the choice is remembered.
      step("the language switch");
      await page.goto(desk + "/listings?family=services");
      await Promise.all([page.waitForURL("**lang=ur**"), page.locator("[data-lang-switch] a[data-lang=ur]").click()]);
      if (!page.url().includes("family=services")) { fail(`the switch did not keep the address: ${page.url()}`); }
      await page.goto(desk + "/");
      if ((await page.evaluate(() => document.documentElement.lang)) !== "ur") { fail("Urdu was not remembered after the switch"); }
    }
  }
  await context.close();
}

// Referrals answered, and what must be refused, at a desktop's width.
if (process.env.KITH_REFERRALS) {
  step("referrals and refusals");
  const [accept, decline] = process.env.KITH_REFERRALS.split(",");
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  page.on("dialog", (d) => { fail(`a listing's text ran as a script: ${d.message()}`); d.dismiss(); });
  await signIn(page, worker, workerPassword);
  await page.goto(`${desk}/referrals/${accept}`);
  await check(page, "referral");
  await page.getByRole("button", { name: "Show details" }).click();
  if (!(await page.content()).includes("Canary")) { fail("Show details did not show the person"); }
  await check(page, "referral-details");
  await page.getByRole("button", { name: "Accept" }).click();
  await page.waitForURL(`**/referrals/${accept}`);
  if (!/accepted/.test(await page.locator("dl.details").textContent())) { fail("the accepted referral does not say so"); }
  await page.goto(`${desk}/referrals/${decline}`);
  await page.getByRole("button", { name: "Decline" }).click();
  if (!(await page.locator(".error-summary").isVisible())) { fail("declining without a reason shows no error"); }
  await check(page, "referral-decline-error");
  step("decline with a reason");
  await page.fill("#reason", "No room this week");
  await page.getByRole("button", { name: "Decline" }).click();
  await page.waitForURL(`**/referrals/${decline}`);
  if (!/declined/.test(await page.locator("dl.details").textContent())) { fail("the declined referral does not say so"); }
  // A listing whose name holds a script is shown as text.
  step("a listing's name as text");
  await page.goto(desk + "/listings");
  if (!(await page.getByRole("heading", { name: "<script>alert(1)</script> Drop-in" }).isVisible())) { fail("the listing's name is not shown as text"); }
  // A form posted from another site.
  step("a cross-site form");
  // Served from another site (another loopback address, so that the browser's own
  // checks on public pages reaching private addresses do not stop it first: the desk
  // must refuse it by itself).
  const forged = await context.newPage();
  const elsewhere = "http://127.0.0.2:9/forged.html";
  await forged.route(elsewhere, (route) => route.fulfill({
    contentType: "text/html",
    body: `<!doctype html><title>Elsewhere</title><form method="post" action="${desk}/beds/set"><input name="house" value="x"><input name="beds" value="9"><input name="csrf" value="forged"><button>Go</button></form>`,
  }));
  await forged.goto(elsewhere);
  const [answer] = await Promise.all([forged.waitForResponse(`${desk}/beds/set`), forged.click("button")]);
  if (answer.status() !== 403) { fail(`a cross-site form was answered ${answer.status()}`); }
  await forged.close();
  // The session's cookie after signing out.
  step("signing out");
  const cookies = await context.cookies();
  await page.goto(desk + "/account");
  await Promise.all([page.waitForURL("**/sign-in"), page.getByRole("button", { name: "Sign out", exact: true }).click()]);
  await context.addCookies(cookies);
  await page.goto(desk + "/");
  if (!page.url().endsWith("/sign-in")) { fail(`the cookie still worked after signing out: ${page.url()}`); }
  await context.close();
}

// By keyboard alone, JavaScript off: skip link, sign in, beds, confirm.
{
  step("keyboard only, no script");
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await page.goto(desk + "/sign-in");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement.textContent.trim());
  if (first !== "Skip to main content") { fail(`the first Tab lands on ${JSON.stringify(first)}, not the skip link`); }
  // The skip link passes the header (its language switch) to the form.
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await page.keyboard.type(worker);
  await page.keyboard.press("Tab");
  await page.keyboard.type(workerPassword);
  await Promise.all([page.waitForURL(desk + "/"), page.keyboard.press("Enter")]);
  let guard = 0;
  while (!(await page.evaluate(() => document.activeElement.textContent.trim() === "Update beds")) && guard++ < 30) {
    await page.keyboard.press("Tab");
  }
  await Promise.all([page.waitForURL("**/beds"), page.keyboard.press("Enter")]);
  guard = 0;
  while (!(await page.evaluate(() => (document.activeElement.getAttribute("aria-label") || "") === "1 bed free")) && guard++ < 40) {
    await page.keyboard.press("Tab");
  }
  await Promise.all([page.waitForURL("**/beds/confirm**"), page.keyboard.press("Enter")]);
  guard = 0;
  while (!(await page.evaluate(() => document.activeElement.textContent.trim() === "Confirm")) && guard++ < 20) {
    await page.keyboard.press("Tab");
  }
  await Promise.all([page.waitForURL("**/beds?done=**"), page.keyboard.press("Enter")]);
  if (!/1 bed free/.test((await page.locator(".notice").textContent()) || "")) { fail("the keyboard-only bed update did not land"); }
  await context.close();
}

// A password guessed past the limit: then even the right one is refused.
{
  step("guessing a password");
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  for (let i = 0; i < 5; i++) {
    await page.goto(desk + "/sign-in");
    await page.fill("#name", coordinator);
    await page.fill("#password", `guess-${i}`);
    await page.click("button[type=submit]");
  }
  await page.goto(desk + "/sign-in");
  await page.fill("#name", coordinator);
  await page.fill("#password", coordinatorPassword);
  const [answer] = await Promise.all([page.waitForResponse(`${desk}/sign-in`), page.click("button[type=submit]")]);
  if (answer.status() !== 429 || !page.url().endsWith("/sign-in")) { fail(`the right password after 5 wrong ones was answered ${answer.status()}`); }
  await check(page, "sign-in-locked");
  await context.close();
}

await browser.close();
console.log(JSON.stringify({ ...report, failures }));
process.exit(failures.length ? 1 : 0);
