// The operations map: the twin's own geometry as the base layer (no tile server), the live state on top, pushes from
// the hub, a side panel for whatever is clicked, and a planner view that runs scenarios and scrubs their layers in
// time. Libraries come from npm through the build (lib/): MapLibre GL (ES module), SignalR and uPlot (globals).
import * as maplibregl from "./lib/maplibre-gl.mjs";

const $ = (id) => document.getElementById(id);
const KEY_STORAGE = "citytwin.apiKey";
const MAX_ALERTS = 200; // a live view, not an archive: keep the DOM small on a busy night
const TRAIL_POINTS = 8;
const FLUSH_MS = 150; // pushes are batched into one redraw per source at most this often
const URGENT_MS = 0; // ... except a change of status (an alarm), which is drawn on the next frame
const ROLES = ["viewer", "operator", "planner", "admin"];
const OPEN_CASE = (s) => s !== "closed" && s !== "rejected";
// Status and kind names are compared without case or separators, so "lowBattery", "low-battery" and "LowBattery" agree.
const norm = (s) => String(s ?? "").replace(/[-_ ]/g, "").toLowerCase();

const COLOURS = {
  alarm: "#e00000", offline: "#6b6b6b", lowbattery: "#e0a000", normal: "#2e9d5b",
  vehicle: "#1565c0", responder: "#00897b", station: "#37474f", case: "#8e24aa",
};

const state = {
  key: sessionStorage.getItem(KEY_STORAGE) ?? "",
  role: null,
  features: {}, // type -> Map(id -> GeoJSON feature)
  trails: new Map(), // vehicle/responder id -> [[lon, lat], ...]
  cases: new Map(), // case id -> summary
  dirty: new Set(),
  flushTimer: 0,
  connection: null,
  selected: null,
  run: null,
  ready: false,
  loaded: false,
  paintedAt: null,
  labels: [],
  timings: {}, // where the first paint's time went (ms since navigation), for the speed report
};

// ---- HTTP ---------------------------------------------------------------------------------------
async function api(path, options = {}) {
  const headers = { ...(options.headers ?? {}) };
  if (state.key) headers["X-Api-Key"] = state.key;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { ...options, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error((body && (body.detail || body.title)) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

function setStatus(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

const roleAtLeast = (role) => state.role !== null && ROLES.indexOf(state.role) >= ROLES.indexOf(role);

// ---- Map and layers -----------------------------------------------------------------------------
const map = new maplibregl.Map({
  container: "map",
  // Nothing outside the server: no tiles, no glyphs, no sprites. Area names are HTML markers instead of symbol layers.
  style: { version: 8, sources: {}, layers: [{ id: "background", type: "background", paint: { "background-color": "#e8edf1" } }] },
  center: [104.0657, 30.6595],
  zoom: 13,
  attributionControl: false,
  canvasContextAttributes: { preserveDrawingBuffer: true },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-left");
map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");

const empty = () => ({ type: "FeatureCollection", features: [] });
const FEATURE_STATE = new Set(["building", "cell"]);
// The live status of a building or cell: its feature state once a push has changed it, else the status it was loaded with.
const ST = ["coalesce", ["feature-state", "st"], ["get", "st"]];
const SOURCES = ["cell", "heat", "area", "building", "station", "geofence", "gauge", "trail", "sensor", "vehicle", "responder", "case",
  "flood", "gas", "gasBuilding", "drillTrack", "drillUnit", "selected"];
// In priority order: an alarmed sensor is drawn over the case it raised (the case is in the list of open cases too).
const CLICKABLE = ["sensor-dot", "case-dot", "sensor-normal", "vehicle-dot", "responder-dot", "gauge-dot", "station-dot", "gas-building-dot", "building-fill", "flood-fill", "gas-fill", "cell-fill"];

function addLayers() {
  // Buildings and cells change only their status while the page is open: that goes into feature state (no re-tiling of
  // their sources), so their string ids are promoted to feature ids.
  for (const s of SOURCES) map.addSource(s, { type: "geojson", data: empty(), ...(FEATURE_STATE.has(s) ? { promoteId: "id" } : {}) });
  const radius = (small, large) => ["interpolate", ["linear"], ["zoom"], 12, small, 17, large];
  map.addLayer({ id: "cell-fill", type: "fill", source: "cell", paint: {
    "fill-color": ["match", ST, "flooded", "#4a90d9", "wet", "#a9cbea", ["match", ["get", "k"], "river", "#6aa6dc", "#e8edf1"]],
    "fill-opacity": ["match", ["get", "k"], "river", 0.9, 0.5] } });
  map.addLayer({ id: "cell-line", type: "line", source: "cell", minzoom: 13.5, paint: { "line-color": "#cfd8df", "line-width": 0.5 } });
  map.addLayer({ id: "heat-fill", type: "fill", source: "heat", layout: { visibility: "none" }, paint: {
    "fill-color": ["interpolate", ["linear"], ["get", "count"], 1, "#ffffb2", 3, "#fd8d3c", 8, "#bd0026"], "fill-opacity": 0.75 } });
  map.addLayer({ id: "area-line", type: "line", source: "area", filter: ["!=", ["get", "k"], "grid"], paint: {
    "line-color": ["match", ["get", "k"], "district", "#123", "street", "#345", "#678"],
    "line-width": ["match", ["get", "k"], "district", 2.5, "street", 2, 1.2] } });
  map.addLayer({ id: "grid-line", type: "line", source: "area", filter: ["==", ["get", "k"], "grid"], minzoom: 13, paint: {
    "line-color": "#9ab", "line-width": 0.6, "line-dasharray": [2, 2] } });
  map.addLayer({ id: "building-fill", type: "fill", source: "building", paint: {
    "fill-color": ["match", ST, "alarm", COLOURS.alarm, "evacuating", "#ff7043", "#9aa5ae"], "fill-opacity": 0.85 } });
  map.addLayer({ id: "geofence-line", type: "line", source: "geofence", paint: { "line-color": "#795548", "line-width": 1.2, "line-dasharray": [3, 2] } });
  map.addLayer({ id: "flood-fill", type: "fill", source: "flood", paint: { "fill-color": "rgba(0,0,0,0)", "fill-opacity": 0.85 } });
  map.addLayer({ id: "gas-fill", type: "fill", source: "gas", paint: {
    "fill-color": ["interpolate", ["linear"], ["ln", ["max", 1, ["get", "ppm"]]], 0, "#fee6ce", 4.6, "#fdae6b", 6.9, "#e6550d", 9.2, "#7f2704"],
    "fill-opacity": 0.8 } });
  map.addLayer({ id: "station-dot", type: "circle", source: "station", paint: {
    "circle-color": COLOURS.station, "circle-radius": radius(4, 8), "circle-stroke-color": "#fff", "circle-stroke-width": 1.5 } });
  map.addLayer({ id: "gauge-dot", type: "circle", source: "gauge", paint: {
    "circle-color": ["match", ["get", "tier"], "red", "#d50000", "orange", "#ff6d00", "yellow", "#ffd600", "blue", "#2962ff", "#00c853"],
    "circle-radius": radius(5, 10), "circle-stroke-color": "#123", "circle-stroke-width": 2 } });
  map.addLayer({ id: "trail-line", type: "line", source: "trail", paint: {
    "line-color": ["match", ["get", "t"], "responder", COLOURS.responder, COLOURS.vehicle], "line-width": 2, "line-opacity": 0.6 } });
  map.addLayer({ id: "case-dot", type: "circle", source: "case", paint: {
    "circle-color": ["match", ["get", "st"], "reported", "#ab47bc", "verified", "#8e24aa", "dispatched", "#6a1b9a", "accepted", "#4a148c", "#311b92"],
    "circle-radius": radius(6, 10), "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
  // Thinned by zoom: sensors in a state worth seeing are always drawn, the normal ones only close up. Sensors installed
  // in a building (most of them, at its centre) are drawn through their building while normal, so the sensor source
  // holds the street sensors and the home sensors that need attention.
  map.addLayer({ id: "sensor-normal", type: "circle", source: "sensor", minzoom: 13.5, filter: ["==", ["get", "st"], "normal"], paint: {
    "circle-color": COLOURS.normal, "circle-radius": radius(1.5, 4) } });
  map.addLayer({ id: "sensor-dot", type: "circle", source: "sensor", filter: ["!=", ["get", "st"], "normal"], paint: {
    "circle-color": ["match", ["get", "st"], "alarm", COLOURS.alarm, "offline", COLOURS.offline, "lowbattery", COLOURS.lowbattery, COLOURS.normal],
    "circle-radius": ["interpolate", ["linear"], ["zoom"], 12, ["match", ["get", "st"], "alarm", 6, 3], 17, ["match", ["get", "st"], "alarm", 11, 6]],
    "circle-stroke-color": "#fff", "circle-stroke-width": ["match", ["get", "st"], "alarm", 1.5, 0] },
    layout: { "circle-sort-key": ["match", ["get", "st"], "alarm", 3, 2] } });
  map.addLayer({ id: "vehicle-dot", type: "circle", source: "vehicle", paint: {
    "circle-color": COLOURS.vehicle, "circle-radius": radius(3.5, 7), "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
  map.addLayer({ id: "responder-dot", type: "circle", source: "responder", paint: {
    "circle-color": COLOURS.responder, "circle-radius": radius(3, 6), "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
  map.addLayer({ id: "drill-track", type: "line", source: "drillTrack", paint: { "line-color": "#1565c0", "line-width": 3, "line-dasharray": [2, 1] } });
  map.addLayer({ id: "drill-unit", type: "circle", source: "drillUnit", paint: {
    "circle-color": "#1565c0", "circle-radius": 6, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
  map.addLayer({ id: "gas-building-dot", type: "circle", source: "gasBuilding", paint: {
    "circle-color": ["match", ["get", "tier"], "evacuate", "#7f2704", "alarm", "#e6550d", "#fdae6b"], "circle-radius": radius(3, 7),
    "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
  map.addLayer({ id: "selected-ring", type: "circle", source: "selected", filter: ["==", ["geometry-type"], "Point"], paint: {
    "circle-color": "rgba(0,0,0,0)", "circle-radius": 14, "circle-stroke-color": "#ffd600", "circle-stroke-width": 3 } });
  map.addLayer({ id: "selected-outline", type: "line", source: "selected", filter: ["==", ["geometry-type"], "Polygon"], paint: {
    "line-color": "#ffd600", "line-width": 3 } });
}

function collection(type) {
  if (!state.features[type]) state.features[type] = new Map();
  return state.features[type];
}

function markDirty(source, urgent) {
  state.dirty.add(source);
  if (urgent && state.flushTimer && !state.flushUrgent) { clearTimeout(state.flushTimer); state.flushTimer = 0; }
  if (!state.flushTimer) {
    state.flushUrgent = Boolean(urgent);
    state.flushTimer = setTimeout(flush, urgent ? URGENT_MS : FLUSH_MS);
  }
}

function flush() {
  state.flushTimer = 0;
  state.flushUrgent = false;
  for (const source of state.dirty) {
    const data = source === "trail" ? trailCollection() : { type: "FeatureCollection", features: [...collection(source).values()] };
    map.getSource(source)?.setData(data);
  }
  state.dirty.clear();
}

function trailCollection() {
  const features = [];
  for (const [id, points] of state.trails) {
    if (points.length > 1) {
      features.push({ type: "Feature", properties: { id, t: collection("responder").has(id) ? "responder" : "vehicle" }, geometry: { type: "LineString", coordinates: points } });
    }
  }
  return { type: "FeatureCollection", features };
}

// Styling reads "st" (status) and "k" (kind), normalised once here.
function styled(feature) {
  const p = feature.properties;
  p.st = norm(p.status);
  p.k = norm(p.kind);
  if (p.tier !== undefined) p.tier = norm(p.tier);
  return feature;
}

async function fetchType(type) {
  const data = await api(`/api/map/features?type=${type}${type === "sensor" ? "&homeSensors=attention" : ""}`);
  state.timings[`fetched.${type}`] = Math.round(performance.now());
  return data;
}

// Hands a layer's features to MapLibre (its worker tiles them) and keeps them by id for pushes, clicks and the panel.
function applyType(type, data) {
  const byId = collection(type);
  byId.clear();
  for (const f of data.features) byId.set(f.id, styled(f));
  map.getSource(type).setData(data);
  // Home sensors in their normal state are drawn through their building: count them there.
  return type === "building" ? data.features.reduce((n, f) => n + 1 + (f.properties.sensors ?? 0), 0) : data.features.filter((f) => type !== "sensor" || !f.properties.buildingId).length;
}

function ringCentre(ring) {
  let lon = 0, lat = 0;
  const n = ring.length > 1 && ring[0][0] === ring.at(-1)[0] && ring[0][1] === ring.at(-1)[1] ? ring.length - 1 : ring.length;
  for (let i = 0; i < n; i++) { lon += ring[i][0]; lat += ring[i][1]; }
  return [lon / n, lat / n];
}

function featureCentre(f) {
  return f.geometry.type === "Point" ? f.geometry.coordinates : ringCentre(f.geometry.coordinates[0]);
}

function drawAreaLabels() {
  for (const m of state.labels) m.remove();
  state.labels = [];
  for (const f of collection("area").values()) {
    const kind = f.properties.k;
    if ((kind !== "street" && kind !== "community") || f.geometry.type !== "Polygon") continue;
    const el = document.createElement("div");
    el.className = "area-label " + kind;
    el.textContent = f.properties.name || f.id;
    state.labels.push(new maplibregl.Marker({ element: el }).setLngLat(ringCentre(f.geometry.coordinates[0])).addTo(map));
  }
  showLabelsForZoom();
}

function showLabelsForZoom() {
  const z = map.getZoom();
  for (const m of state.labels) {
    const el = m.getElement();
    el.style.display = el.classList.contains("community") && z < 13.5 ? "none" : "";
  }
}

function fitDistrict() {
  const district = [...collection("area").values()].find((f) => f.properties.k === "district" && f.geometry.type === "Polygon");
  const ring = district ? district.geometry.coordinates[0] : [...collection("cell").values()].flatMap((f) => f.geometry.coordinates[0]);
  if (!ring.length) return;
  const lons = ring.map((c) => c[0]), lats = ring.map((c) => c[1]);
  map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 16, animate: false });
}

// ---- Loading the twin ---------------------------------------------------------------------------
async function loadAll() {
  setStatus("Loading the twin…");
  const started = performance.now();
  state.timings.started = Math.round(started);
  const counts = {};
  // Every request at once; each layer is handed to MapLibre as soon as it arrives (the district's outline first, so
  // the view is fitted before the tiles are cut).
  const types = ["area", "cell", "building", "station", "geofence", "gauge", "sensor", "vehicle", "responder"];
  const fetched = Object.fromEntries(types.map((t) => [t, fetchType(t)]));
  const others = Promise.all([loadCases(), loadAlerts(), loadHeat().then(loadKpis)]);
  counts.area = applyType("area", await fetched.area);
  fitDistrict();
  drawAreaLabels();
  await Promise.all(types.filter((t) => t !== "area").map(async (t) => { counts[t] = applyType(t, await fetched[t]); }));
  // Home sensors that need attention are in the sensor layer but counted with their building already.
  await others;
  state.timings.dataGiven = Math.round(performance.now());
  const total = Object.values(counts).reduce((a, b) => a + b, 0) + state.cases.size;
  await whenIdle();
  state.paintedAt = performance.now();
  state.timings.idle = Math.round(state.paintedAt);
  document.body.dataset.paintMs = String(Math.round(state.paintedAt));
  document.body.dataset.entities = String(total);
  setStatus(`${total.toLocaleString()} entities in ${((state.paintedAt - started) / 1000).toFixed(1)} s; live.`);
}

async function loadCases() {
  const list = await api("/api/cases?pageSize=1000");
  state.cases.clear();
  for (const c of list.items) state.cases.set(c.id, { ...c, status: norm(c.status) === "inprogress" ? "in-progress" : c.status });
  redrawCases();
}

function redrawCases() {
  const byId = collection("case");
  byId.clear();
  for (const c of state.cases.values()) {
    if (!OPEN_CASE(c.status) || !c.location) continue;
    byId.set(c.id, { type: "Feature", id: c.id, properties: { id: c.id, status: c.status, st: norm(c.status), category: c.category, severity: c.severity },
      geometry: { type: "Point", coordinates: c.location } });
  }
  markDirty("case");
  renderCaseStages();
}

function renderCaseStages() {
  const now = Date.now();
  const stages = new Map();
  for (const c of state.cases.values()) {
    if (!OPEN_CASE(c.status)) continue;
    const s = stages.get(c.status) ?? { n: 0, oldest: now };
    s.n++;
    s.oldest = Math.min(s.oldest, Date.parse(c.reportedAt) || now);
    stages.set(c.status, s);
  }
  const open = [...stages.values()].reduce((a, s) => a + s.n, 0);
  $("case-count").textContent = `(${open})`;
  $("case-stages").replaceChildren(...[...stages].map(([status, s]) => {
    const span = document.createElement("span");
    span.textContent = `${status}: ${s.n} (oldest ${age(now - s.oldest)})`;
    return span;
  }));
  const newest = [...state.cases.values()].filter((c) => OPEN_CASE(c.status)).sort((a, b) => String(b.reportedAt).localeCompare(String(a.reportedAt))).slice(0, 50);
  $("case-list").replaceChildren(...newest.map((c) => {
    const li = text("li", `${c.category} · ${c.status} · ${age(now - (Date.parse(c.reportedAt) || now))}`, norm(c.severity));
    li.dataset.caseId = c.id;
    li.addEventListener("click", () => select("case", c.id));
    return li;
  }));
}

function age(ms) {
  const m = Math.max(0, Math.round(ms / 60000));
  return m < 60 ? `${m} min` : m < 2880 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} d`;
}

async function loadAlerts() {
  const { items } = await api(`/api/alerts?limit=${MAX_ALERTS}`);
  $("alerts").replaceChildren();
  for (const a of items.reverse()) addAlert(a);
}

function addAlert(alert) {
  const li = document.createElement("li");
  li.className = `${norm(alert.channel)} ${norm(alert.severity)}`;
  li.dataset.entityId = alert.entityId ?? "";
  const title = document.createElement("div");
  title.textContent = alert.message;
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = [alert.channel, alert.severity, alert.kind, alert.entityId, alert.at ? new Date(alert.at).toLocaleTimeString() : ""].filter((s) => s).join(" · ");
  li.append(title, meta);
  li.addEventListener("click", () => alert.entityId && selectById(alert.entityId));
  const list = $("alerts");
  list.prepend(li);
  while (list.children.length > MAX_ALERTS) list.lastElementChild.remove();
  $("alert-count").textContent = `(${list.children.length})`;
}

async function loadHeat() {
  const heat = await api("/api/heatmap");
  map.getSource("heat").setData(heat);
  return heat;
}

async function loadKpis(heat) {
  const kpi = await api("/api/kpis");
  const box = $("kpis");
  box.replaceChildren();
  const line = document.createElement("div");
  line.textContent = `Reported ${kpi.reported}, closed ${kpi.closed}, closure rate ${kpi.closureRate == null ? "–" : Math.round(kpi.closureRate * 100) + " %"}, overdue open ${kpi.overdueOpen}`;
  box.append(line);
  // Stage medians as bars, scaled to the slowest stage.
  const stages = Object.entries(kpi.stages ?? {}).filter(([, s]) => s.medianSeconds != null);
  const longest = Math.max(1, ...stages.map(([, s]) => s.medianSeconds));
  const bars = document.createElement("div");
  bars.className = "bars";
  for (const [name, s] of stages) {
    const row = document.createElement("div");
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = `${Math.max(2, (s.medianSeconds / longest) * 160)}px`;
    row.append(`${name} `, bar, ` ${age(s.medianSeconds * 1000)}`);
    bars.append(row);
  }
  box.append(bars);
  // Hour of day x weekday (local time) as a shaded matrix.
  const counts = heat.hourOfDayByWeekday?.counts ?? [];
  const days = heat.hourOfDayByWeekday?.weekdays ?? [];
  const peak = Math.max(1, ...counts.flat());
  const matrix = document.createElement("div");
  matrix.className = "matrix";
  matrix.title = "cases by hour of day (columns) and weekday (rows)";
  counts.forEach((row, d) => {
    const label = document.createElement("div");
    label.textContent = days[d] ?? "";
    matrix.append(label);
    for (const n of row) {
      const cell = document.createElement("div");
      cell.style.background = `rgba(189, 0, 38, ${n / peak})`;
      cell.title = `${days[d]}: ${n}`;
      matrix.append(cell);
    }
  });
  box.append(matrix);
}

// ---- Live pushes --------------------------------------------------------------------------------
async function connectHub() {
  if (state.connection) await state.connection.stop().catch(() => {});
  // WebSockets straight away: a browser cannot send the X-Api-Key header, so the key travels as access_token.
  const connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/twin", { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets, accessTokenFactory: () => state.key })
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.None)
    .build();
  connection.on("alert", addAlert);
  connection.on("warning", addAlert);
  connection.on("entityChanged", onEntityChanged);
  connection.on("caseChanged", onCaseChanged);
  connection.on("scenarioProgress", onScenarioProgress);
  // Subscriptions live with the connection: after a reconnect the server knows none of them.
  connection.onreconnected(() => connection.invoke("Subscribe", {}).catch((e) => setStatus("Resubscribe failed: " + e.message, true)));
  connection.onreconnecting(() => setStatus("Connection lost; reconnecting…", true));
  state.connection = connection;
  await connection.start();
  await connection.invoke("Subscribe", {});
}

function onEntityChanged(e) {
  const type = norm(e.type);
  const byId = state.features[type];
  if (!byId) return;
  const existing = byId.get(e.id);
  const statusChanged = norm(existing?.properties.status) !== norm(e.status);
  if (FEATURE_STATE.has(type) && existing) {
    // Only the status changes: feature state redraws without re-tiling the source.
    Object.assign(existing.properties, { status: e.status, value: e.value });
    styled(existing);
    map.setFeatureState({ source: type, id: e.id }, { st: existing.properties.st });
    if (state.selected?.id === e.id) refreshSelected();
    return;
  }
  if (type === "sensor" && e.buildingId && norm(e.status) === "normal") {
    // A home sensor back to normal is drawn through its building again.
    if (existing) { byId.delete(e.id); markDirty(type, true); }
    if (state.selected?.id === e.id) refreshSelected();
    return;
  }
  const feature = existing ?? { type: "Feature", id: e.id, properties: { id: e.id }, geometry: null };
  Object.assign(feature.properties, { kind: e.kind, status: e.status, value: e.value, unit: e.unit, ...(e.buildingId ? { buildingId: e.buildingId } : {}) });
  if (e.properties?.tier !== undefined) feature.properties.tier = e.properties.tier;
  styled(feature);
  if (type === "vehicle" || type === "responder" || !existing) {
    if (e.shape && e.shape.length >= 3 && type !== "cell") feature.geometry = { type: "Polygon", coordinates: [e.shape] };
    else if (type !== "cell" || !existing) feature.geometry = { type: "Point", coordinates: e.position };
  }
  if (!feature.geometry) return;
  byId.set(e.id, feature);
  if (type === "vehicle" || type === "responder") {
    const trail = state.trails.get(e.id) ?? [];
    const last = trail.at(-1);
    if (!last || last[0] !== e.position[0] || last[1] !== e.position[1]) trail.push(e.position);
    while (trail.length > TRAIL_POINTS) trail.shift();
    state.trails.set(e.id, trail);
    markDirty("trail");
  }
  markDirty(type, statusChanged);
  if (state.selected?.id === e.id) refreshSelected();
}

function onCaseChanged(c) {
  const existing = state.cases.get(c.caseId) ?? {};
  state.cases.set(c.caseId, { ...existing, id: c.caseId, status: c.status, category: c.category, severity: c.severity, location: c.location,
    reportedAt: existing.reportedAt ?? c.at, assignee: c.assignee });
  redrawCases();
  if (state.selected?.id === c.caseId) refreshSelected();
}

// ---- Selection and the side panel ---------------------------------------------------------------
const LAYER_TYPE = { "case-dot": "case", "sensor-dot": "sensor", "sensor-normal": "sensor", "vehicle-dot": "vehicle", "responder-dot": "responder", "gauge-dot": "gauge",
  "station-dot": "station", "building-fill": "building", "cell-fill": "cell", "gas-building-dot": "building", "flood-fill": "cell", "gas-fill": "cell" };

map.on("click", (e) => {
  const box = [[e.point.x - 4, e.point.y - 4], [e.point.x + 4, e.point.y + 4]];
  const layers = CLICKABLE.filter((l) => map.getLayer(l) && map.getLayoutProperty(l, "visibility") !== "none");
  const hits = map.queryRenderedFeatures(box, { layers });
  if (!hits.length) return;
  // The most specific thing under the pointer: CLICKABLE is in priority order.
  hits.sort((a, b) => layers.indexOf(a.layer.id) - layers.indexOf(b.layer.id));
  const hit = hits[0];
  select(LAYER_TYPE[hit.layer.id], hit.properties.id ?? hit.id);
});
for (const layer of CLICKABLE) {
  map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
  map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
}

function typeOf(id) {
  if (state.cases.has(id)) return "case";
  for (const [type, byId] of Object.entries(state.features)) if (byId.has(id)) return type;
  return null;
}

// A building's sensors that are normal are not in the sensor layer: the relation names their type.
function selectById(id, hint) {
  const type = typeOf(id) ?? hint;
  if (type) select(type, id);
}

async function select(type, id) {
  state.selected = { type, id };
  const f = type === "case" ? collection("case").get(id) : collection(type).get(id);
  map.getSource("selected").setData({ type: "FeatureCollection", features: f ? [f] : [] });
  $("details").hidden = false;
  $("details").dataset.type = type;
  $("details").dataset.id = id;
  $("details-title").textContent = `${type} ${id}`;
  await refreshSelected();
}

async function refreshSelected() {
  const sel = state.selected;
  if (!sel) return;
  const body = $("details-body");
  delete body.dataset.loaded;
  try {
    const nodes = sel.type === "case" ? await caseDetails(sel.id) : await entityDetails(sel.type, sel.id);
    if (state.selected !== sel) return;
    body.replaceChildren(...nodes);
    body.dataset.loaded = sel.id;
  } catch (e) {
    body.replaceChildren(text("p", `Could not load ${sel.id}: ${e.message}`));
  }
}

function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

function table(rows) {
  const t = document.createElement("table");
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === "") continue;
    const tr = t.insertRow();
    tr.insertCell().textContent = k;
    tr.insertCell().textContent = typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  return t;
}

async function entityDetails(type, id) {
  const f = await api(`/api/entities/${type}/${encodeURIComponent(id)}`);
  const p = f.properties;
  const skip = new Set(["relationships", "state", "position"]);
  const rows = Object.entries(p).filter(([k]) => !skip.has(k));
  const nodes = [table(rows)];
  const relations = document.createElement("div");
  relations.className = "relations";
  for (const [name, ids] of Object.entries(p.relationships ?? {})) {
    relations.append(`${name}: `);
    for (const rid of ids.slice(0, 30)) {
      const a = document.createElement("a");
      a.href = "#";
      a.textContent = rid;
      a.addEventListener("click", (ev) => { ev.preventDefault(); selectById(rid, name === "sensors" ? "sensor" : null); });
      relations.append(a);
    }
    relations.append(document.createElement("br"));
  }
  nodes.push(relations);
  if (p.state && typeof p.state === "object") {
    const scalars = Object.entries(p.state).filter(([, v]) => v === null || typeof v !== "object");
    if (scalars.length) nodes.push(text("h3", "State"), table(scalars));
  }
  if (type === "sensor" || type === "gauge") nodes.push(await historyChart(id));
  return nodes;
}

async function historyChart(id) {
  const box = document.createElement("div");
  box.className = "chart";
  const to = new Date();
  const from = new Date(to.getTime() - 24 * 3600 * 1000);
  const h = await api(`/api/sensors/${encodeURIComponent(id)}/history?from=${from.toISOString()}&to=${to.toISOString()}&every=15m`);
  box.append(text("h3", `Last 24 h (${h.unit ?? "value"}), per 15 min`));
  const xs = h.buckets.map((b) => Date.parse(b.start) / 1000);
  const series = (name) => h.buckets.map((b) => b[name]);
  const width = Math.min(330, $("panel").clientWidth - 30);
  new uPlot({
    width, height: 140, legend: { show: true },
    scales: { x: { time: true } },
    series: [{}, { label: "mean", stroke: "#1565c0", spanGaps: true }, { label: "max", stroke: "#c62828", spanGaps: true }, { label: "min", stroke: "#2e7d32", spanGaps: true }],
  }, [xs, series("mean"), series("max"), series("min")], box);
  box.dataset.buckets = String(h.buckets.length);
  box.dataset.readings = String(h.buckets.reduce((a, b) => a + b.count, 0));
  return box;
}

async function caseDetails(id) {
  const c = await api(`/api/cases/${encodeURIComponent(id)}`);
  state.cases.set(c.id, { ...(state.cases.get(c.id) ?? {}), id: c.id, status: c.status, category: c.category, severity: c.severity, location: c.location, reportedAt: c.reportedAt });
  const nodes = [table([["status", c.status], ["category", c.category], ["severity", c.severity], ["source", c.source], ["department", c.department],
    ["level", c.level], ["assignee", c.assignee], ["due", c.dueAt && new Date(c.dueAt).toLocaleString()], ["overdue", c.overdue ? "yes" : ""],
    ["building", c.buildingId], ["grid", c.gridId], ["description", c.description]])];
  const status = text("p", c.status, "case-status");
  status.id = "case-status";
  nodes.unshift(status);
  // Only a key that may write sees the buttons; the server still checks every transition.
  const actions = document.createElement("div");
  actions.className = "actions";
  if (roleAtLeast("operator")) {
    for (const action of c.allowedActions) {
      const b = text("button", action);
      b.type = "button";
      b.dataset.action = action;
      b.addEventListener("click", () => transition(c, action, b));
      actions.append(b);
    }
  }
  nodes.push(actions);
  nodes.push(text("h3", "Timeline"));
  const timeline = document.createElement("ol");
  timeline.className = "timeline";
  for (const entry of c.timeline) {
    const li = text("li", `${new Date(entry.at).toLocaleString()} ${entry.action}: ${entry.from} → ${entry.to} by ${entry.actor}${entry.note ? " (" + entry.note + ")" : ""}`);
    timeline.append(li);
  }
  nodes.push(timeline);
  return nodes;
}

async function transition(c, action, button) {
  button.disabled = true;
  try {
    await api(`/api/cases/${encodeURIComponent(c.id)}/transitions`, { method: "POST", body: { action, actor: "operations map", note: `${action} from the map`, expectedSequence: c.timeline.length } });
    setStatus(`Case ${c.id}: ${action} done.`);
  } catch (e) {
    setStatus(`Case ${c.id}: ${action} refused: ${e.message}`, true);
  }
  await refreshSelected();
  redrawCases();
}

function closeDetails() {
  state.selected = null;
  $("details").hidden = true;
  map.getSource("selected").setData(empty());
}
$("details-close").addEventListener("click", closeDetails);

// ---- Layer toggles ------------------------------------------------------------------------------
function toggle(checkbox, layers) {
  const apply = () => { for (const l of layers) map.setLayoutProperty(l, "visibility", $(checkbox).checked ? "visible" : "none"); };
  $(checkbox).addEventListener("change", apply);
  return apply;
}
const layerToggles = [
  toggle("layer-cells", ["cell-fill", "cell-line"]),
  toggle("layer-sensors", ["sensor-dot", "sensor-normal"]),
  toggle("layer-mobile", ["vehicle-dot", "responder-dot", "trail-line"]),
  toggle("layer-cases", ["case-dot"]),
  toggle("layer-heat", ["heat-fill"]),
];

// ---- Planner view -------------------------------------------------------------------------------
function showView(view) {
  for (const b of document.querySelectorAll("nav button")) b.setAttribute("aria-selected", String(b.dataset.view === view));
  $("operations-view").hidden = view !== "operations";
  $("planner-view").hidden = view !== "planner";
  if (view === "planner") closeDetails();
  // A forecast reads best without the live points on top of it.
  $("layer-sensors").checked = $("layer-cases").checked = $("layer-mobile").checked = view === "operations";
  for (const apply of layerToggles) apply();
  if (view === "planner") loadStock();
}
for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => showView(b.dataset.view));

async function loadStock() {
  if (!roleAtLeast("planner")) {
    $("run-status").textContent = "Scenario runs need a planner key.";
    $("scenario-start").disabled = true;
    return;
  }
  $("scenario-start").disabled = false;
  const { stock } = await api("/api/scenarios/stock");
  const select = $("stock");
  const current = select.value;
  select.replaceChildren(...stock.map((name) => { const o = text("option", name); o.value = name; return o; }));
  if (stock.includes(current)) select.value = current;
}

$("scenario-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearRun();
  state.run = null;
  $("run-status").dataset.status = "starting";
  $("run-status").textContent = "Starting…";
  try {
    const file = $("scenario-file").files[0];
    const body = file ? { definition: JSON.parse(await file.text()) } : { stock: $("stock").value };
    const accepted = await api("/api/scenarios/runs", { method: "POST", body });
    state.run = { id: accepted.runId, status: accepted.status };
    $("run-status").textContent = `Run ${accepted.runId}: ${accepted.status}`;
    $("run-status").dataset.status = norm(accepted.status);
    pollRun(accepted.runId).catch((e) => {
      $("run-status").textContent = `Run ${accepted.runId}: ${e.message}`;
      $("run-status").dataset.status = "failed";
    });
  } catch (e) {
    $("run-status").textContent = `Not started: ${e.message}`;
    $("run-status").dataset.status = "failed";
  }
});

function onScenarioProgress(p) {
  if (state.run?.id !== p.runId) return;
  $("run-progress").value = p.progress;
  $("run-status").textContent = `Run ${p.runId} (${p.name}): ${p.status} ${Math.round(p.progress * 100)} %${p.message ? " – " + p.message : ""}`;
}

async function pollRun(id) {
  while (state.run?.id === id) {
    const run = await api(`/api/scenarios/runs/${id}`);
    const status = norm(run.status);
    $("run-progress").value = run.progress;
    if (status !== "queued" && status !== "running") {
      $("run-status").textContent = `Run ${id} (${run.name}): ${run.status}${run.error ? " – " + run.error : ""}`;
      $("run-status").dataset.status = status;
      if (run.result) showResult(run.result);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function clearRun() {
  for (const s of ["flood", "gas", "gasBuilding", "drillTrack", "drillUnit"]) map.getSource(s).setData(empty());
  $("run-view").hidden = true;
  $("run-progress").value = 0;
  delete $("run-view").dataset.peak;
}

const NEVER = 8.64e15; // the latest Date: a finite number, which survives any serialisation of the layer's data
const ms = (iso) => (iso ? Date.parse(iso) : NEVER);

function showResult(result) {
  const start = Date.parse(result.simulatedStart), end = Date.parse(result.simulatedEnd);
  const layers = result.layers ?? {};
  const run = { start, end, result, drill: [] };
  let peak = start;
  if (layers.maxWaterDepth) {
    for (const f of layers.maxWaterDepth.features) {
      f.properties.t015 = ms(f.properties.firstAbove015At);
      f.properties.t05 = ms(f.properties.firstAbove05At);
      if (f.properties.t015 < NEVER) peak = Math.max(peak, f.properties.t015);
    }
    map.getSource("flood").setData(layers.maxWaterDepth);
  }
  if (layers.gasConcentration) map.getSource("gas").setData(layers.gasConcentration);
  if (layers.buildingGas) map.getSource("gasBuilding").setData(layers.buildingGas);
  for (const incident of result.drill?.results ?? []) {
    const building = collection("building").get(incident.buildingId);
    if (!building) continue;
    const target = featureCentre(building);
    for (const u of incident.units ?? []) {
      const unit = collection("vehicle").get(u.unitId) ?? collection("responder").get(u.unitId);
      if (unit) run.drill.push({ from: unit.geometry.coordinates, to: target, t0: ms(u.dispatchedAt), t1: ms(u.arrivedAt), id: u.unitId });
      if (ms(u.arrivedAt) < NEVER) peak = Math.max(peak, ms(u.arrivedAt));
    }
  }
  if (peak > end) peak = end;
  state.run = { ...state.run, ...run };
  const minutes = Math.max(1, Math.round((end - start) / 60000));
  const slider = $("time");
  slider.max = String(minutes);
  slider.value = "0";
  $("run-view").dataset.peak = String(Math.round((peak - start) / 60000));
  $("run-view").hidden = false;
  // Warnings and alerts as marks along the slider.
  const marks = $("time-marks");
  marks.replaceChildren();
  for (const e of result.timeline ?? []) {
    if (!["warning", "alert", "gauge-level", "alarm"].includes(e.kind)) continue;
    const m = document.createElement("span");
    m.className = norm(e.severity);
    m.style.left = `${((Date.parse(e.at) - start) / (end - start || 1)) * 100}%`;
    m.title = e.message;
    marks.append(m);
  }
  $("run-figures").replaceChildren(table(Object.entries(result.figures ?? {}).filter(([k]) => !/Seconds$|Milliseconds$|M3$|Updates$/.test(k)).slice(0, 14)));
  const list = $("run-list");
  list.replaceChildren(...(result.evacuation ?? []).slice(0, 100).map((e) =>
    text("li", `${e.rank}. ${e.buildingId}: ${e.tier}, ${e.occupants} occupants (${e.elderly} elderly), ${e.measure} ${e.unit}`)));
  $("run-list-title").textContent = result.drill ? `Drill: ${result.drill.metTarget}/${result.drill.incidents} incidents met the ${result.drill.targetTravelSeconds} s target` : "Evacuation";
  showTime(0);
}

function showTime(minute) {
  const run = state.run;
  if (!run?.result) return;
  const t = run.start + minute * 60000;
  $("time-label").textContent = `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC (+${minute} min)`;
  // Flood depth by the time each cell first passed 0.15 m and 0.5 m; at the end, every cell the water reached.
  map.setPaintProperty("flood-fill", "fill-color", ["case",
    ["<=", ["get", "t05"], t], "#08306b",
    ["<=", ["get", "t015"], t], "#2171b5",
    t >= run.end ? "#9ecae1" : "rgba(0,0,0,0)"]);
  const tracks = [], units = [];
  for (const d of run.drill) {
    if (t < d.t0) continue;
    const f = Math.min(1, (t - d.t0) / Math.max(1, d.t1 - d.t0));
    const at = [d.from[0] + (d.to[0] - d.from[0]) * f, d.from[1] + (d.to[1] - d.from[1]) * f];
    tracks.push({ type: "Feature", properties: { id: d.id }, geometry: { type: "LineString", coordinates: [d.from, at] } });
    units.push({ type: "Feature", properties: { id: d.id }, geometry: { type: "Point", coordinates: at } });
  }
  map.getSource("drillTrack").setData({ type: "FeatureCollection", features: tracks });
  map.getSource("drillUnit").setData({ type: "FeatureCollection", features: units });
  const entries = (run.result.timeline ?? []).filter((e) => Date.parse(e.at) <= t).slice(-40).reverse();
  $("run-timeline").replaceChildren(...entries.map((e) =>
    text("li", `+${Math.round((Date.parse(e.at) - run.start) / 60000)} min ${e.kind}: ${e.message}`, norm(e.severity))));
  $("run-view").dataset.minute = String(minute);
}

$("time").addEventListener("input", () => showTime(Number($("time").value)));
$("time-peak").addEventListener("click", () => {
  $("time").value = $("run-view").dataset.peak ?? "0";
  showTime(Number($("time").value));
});

// ---- Key entry ----------------------------------------------------------------------------------
async function applyKey(key) {
  state.key = key;
  if (key) sessionStorage.setItem(KEY_STORAGE, key); else sessionStorage.removeItem(KEY_STORAGE);
  const session = await api("/api/session");
  state.role = session.role;
  $("role").textContent = session.role ?? (key ? "unknown key" : "no key");
  if (!session.role && !session.anonymousRead) {
    setStatus("Reads need a key: enter one above.", true);
    return false;
  }
  return true;
}

$("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  document.body.dataset.ready = "false";
  try {
    if (await applyKey($("key").value.trim())) await start();
  } catch (e) {
    setStatus(e.message, true);
  }
});

// ---- Start --------------------------------------------------------------------------------------
async function start() {
  document.body.dataset.ready = "false";
  // What the map shows does not depend on the role, so a change of key only reconnects (pushes follow the key).
  if (!state.loaded) {
    await loadAll();
    state.loaded = true;
  }
  await connectHub();
  if (!$("planner-view").hidden) await loadStock();
  if (state.selected) await refreshSelected();
  state.ready = true;
  document.body.dataset.ready = "true";
}

function whenIdle() {
  return new Promise((resolve) => {
    if (state.flushTimer) { clearTimeout(state.flushTimer); flush(); }
    map.once("idle", () => resolve());
    map.triggerRepaint();
  });
}

// Hooks for the browser tests and the speed measurements: where an entity is on screen, its status, and a promise of
// the next fully drawn frame.
window.cityTwin = {
  whenIdle,
  status: (type, id) => (type === "case" ? state.cases.get(id)?.status : collection(type).get(id)?.properties.status) ?? null,
  screenPoint(type, id) {
    const f = type === "case" ? collection("case").get(id) : collection(type).get(id);
    if (!f) return null;
    const p = map.project(featureCentre(f));
    const rect = map.getContainer().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  },
  pointOf(lonLat) {
    const p = map.project(lonLat);
    const rect = map.getContainer().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  },
  run: () => state.run,
  timings: state.timings,
  map,
};

map.on("zoom", showLabelsForZoom);
map.on("load", async () => {
  addLayers();
  $("key").value = state.key;
  try {
    if (await applyKey(state.key)) await start();
  } catch (e) {
    setStatus(e.message, true);
  }
});
