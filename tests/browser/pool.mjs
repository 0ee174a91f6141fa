// The desk's pool pages in a real browser: Debian's chromium driven by
// playwright-core. Every page a coordinator uses to run the pool — the rota, a
// member, a job with who could take it and why not, the statement, the group's
// figures, the forms and their error states — and a member's own page are checked
// by axe-core and at 320 px for sideways scrolling; then a job is offered, taken and
// its hours recorded by keyboard alone with JavaScript off. Then in Welsh and Urdu.
//
//   node tests/browser/pool.mjs DESK_URL OUT_DIR
//
// KITH_DESK_COORDINATOR and KITH_DESK_MEMBER are "name:password"; KITH_POOL is
// "JOB,MEMBER,OVER": a job waiting for someone, the member (whose desk account is
// KITH_DESK_MEMBER) to offer it to, and a member it would take over their limit.
// Prints one JSON line; exits 1 on a failure.

import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync } from "node:fs";

const [desk, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const [coordinator, coordinatorPassword] = process.env.KITH_DESK_COORDINATOR.split(":");
const [member, memberPassword] = process.env.KITH_DESK_MEMBER.split(":");
const [job, memberId, overId] = process.env.KITH_POOL.split(",");
const failures = [];
const report = { pages: 0, axe_runs: 0, screenshots: 0, keyboard: false };
const fail = (what) => failures.push(what);
const started = Date.now();
const step = (what) => process.stderr.write(`${Date.now() - started} ms: ${what}\n`);

setTimeout(() => {
  console.log(JSON.stringify({ ...report, failures: [...failures, "timed out after 180 s"] }));
  process.exit(1);
}, 180000).unref();

const browser = await chromium.launch({
  executablePath: process.env.KITH_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});

async function check(page, name) {
  step(`check ${name}`);
  report.pages += 1;
  const result = await new AxeBuilder({ page }).analyze();
  report.axe_runs += 1;
  for (const v of result.violations) {
    fail(`${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  }
  const size = page.viewportSize();
  await page.screenshot({ path: `${out}/pool-${name}-${size.width}.png`, fullPage: true });
  await page.setViewportSize({ width: 320, height: 700 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  if (overflow) { fail(`${name}: scrolls sideways at 320 px`); }
  await page.screenshot({ path: `${out}/pool-${name}-320.png`, fullPage: true });
  await page.setViewportSize(size);
  report.screenshots += 2;
}

async function signIn(page, name, password, landing) {
  await page.goto(desk + "/sign-in");
  await page.fill("#name", name);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(desk + landing), page.click("button[type=submit]")]);
}

// The coordinator's pages, on a laptop's width (each also checked at 320 px).
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of (400)\b/.test(m.text())) { fail(`console error: ${m.text()}`); }
  });
  await signIn(page, coordinator, coordinatorPassword, "/");
  const pages = [
    ["overview", "/pool"], ["member-new", "/pool/members/new"], ["job-new", "/pool/jobs/new"],
    ["member", `/pool/members/${memberId}`], ["member-edit", `/pool/members/${memberId}/edit`],
    ["job", `/pool/jobs/${job}`], ["report", "/pool/report"],
    ["statement", `/pool/members/${memberId}/statement?from=2027-03-01&to=2027-03-07`],
  ];
  for (const [name, path] of pages) {
    await page.goto(desk + path);
    await check(page, name);
  }
  if (!(await page.content()).includes("Pay statement")) { fail("the statement page has no heading"); }
  await page.goto(`${desk}/pool/jobs/${job}`);
  if (!/over their £\d/.test(await page.content())) { fail("the job page does not say who it would take over their limit"); }
  // An error state: a rate below the fair rate, named beside its field.
  await page.goto(desk + "/pool/members/new");
  await page.fill("#name", "Eve Example");
  await page.fill("#min_rate", "5");
  await page.click("button[type=submit]");
  if (!(await page.locator(".error-summary").isVisible())) { fail("a rate below the fair rate shows no error summary"); }
  if (!(await page.locator("#min_rate-error").isVisible())) { fail("the rate's error is not beside its field"); }
  await check(page, "member-error");
  // Offering it to the member over their limit without the box ticked: refused, said plainly.
  await page.goto(`${desk}/pool/jobs/${job}`);
  const over = page.locator(`form:has(input[name=member][value="${overId}"]) button`);
  if (await over.count()) {
    await over.first().click();
    if (!/know and choose to|over their/.test(await page.locator("#problem").textContent())) { fail("an offer over a limit is not refused with why"); }
    await check(page, "job-over-limit");
  } else {
    fail("no 'Offer it anyway' for the member over their limit");
  }
  await context.close();
}

// By keyboard alone, JavaScript off: the coordinator offers the job; the member,
// on a phone, takes it; the coordinator records the hours.
{
  step("keyboard only, no script");
  const tabTo = async (page, test, arg = null, most = 60) => {
    for (let i = 0; i < most; i++) {
      if (await page.evaluate(test, arg)) { return true; }
      await page.keyboard.press("Tab");
    }
    return false;
  };
  // Enter on a form that posts and comes back to the same page: wait for that page
  // to load again.
  const enterBack = async (page, path) => {
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    if (new URL(page.url()).pathname !== path) { fail(`after Enter the page is ${page.url()}, not ${path}`); }
  };
  const signInByKeyboard = async (page, name, password, landing) => {
    await page.goto(desk + "/sign-in");
    // The skip link, then past the header (its language switch) to the form.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.type(name);
    await page.keyboard.press("Tab");
    await page.keyboard.type(password);
    await Promise.all([page.waitForURL(desk + landing), page.keyboard.press("Enter")]);
  };
  const coordinatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  coordinatorContext.setDefaultTimeout(15000);
  const page = await coordinatorContext.newPage();
  await signInByKeyboard(page, coordinator, coordinatorPassword, "/");
  await page.goto(`${desk}/pool/jobs/${job}`);
  const offer = (id) => document.activeElement.tagName === "BUTTON" && document.activeElement.form
    && document.activeElement.form.action.endsWith("/offer") && document.activeElement.form.member.value === id;
  step("the coordinator offers it");
  if (!(await tabTo(page, offer, memberId))) { fail("the offer button cannot be reached by Tab"); }
  await enterBack(page, `/pool/jobs/${job}`);

  // The member's own page, offer waiting, on a phone (axe needs script: checked in
  // a context of its own).
  {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    context.setDefaultTimeout(15000);
    const look = await context.newPage();
    await signIn(look, member, memberPassword, "/me");
    if (!/Clear the beds/.test(await look.content())) { fail("the offer is not on the member's page"); }
    await check(look, "me");
    await context.close();
  }
  const memberContext = await browser.newContext({ viewport: { width: 320, height: 700 }, javaScriptEnabled: false });
  memberContext.setDefaultTimeout(15000);
  const phone = await memberContext.newPage();
  await signInByKeyboard(phone, member, memberPassword, "/me");
  const take = () => document.activeElement.textContent.trim() === "I'll take it";
  step("the member takes it");
  if (!(await tabTo(phone, take))) { fail("'I'll take it' cannot be reached by Tab"); }
  await enterBack(phone, "/me");
  if (!/Your jobs[\s\S]*Clear the beds/.test(await phone.content())) { fail("the job the member took is not under Your jobs"); }
  await phone.screenshot({ path: `${out}/pool-me-taken-320.png`, fullPage: true });
  await memberContext.close();

  step("the coordinator records the hours");
  await page.goto(`${desk}/pool/jobs/${job}`);
  if (!(await tabTo(page, () => document.activeElement.id === "hours"))) { fail("the hours field cannot be reached by Tab"); }
  await page.keyboard.press("Control+A");
  await page.keyboard.type("3.5");
  await enterBack(page, `/pool/jobs/${job}`);
  const details = await page.locator("dl.details").textContent();
  if (!/done/.test(details) || !/£52\.50/.test(details)) { fail(`after the hours the job says ${JSON.stringify(details)}`); }
  else { report.keyboard = true; }
  await coordinatorContext.close();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15000);
  const look = await context.newPage();
  await signIn(look, coordinator, coordinatorPassword, "/");
  await look.goto(`${desk}/pool/jobs/${job}`);
  await check(look, "job-done");
  await context.close();
}

// In Welsh, as the browser asks, then in Urdu (right to left), chosen with the
// language switch: each page axe clean, <html>'s lang and dir right, photographed at
// 1280 and 320 px (pool-<page>-cy-1280.png…), no sideways scrolling; a member's own
// page likewise.
{
  step("in Welsh and Urdu");
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "cy" });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  async function checkIn(name, lang, dir) {
    const html = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
    if (html[0] !== lang || html[1] !== dir) { fail(`${name} (${lang}): <html lang="${html[0]}" dir="${html[1]}">`); }
    await check(page, `${name}-${lang}`);
  }
  await signIn(page, coordinator, coordinatorPassword, "/");
  const pages = [
    ["overview", "/pool"], ["member", `/pool/members/${memberId}`], ["job", `/pool/jobs/${job}`],
    ["member-new", "/pool/members/new"], ["report", "/pool/report"],
    ["statement", `/pool/members/${memberId}/statement?from=2027-03-01&to=2027-03-07`],
  ];
  for (const [lang, dir] of [["cy", "ltr"], ["ur", "rtl"]]) {
    if (lang === "ur") {
      await page.goto(desk + "/pool");
      await Promise.all([page.waitForURL("**lang=ur**"), page.locator("[data-lang-switch] a[data-lang=ur]").click()]);
    }
    for (const [name, path] of pages) {
      await page.goto(desk + path);
      await checkIn(name, lang, dir);
    }
  }
  await context.close();
  for (const [lang, dir] of [["cy", "ltr"], ["ur", "rtl"]]) {
    const own = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: lang });
    own.setDefaultTimeout(15000);
    const mine = await own.newPage();
    await signIn(mine, member, memberPassword, "/me");
    const html = await mine.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
    if (html[0] !== lang || html[1] !== dir) { fail(`/me (${lang}): <html lang="${html[0]}" dir="${html[1]}">`); }
    await check(mine, `me-${lang}`);
    await own.close();
  }
}

await browser.close();
console.log(JSON.stringify({ ...report, failures }));
process.exit(failures.length ? 1 : 0);
