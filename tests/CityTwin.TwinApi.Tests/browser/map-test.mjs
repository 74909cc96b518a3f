// Drives the operations map in an already running headless Chromium (started, and killed, by PageTests.cs) over the
// DevTools protocol, by clicks as a person would: an operator opens the map, a gas alarm comes in and turns its sensor
// red, the operator clicks it (history chart) and takes a reported case through verify, dispatch and accept; a viewer
// sees the case without buttons; a planner runs the stock flood and gas scenarios and moves the time slider to the
// peak. Screenshots go to --out and are checked by pixels as well as by the DOM. Prints one line "RESULT <json>" and
// exits 0; any failure prints "FAIL <reason>" on stderr and exits 1.
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function arg(name) {
  const i = process.argv.indexOf("--" + name);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing --${name}`);
  return process.argv[i + 1];
}

const timeout = 30_000;
const runTimeout = 120_000;
const result = { steps: [] };
let browser;

try {
  const cdp = arg("cdp");
  const url = new URL(arg("url"));
  const out = arg("out");
  const keys = { operator: arg("operator"), viewer: arg("viewer"), planner: arg("planner") };
  const sensor = arg("sensor");
  const alarmValue = Number(arg("value"));
  const [caseLon, caseLat] = arg("case-at").split(",").map(Number);
  const caseCategory = arg("case-category");
  mkdirSync(out, { recursive: true });

  browser = await chromium.connectOverCDP(cdp, { timeout });
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = await context.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  const errors = [];
  const foreign = [];
  page.on("pageerror", (e) => errors.push("pageerror: " + String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push("console: " + m.text()); });
  const local = (u) => u.startsWith("data:") || u.startsWith("blob:") || new URL(u).host === url.host;
  page.on("request", (r) => { if (!local(r.url())) foreign.push(r.url()); });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`response ${r.status()}: ${r.url()}`); });
  page.on("websocket", (ws) => { if (!local(ws.url().replace(/^ws/, "http"))) foreign.push(ws.url()); });

  const step = (name, extra = {}) => { result.steps.push({ name, ...extra }); console.log("STEP " + name); };
  const api = async (path, key, body) => {
    const r = await fetch(new URL(path, url), {
      method: body === undefined ? "GET" : "POST",
      headers: { "X-Api-Key": key, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const useKey = async (key) => {
    await page.fill("#key", key);
    await page.click("#key-apply");
    await page.waitForFunction(() => document.body.dataset.ready === "true", null, { timeout });
  };
  const idle = () => page.evaluate(() => window.cityTwin.whenIdle());
  const screenPoint = (type, id) => page.evaluate(([t, i]) => window.cityTwin.screenPoint(t, i), [type, id]);
  // The colour at (x, y) of a screenshot, decoded by the page itself (a PNG decoder the browser already has). Where an
  // area name (an HTML label over the map) covers the point, the colour is read from the map's own canvas instead.
  const pixel = (png, x, y) => page.evaluate(async ([b64, px, py]) => {
    const read = (source, sx, sy, w, h) => {
      const c = document.createElement("canvas");
      c.width = w;
      c.height = h;
      const g = c.getContext("2d");
      g.drawImage(source, 0, 0);
      const [r, gr, b] = g.getImageData(Math.round(sx), Math.round(sy), 1, 1).data;
      return { r, g: gr, b };
    };
    const canvas = window.cityTwin.map.getCanvas();
    if (document.elementFromPoint(px, py) !== canvas) {
      const rect = canvas.getBoundingClientRect();
      const scale = canvas.width / rect.width;
      return { ...read(canvas, (px - rect.left) * scale, (py - rect.top) * scale, canvas.width, canvas.height), from: "canvas" };
    }
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    return { ...read(img, px, py, img.width, img.height), from: "screenshot" };
  }, [png.toString("base64"), x, y]);
  const shot = async (name) => {
    await idle();
    const png = await page.screenshot({ path: join(out, name) });
    return png;
  };
  const waitDetails = (id) => page.waitForFunction((i) => document.getElementById("details-body").dataset.loaded === i
    && document.getElementById("details").dataset.id === i, id, { timeout });

  // 1. The operator opens the map.
  const navigated = Date.now();
  await page.goto(url.toString(), { timeout });
  await useKey(keys.operator);
  const entities = Number(await page.getAttribute("body", "data-entities"));
  step("opened", { entities, readyMs: Date.now() - navigated, role: await page.textContent("#role") });
  if (await page.textContent("#role") !== "operator") throw new Error("the operator key was not recognised");

  // 2. A gas alarm posted to /api/telemetry turns its sensor red on the open page.
  if (await page.evaluate((id) => window.cityTwin.status("sensor", id), sensor) === "alarm") throw new Error(`${sensor} is in alarm before the test`);
  const posted = Date.now();
  await api("/api/telemetry", keys.operator, [{ sensorId: sensor, value: alarmValue, at: new Date().toISOString() }]);
  await page.waitForFunction((id) => window.cityTwin.status("sensor", id) === "alarm", sensor, { timeout });
  await idle();
  const alarmMs = Date.now() - posted;
  await page.waitForFunction((id) => [...document.querySelectorAll("#alerts li")].some((li) => li.dataset.entityId === id), sensor, { timeout });
  const livePng = await shot("live-map.png");
  const sensorAt = await screenPoint("sensor", sensor);
  const sensorColour = await pixel(livePng, sensorAt.x, sensorAt.y);
  step("alarm", { alarmMs, sensorColour, sensorAt });

  // 3. Click the sensor: its state, relations and history chart.
  await page.mouse.click(sensorAt.x, sensorAt.y);
  await page.waitForFunction((id) => document.getElementById("details-body").dataset.loaded, null, { timeout });
  const clicked = await page.getAttribute("#details", "data-id");
  await waitDetails(sensor).catch(() => { throw new Error(`clicking the sensor selected ${clicked}, not ${sensor}`); });
  await page.waitForSelector("#details-body .chart canvas", { timeout });
  const sensorPanel = {
    text: await page.textContent("#details-body"),
    readings: Number(await page.getAttribute("#details-body .chart", "data-readings")),
  };
  step("sensor-clicked", { readings: sensorPanel.readings, showsAlarm: sensorPanel.text.includes("alarm") });

  // 4. A citizen reports a case; the operator clicks it and takes it through verify, dispatch and accept.
  const created = await api("/api/cases", keys.operator, { category: caseCategory, location: { lon: caseLon, lat: caseLat }, description: "map test: blocked drain" });
  await page.waitForFunction((id) => window.cityTwin.status("case", id) !== null, created.id, { timeout });
  await page.click("#details-close");
  await idle();
  const caseAt = await screenPoint("case", created.id);
  await page.mouse.click(caseAt.x, caseAt.y);
  await waitDetails(created.id);
  const taken = [];
  for (const action of ["verify", "dispatch", "accept"]) {
    const button = page.locator(`#details-body button[data-action="${action}"]`);
    if (await button.count() === 0) {
      if (action === "verify" && (await page.textContent("#case-status")) !== "reported") continue; // verified on intake
      throw new Error(`no '${action}' button; the panel shows: ${await page.textContent("#details-body")}`);
    }
    await button.click();
    await page.waitForFunction((a) => !document.querySelector(`#details-body button[data-action="${a}"]`), action, { timeout });
    taken.push(action);
  }
  await page.waitForFunction(() => document.getElementById("case-status")?.textContent === "accepted", null, { timeout });
  const casePng = await shot("selected-case.png");
  const caseColour = await pixel(casePng, caseAt.x, caseAt.y);
  const timeline = await page.$$eval("#details-body .timeline li", (items) => items.map((li) => li.textContent));
  step("case-accepted", { taken, caseColour, timeline });

  // 5. A viewer sees the same case and no buttons.
  await useKey(keys.viewer);
  await waitDetails(created.id);
  const viewerButtons = await page.locator("#details-body button[data-action]").count();
  step("viewer", { viewerButtons, role: await page.textContent("#role") });

  // 6. Tablet width: map and panel both on screen, nothing wider than the window.
  await page.setViewportSize({ width: 820, height: 1180 });
  await idle();
  const tablet = await page.evaluate(() => {
    const m = document.getElementById("map").getBoundingClientRect();
    const p = document.getElementById("panel").getBoundingClientRect();
    return { mapHeight: m.height, mapWidth: m.width, panelTop: p.top, panelHeight: p.height, overflow: document.documentElement.scrollWidth - window.innerWidth };
  });
  await page.screenshot({ path: join(out, "tablet.png") });
  await page.setViewportSize({ width: 1366, height: 768 });
  step("tablet", tablet);

  // 7. A planner runs the stock storm and moves the slider to the peak.
  await useKey(keys.planner);
  await page.click("#tab-planner");
  const runScenario = async (name) => {
    await page.waitForSelector(`#stock option[value="${name}"]`, { state: "attached", timeout });
    await page.selectOption("#stock", name);
    await page.click("#scenario-start");
    await page.waitForFunction(() => ["completed", "failed", "cancelled"].includes(document.getElementById("run-status").dataset.status), null, { timeout: runTimeout });
    const status = await page.textContent("#run-status");
    if (!status.includes("completed")) throw new Error(`${name}: ${status}`);
    await page.waitForSelector("#run-view:not([hidden])", { timeout });
  };
  await runScenario("heavy-rainfall");
  const peak = await page.getAttribute("#run-view", "data-peak");
  // The deepest cell that had passed 0.15 m by the peak, land before river (the storm fills the river channel first).
  const flooded = await page.evaluate((minute) => {
    const run = window.cityTwin.run();
    const t = run.start + minute * 60000;
    const cells = run.result.layers.maxWaterDepth.features.filter((f) => f.properties.t015 <= t);
    cells.sort((a, b) => (b.properties.river ? 0 : 1) - (a.properties.river ? 0 : 1) || b.properties.maxDepthM - a.properties.maxDepthM);
    const f = cells[0];
    if (!f) return null;
    const ring = f.geometry.coordinates[0].slice(0, 4);
    return { id: f.id, depth: f.properties.maxDepthM, river: f.properties.river, firstAbove015At: f.properties.firstAbove015At,
      at: window.cityTwin.pointOf([ring.reduce((a, c) => a + c[0], 0) / 4, ring.reduce((a, c) => a + c[1], 0) / 4]) };
  }, Number(peak));
  if (!flooded) throw new Error("the storm flooded no cell by its peak");
  // The same cell at the start of the run (dry) and at the peak (flooded), as the slider moves.
  const startColour = await pixel(await shot("flood-start.png"), flooded.at.x, flooded.at.y);
  await page.locator("#time").fill(peak);
  await page.waitForFunction((p) => document.getElementById("run-view").dataset.minute === p, peak, { timeout });
  const floodPng = await shot("flood-peak.png");
  const floodColour = await pixel(floodPng, flooded.at.x, flooded.at.y);
  const floodTimeline = await page.$$eval("#run-timeline li", (items) => items.length);
  step("flood-peak", { peak: Number(peak), flooded, startColour, floodColour, floodTimeline, label: await page.textContent("#time-label") });

  // 8. The stock gas leak: the plume at the end of the run and the evacuation list.
  await runScenario("gas-leak");
  const end = await page.getAttribute("#time", "max");
  await page.locator("#time").fill(end);
  await page.waitForFunction((p) => document.getElementById("run-view").dataset.minute === p, end, { timeout });
  const plume = await page.evaluate(() => {
    const cells = window.cityTwin.run().result.layers.gasConcentration.features;
    cells.sort((a, b) => a.properties.ppm - b.properties.ppm);
    const f = cells.at(-1);
    if (!f) return null;
    const ring = f.geometry.coordinates[0].slice(0, 4);
    return { id: f.id, ppm: f.properties.ppm, at: window.cityTwin.pointOf([ring.reduce((a, c) => a + c[0], 0) / 4, ring.reduce((a, c) => a + c[1], 0) / 4]) };
  });
  if (!plume) throw new Error("the gas run has no plume cell");
  // Gas building markers sit on building centroids; sample the plume where no marker is drawn: the cell's centre may hold one.
  const gasPng = await shot("gas-run.png");
  const gasColour = await pixel(gasPng, plume.at.x, plume.at.y);
  const evacuation = await page.$$eval("#run-list li", (items) => items.map((li) => li.textContent));
  step("gas-run", { plume, gasColour, evacuation: evacuation.length, first: evacuation[0] ?? null });

  result.errors = errors;
  result.foreign = foreign;
  writeFileSync(join(out, "result.json"), JSON.stringify(result, null, 2));
  console.log("RESULT " + JSON.stringify(result));
  process.exitCode = 0;
} catch (e) {
  console.error("FAIL " + (e && e.stack ? e.stack : e));
  console.log("RESULT " + JSON.stringify(result));
  process.exitCode = 1;
} finally {
  // Disconnects only: the browser process belongs to the C# test, which kills it.
  await browser?.close().catch(() => {});
}
