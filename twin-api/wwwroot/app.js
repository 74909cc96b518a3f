// Operations page: subscribes to the twin hub for an area or a box and lists live alerts and warnings (newest first)
// with a counter of entity changes. Plain DOM, no framework: the only dependency is the vendored SignalR client.
"use strict";

(() => {
  const MAX_ALERTS = 200; // the list is a live view, not an archive: keep the DOM small on a busy night
  const $ = (id) => document.getElementById(id);
  const status = $("status");
  let connection = null;
  let connectedKey = null;
  let subscriptionId = null;
  let entityChanges = 0;

  function setStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function readRequest() {
    const request = {};
    const bbox = $("bbox").value.trim();
    const area = $("area").value.trim();
    if (bbox) {
      const parts = bbox.split(",").map((s) => Number(s.trim()));
      if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
        throw new Error("The bounding box must be four numbers: minLon,minLat,maxLon,maxLat.");
      }
      request.bbox = parts;
    } else if (area) {
      request.areaId = area;
    }
    const types = $("types").value.split(",").map((s) => s.trim()).filter((s) => s);
    if (types.length) {
      request.types = types;
    }
    return request;
  }

  function addAlert(channel, alert) {
    const item = document.createElement("li");
    item.className = channel + " " + (alert.severity || "");
    item.dataset.alertId = alert.id;
    const title = document.createElement("div");
    title.textContent = alert.message;
    const meta = document.createElement("div");
    meta.className = "meta";
    const at = alert.at ? new Date(alert.at).toLocaleTimeString() : "";
    meta.textContent = [channel, alert.severity, alert.kind, alert.entityId, alert.communityId, at].filter((s) => s).join(" · ");
    item.append(title, meta);
    const list = $("alerts");
    list.prepend(item);
    while (list.children.length > MAX_ALERTS) {
      list.lastElementChild.remove();
    }
  }

  async function connect(key) {
    if (connection && connectedKey === key) {
      return connection;
    }
    if (connection) {
      await connection.stop();
    }
    // WebSockets straight away: a browser cannot send the X-Api-Key header, so the key travels as access_token.
    connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/twin", {
        skipNegotiation: true,
        transport: signalR.HttpTransportType.WebSockets,
        accessTokenFactory: () => key,
      })
      .withAutomaticReconnect()
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    connection.on("alert", (a) => addAlert("alert", a));
    connection.on("warning", (a) => addAlert("warning", a));
    connection.on("entityChanged", (e) => {
      entityChanges++;
      $("entity-count").textContent = String(entityChanges);
      $("entity-last").textContent = e.id + (e.status ? " (" + e.status + ")" : "") + (e.value != null ? " = " + e.value + (e.unit ? " " + e.unit : "") : "");
    });
    // Subscriptions live with the connection: after a reconnect the server knows none of them.
    connection.onreconnected(() => subscribe().catch((e) => setStatus("Resubscribe failed: " + e.message, true)));
    connection.onreconnecting(() => setStatus("Connection lost; reconnecting…", true));
    connection.onclose(() => setStatus("Disconnected.", true));
    await connection.start();
    connectedKey = key;
    subscriptionId = null;
    return connection;
  }

  async function subscribe() {
    const request = readRequest();
    const hub = await connect($("key").value.trim());
    if (subscriptionId) {
      await hub.invoke("Unsubscribe", subscriptionId);
      subscriptionId = null;
    }
    subscriptionId = await hub.invoke("Subscribe", request);
    const where = request.bbox ? "box " + request.bbox.join(", ") : "area " + (request.areaId || "district");
    setStatus("Subscribed (" + subscriptionId + ") to " + where + (request.types ? ", types " + request.types.join(", ") : "") + ".");
  }

  $("subscribe-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setStatus("Subscribing…");
    subscribe().catch((e) => {
      // A HubException's message arrives after SignalR's prefix; show just the server's reason.
      const text = String(e && e.message ? e.message : e).replace(/^.*HubException: /, "");
      setStatus("Subscription failed: " + text, true);
    });
  });
})();
