// The operations map's speed report (a measurement, not part of the test suite). It starts the server itself (the
// built citytwin.dll, memory store, a fresh generated district), opens the page in headless /usr/bin/chromium through
// playwright-core and prints, per run and as medians:
//   paint   ms from navigation start to the page's "painted" signal: body[data-paint-ms], which the page sets to
//           performance.now() at the first MapLibre "idle" event after every source has been given its data (every
//           layer's tiles loaded, no transition running, the frame drawn);
//   red     ms from POSTing a gas reading over the alarm threshold to /api/telemetry (from the page) until the map's own
//           canvas is alarm red at that sensor's position (read back from the WebGL drawing buffer every frame); also
//           when the POST was acknowledged and when the pushed status reached the page's state;
//   pan     requestAnimationFrame deltas while panning by script (map.panBy, 20 px a frame, back and forth) over a district
//           of --pan-buildings buildings, at the whole-district zoom and at street zoom (15): p50, p95 and max.
// Usage (from this directory, after `dotnet build CityTwin.sln` and `npm ci`):
//   node map-speed.mjs [--runs 5] [--buildings 2000] [--pan-buildings 50000] [--pan-frames 240] [--pan-runs 3]
//                      [--dll ../../../twin-api/bin/Debug/net10.0/citytwin.dll] [--port 5193] [--skip-pan] [--skip-demo]
// The machine may be shared: run several times and read the medians; the load average is printed with each server.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
function arg(name, fallback) {
  const i = process.argv.indexOf("--" + name);
  return i < 0 || i + 1 >= process.argv.length ? fallback : process.argv[i + 1];
}
const flag = (name) => process.argv.includes("--" + name);

const dll = resolve(arg("dll", resolve(here, "../../../twin-api/bin/Debug/net10.0/citytwin.dll")));
const port = Number(arg("port", "5193"));
const runs = Number(arg("runs", "5"));
const buildings = Number(arg("buildings", "2000"));
const panBuildings = Number(arg("pan-buildings", "50000"));
const panFrames = Number(arg("pan-frames", "240"));
const panRuns = Number(arg("pan-runs", "3"));
const key = "demo-operator-key"; // the shipped appsettings' operator key

const median = (xs) => { const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };
const percentile = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const round = (x) => (x == null ? null : Math.round(x));
const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");

async function startServer(count) {
  const url = `http://127.0.0.1:${port}/`;
  const started = Date.now();
  const server = spawn("dotnet", [dll, "--store", "memory", "--urls", url.slice(0, -1), "--District:Buildings", String(count), "--District:Seed", "7"],
    { cwd: dirname(dll), stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  server.stderr.on("data", (d) => { stderr += d; });
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}): ${stderr}`);
    try {
      const r = await fetch(url + "health");
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() - started > 600_000) { server.kill(); throw new Error("the server did not get ready within 10 min"); }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`server: ${count} buildings ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${server.pid}); load average ${load()}`);
  return { url, stop: () => new Promise((res) => { server.once("exit", res); server.kill("SIGTERM"); }) };
}

async function openPage(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addInitScript((k) => sessionStorage.setItem("citytwin.apiKey", k), key);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === "true", null, { timeout: 600_000, polling: 50 });
  const paintMs = Number(await page.getAttribute("body", "data-paint-ms"));
  const entities = Number(await page.getAttribute("body", "data-entities"));
  const phases = await page.evaluate(() => window.cityTwin.timings ?? null);
  return { context, page, errors, paintMs, entities, phases };
}

// A gas sensor in its normal state on screen; the POST goes from the page, so both clocks are the page's.
async function alarm(page) {
  return page.evaluate(async (apiKey) => {
    const sensors = (await (await fetch("/api/map/features?type=sensor", { headers: { "X-Api-Key": apiKey } })).json()).features;
    const canvas = window.cityTwin.map.getCanvas();
    const rect = canvas.getBoundingClientRect();
    const onScreen = (f) => {
      // By its position: a home sensor in its normal state is drawn through its building, not in the page's sensor layer.
      const p = window.cityTwin.pointOf(f.geometry.coordinates);
      return p && p.x > rect.left + 60 && p.x < rect.right - 60 && p.y > rect.top + 60 && p.y < rect.bottom - 60;
    };
    const probe = document.createElement("canvas");
    probe.width = probe.height = 1;
    const g = probe.getContext("2d", { willReadFrequently: true });
    const redAt = (f) => {
      const p = window.cityTwin.pointOf(f.geometry.coordinates);
      const scale = canvas.width / rect.width;
      g.drawImage(canvas, (p.x - rect.left) * scale, (p.y - rect.top) * scale, 1, 1, 0, 0, 1, 1);
      const [r, gr, b] = g.getImageData(0, 0, 1, 1).data;
      return r > 180 && gr < 90 && b < 90;
    };
    // Not red already: an earlier run's alarm turned its building (and the home sensors drawn through it) red.
    const gas = sensors.find((f) => String(f.properties.kind).toLowerCase() === "gas" && f.properties.status === "normal" && onScreen(f) && !redAt(f));
    if (!gas) throw new Error("no gas sensor in its normal state on screen");
    const isRed = () => redAt(gas);
    if (isRed()) throw new Error(`${gas.id} is red before the alarm`);
    const t0 = performance.now();
    let pushedMs = null;
    const red = new Promise((res) => {
      const frame = () => {
        if (pushedMs === null && window.cityTwin.status("sensor", gas.id) === "alarm") pushedMs = performance.now() - t0;
        if (isRed()) res(performance.now() - t0);
        else if (performance.now() - t0 > 60_000) res(null);
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const r = await fetch("/api/telemetry", { method: "POST", headers: { "X-Api-Key": apiKey, "Content-Type": "application/json" },
      body: JSON.stringify([{ sensorId: gas.id, value: 60, at: new Date().toISOString() }]) });
    const acknowledgedMs = performance.now() - t0;
    const redMs = await red;
    return { sensor: gas.id, status: r.status, acknowledgedMs, pushedMs, redMs };
  }, key);
}

async function pan(page, zoom) {
  return page.evaluate(async ([frames, z]) => {
    const map = window.cityTwin.map;
    if (z !== null) map.jumpTo({ zoom: z });
    await window.cityTwin.whenIdle();
    const times = [];
    let last = performance.now();
    for (let i = 0; i < frames; i++) {
      map.panBy([i % 60 < 30 ? 20 : -20, 6 * Math.sin(i / 7)], { animate: false });
      await new Promise((res) => requestAnimationFrame(res));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    return { zoom: map.getZoom(), times };
  }, [panFrames, zoom]);
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--enable-unsafe-swiftshader"],
});
const report = { dll, loadAverageAtStart: load(), demo: null, pan: null };
try {
  if (!flag("skip-demo")) {
    const server = await startServer(buildings);
    const results = [];
    try {
      for (let run = 1; run <= runs; run++) {
        const opened = await openPage(browser, server.url);
        const a = await alarm(opened.page);
        const r = { run, paintMs: round(opened.paintMs), entities: opened.entities, ...a, acknowledgedMs: round(a.acknowledgedMs), pushedMs: round(a.pushedMs),
          redMs: round(a.redMs), phases: opened.phases, errors: opened.errors, load: load() };
        console.log(JSON.stringify(r));
        results.push(r);
        await opened.context.close();
      }
    } finally {
      await server.stop();
    }
    report.demo = { buildings, runs, medianPaintMs: median(results.map((r) => r.paintMs)), medianAcknowledgedMs: median(results.map((r) => r.acknowledgedMs)),
      medianPushedMs: median(results.map((r) => r.pushedMs)), medianRedMs: median(results.map((r) => r.redMs)),
      paintMs: results.map((r) => r.paintMs), redMs: results.map((r) => r.redMs), entities: results[0]?.entities };
  }
  if (!flag("skip-pan")) {
    const server = await startServer(panBuildings);
    const results = [];
    try {
      for (let run = 1; run <= panRuns; run++) {
        const opened = await openPage(browser, server.url);
        const r = { run, paintMs: round(opened.paintMs), entities: opened.entities, phases: opened.phases, errors: opened.errors };
        for (const [name, zoom] of [["district", null], ["street", 15]]) {
          const { zoom: z, times } = await pan(opened.page, zoom);
          r[name] = { zoom: Number(z.toFixed(2)), frames: times.length, p50: round(percentile(times, 0.5)), p95: round(percentile(times, 0.95)), max: round(Math.max(...times)) };
        }
        r.load = load();
        console.log(JSON.stringify(r));
        results.push(r);
        await opened.context.close();
      }
    } finally {
      await server.stop();
    }
    report.pan = { buildings: panBuildings, runs: panRuns, frames: panFrames, medianPaintMs: median(results.map((r) => r.paintMs)), entities: results[0]?.entities,
      districtP95: median(results.map((r) => r.district.p95)), streetP95: median(results.map((r) => r.street.p95)),
      districtP50: median(results.map((r) => r.district.p50)), streetP50: median(results.map((r) => r.street.p50)) };
  }
} finally {
  await browser.close();
}
report.loadAverageAtEnd = load();
console.log("SUMMARY " + JSON.stringify(report));
