/*
 * pufa map.js: an interactive map as an enhancement, loaded only when the reader opens the map.
 *
 * Only used when mkdocs.yml configures a 天地图 (Tianditu) browser key. Leaflet is vendored in the
 * site (no CDN). Tianditu tiles are CGCS2000, which equals WGS-84 at this accuracy, so the WGS-84
 * points need no conversion. If the tiles fail (quota, network, a blocked key), the map is removed
 * and the build-time schematic stays, so the reader always has a map and the list.
 */
(function () {
  "use strict";
  var FAIL_LIMIT = 6;        // tile errors before giving up on the live map
  var LOAD_TIMEOUT = 8000;   // ms without a single tile before giving up

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function tiles(layer, key) {
    return "https://t{s}.tianditu.gov.cn/" + layer + "_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0" +
      "&LAYER=" + layer + "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + key;
  }

  function start(details) {
    var live = details.querySelector("[data-pufa-map]");
    if (!live || live.dataset.started) return;
    live.dataset.started = "1";
    var base = live.dataset.leaflet;
    var points = JSON.parse(live.querySelector(".pufa-map__points").textContent);
    var schematic = details.querySelector(".pufa-map__schematic");
    Promise.all([
      load("link", { rel: "stylesheet", href: base + "leaflet.css" }),
      load("script", { src: base + "leaflet.js" })
    ]).then(function () {
      var L = window.L;
      live.hidden = false;
      var map = L.map(live, { scrollWheelZoom: false }).setView([32.12, 112.76], 10);
      var errors = 0, loaded = 0;
      function giveUp() {
        map.remove();
        live.hidden = true;
        schematic.hidden = false;
        var note = document.createElement("p");
        note.className = "pufa-meta";
        note.textContent = "在线地图暂时无法加载，已显示示意图。";
        details.insertBefore(note, schematic);
      }
      ["vec", "cva"].forEach(function (layer) {
        L.tileLayer(tiles(layer, live.dataset.key), {
          subdomains: "01234567", maxZoom: 18,
          attribution: layer === "vec" ? "©天地图" : ""
        }).on("tileload", function () { loaded += 1; })
          .on("tileerror", function () { errors += 1; if (errors === FAIL_LIMIT && loaded === 0) giveUp(); })
          .addTo(map);
      });
      setTimeout(function () { if (loaded === 0 && live.isConnected && !live.hidden) giveUp(); }, LOAD_TIMEOUT);
      var bounds = [];
      points.forEach(function (p) {
        var marker = L.marker([p.lat, p.lon], { title: p.n + " " + p.title, alt: p.n + " " + p.title }).addTo(map);
        marker.bindPopup('<a href="' + live.dataset.base + "/" + p.url + '">' +
          p.n + ". " + p.title.replace(/</g, "&lt;") + "</a>");
        bounds.push([p.lat, p.lon]);
      });
      if (bounds.length > 1) map.fitBounds(bounds, { padding: [24, 24] });
      else if (bounds.length === 1) map.setView(bounds[0], 15);
      schematic.hidden = true;
    }).catch(function () { live.hidden = true; });
  }

  document.querySelectorAll("details.pufa-map").forEach(function (details) {
    var summary = details.querySelector("summary");
    if (summary) summary.textContent = "查看地图";
    details.addEventListener("toggle", function () { if (details.open) start(details); });
  });
})();
