// Measures the operations map in headless Chromium against a running server (not part of the test suite):
//   node map-speed.mjs --url http://127.0.0.1:5080/ [--key demo-operator-key] [--runs 3] [--pan 0]
// Prints, per run: how long after navigation the whole district is drawn (all layers loaded and the map idle), how
// many entities it drew, and how long a gas alarm posted to /api/telemetry from the page takes to turn its sensor red
// (status pushed over the hub and the frame drawn). With --pan N it then pans for N frames and reports frame times.
import { chromium } from "playwright-core";

function arg(name, fallback) {
  const i = process.argv.indexOf("--" + name);
  return i < 0 || i + 1 >= process.argv.length ? fallback : process.argv[i + 1];
}

const url = arg("url", "http://127.0.0.1:5080/");
const key = arg("key", "demo-operator-key");
const runs = Number(arg("runs", "3"));
const panFrames = Number(arg("pan", "0"));
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--enable-unsafe-swiftshader"],
});
const percentile = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
try {
  const results = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addInitScript((k) => sessionStorage.setItem("citytwin.apiKey", k), key);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.ready === "true", null, { timeout: 120_000 });
    // performance.now() counts from the navigation's start.
    const paintMs = Number(await page.getAttribute("body", "data-paint-ms"));
    const entities = Number(await page.getAttribute("body", "data-entities"));
    const alarm = await page.evaluate(async (apiKey) => {
      const sensors = (await (await fetch("/api/map/features?type=sensor", { headers: { "X-Api-Key": apiKey } })).json()).features;
      const gas = sensors.find((f) => f.properties.kind.toLowerCase() === "gas" && f.properties.status === "normal");
      const t0 = performance.now();
      const r = await fetch("/api/telemetry", { method: "POST", headers: { "X-Api-Key": apiKey, "Content-Type": "application/json" },
        body: JSON.stringify([{ sensorId: gas.id, value: 60, at: new Date().toISOString() }]) });
      const acknowledged = performance.now() - t0;
      while (window.cityTwin.status("sensor", gas.id) !== "alarm") await new Promise((res) => setTimeout(res, 5));
      const pushed = performance.now() - t0;
      await window.cityTwin.whenIdle();
      return { sensor: gas.id, status: r.status, acknowledgedMs: acknowledged, pushedMs: pushed, redMs: performance.now() - t0 };
    }, key);
    let pan = null;
    if (panFrames > 0) {
      pan = await page.evaluate(async (frames) => {
        const map = window.cityTwin.map;
        const times = [];
        let last = performance.now();
        for (let i = 0; i < frames; i++) {
          map.panBy([i % 40 < 20 ? 25 : -25, 8 * Math.sin(i / 6)], { animate: false });
          await new Promise((res) => requestAnimationFrame(res));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        return times;
      }, panFrames);
      pan = { frames: pan.length, p50: percentile(pan, 0.5), p95: percentile(pan, 0.95), max: Math.max(...pan) };
    }
    results.push({ run: run + 1, paintMs, entities, alarm, pan, errors });
    console.log(JSON.stringify(results.at(-1)));
    await context.close();
  }
} finally {
  await browser.close();
}
