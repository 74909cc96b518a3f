// Drives the operations page in an already running headless Chromium (started, and killed, by PageTests.cs) over
// the DevTools protocol. Talks to the C# test through stdout lines:
//   SUBSCRIBED <status text>   the page has subscribed; the test now publishes
//   SEEN <json>                the expected alert and an entity change showed up; exit code 0
// Any failure prints "FAIL <reason>" on stderr and exits 1.
import { chromium } from "playwright-core";

function arg(name) {
  const i = process.argv.indexOf("--" + name);
  if (i < 0 || i + 1 >= process.argv.length) {
    throw new Error(`missing --${name}`);
  }
  return process.argv[i + 1];
}

const timeout = 30_000;
let browser;
try {
  const cdp = arg("cdp");
  const url = arg("url");
  const key = arg("key");
  const area = arg("area");
  const expected = arg("expect");
  const absent = arg("absent");

  browser = await chromium.connectOverCDP(cdp, { timeout });
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto(url, { timeout });
  await page.fill("#area", area);
  await page.fill("#key", key);
  await page.click("#subscribe");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Subscribed"), null, { timeout });
  console.log("SUBSCRIBED " + (await page.textContent("#status")));

  await page.waitForFunction(
    (text) => [...document.querySelectorAll("#alerts li")].some((li) => li.textContent.includes(text)),
    expected,
    { timeout },
  );
  await page.waitForFunction(() => Number(document.getElementById("entity-count").textContent) > 0, null, { timeout });

  const alerts = await page.$$eval("#alerts li", (items) => items.map((li) => ({ text: li.textContent, className: li.className })));
  if (alerts.some((a) => a.text.includes(absent))) {
    throw new Error(`the page shows an alert from outside the area: ${JSON.stringify(alerts)}`);
  }
  if (errors.length) {
    throw new Error("page errors: " + errors.join("; "));
  }
  const entityCount = await page.textContent("#entity-count");
  console.log("SEEN " + JSON.stringify({ alerts, entityCount, status: await page.textContent("#status") }));
  process.exitCode = 0;
} catch (e) {
  console.error("FAIL " + (e && e.stack ? e.stack : e));
  process.exitCode = 1;
} finally {
  // Disconnects only: the browser process belongs to the C# test, which kills it.
  await browser?.close().catch(() => {});
}
