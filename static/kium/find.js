/*
 * 돌봄 정보찾기: the facility map (지도서비스) and the facility page's small map.
 *
 *   div[data-find-map]           the map of a search: loads data-url (a JSON array of
 *                                {code, name, type, kind, district, lat, lng, address,
 *                                url, accepting}), clusters the markers, and makes the
 *                                list beside it follow the visible area
 *   div[data-facility-map]       one facility's location (data-lat, data-lng, data-name)
 *
 * Without this script the page is a search form and a paginated list, which is complete
 * on its own. Texts come from data-label-* attributes (translated by the template);
 * the CSP allows no inline script, so nothing here is written into the page as code.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 30;

  function label(el, name, values) {
    var text = el.getAttribute("data-label-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  function make(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = text;
    return el;
  }

  function readLabels() {
    var node = document.getElementById("find-labels");
    if (!node) return { types: {}, kinds: {}, districts: {} };
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return { types: {}, kinds: {}, districts: {} };
    }
  }

  function baseMap(el, options) {
    el.textContent = "";
    var map = L.map(el, {
      // Clustering needs a maximum zoom even when no tile layer sets one.
      maxZoom: 19,
      zoomControl: false,
      keyboard: true,
      scrollWheelZoom: options.scrollWheelZoom !== false,
    });
    L.control
      .zoom({
        zoomInTitle: label(el, "zoom-in") || "+",
        zoomOutTitle: label(el, "zoom-out") || "-",
      })
      .addTo(map);
    var tileUrl = el.getAttribute("data-tile-url");
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        attribution: el.getAttribute("data-tile-attribution") || "",
        maxZoom: 19,
      }).addTo(map);
    }
    // Leaflet names the popup's close button in English; give it the page's words.
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && label(el, "close")) {
        close.setAttribute("aria-label", label(el, "close"));
        close.setAttribute("title", label(el, "close"));
      }
    });
    return map;
  }

  // Explicit image addresses: Leaflet's own guess from its stylesheet breaks on the
  // hashed file names of production's static storage.
  function markerIcon(el) {
    var url = el.getAttribute("data-icon");
    if (!url) return new L.Icon.Default();
    return L.icon({
      iconUrl: url,
      iconRetinaUrl: el.getAttribute("data-icon-2x") || url,
      shadowUrl: el.getAttribute("data-icon-shadow") || "",
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41],
    });
  }

  function markerOptions(el, name) {
    if (!el.kiumIcon) el.kiumIcon = markerIcon(el);
    return { icon: el.kiumIcon, title: name, alt: name, keyboard: true, riseOnHover: true };
  }

  /* ---- the search map ------------------------------------------------------------- */

  function initFindMap(el) {
    if (typeof L === "undefined" || !L.markerClusterGroup) return;
    var labels = readLabels();
    var serverList = document.querySelector("[data-find-server-list]");
    var liveList = document.querySelector("[data-find-live-list]");
    var moreButton = document.querySelector("[data-find-more]");
    var pagination = document.querySelector("[data-find-pagination]");
    var count = document.getElementById("find-count");
    var centre = [
      parseFloat(el.getAttribute("data-centre-lat")) || 37.5665,
      parseFloat(el.getAttribute("data-centre-lng")) || 126.978,
    ];

    var map = baseMap(el, {});
    map.setView(centre, 11);
    var cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      iconCreateFunction: function (group) {
        var n = group.getChildCount();
        var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
        // The visible count and, for screen readers, what the button does.
        var html =
          '<div><span aria-hidden="true">' +
          n +
          '</span><span class="sr-only">' +
          label(el, "cluster", { n: n }).replace(/[<>&"]/g, "") +
          "</span></div>";
        return L.divIcon({
          html: html,
          className: "marker-cluster marker-cluster-" + size,
          iconSize: L.point(40, 40),
        });
      },
    });
    map.addLayer(cluster);

    var rows = [];
    var markers = {};
    var shown = PAGE_SIZE;

    function popupContent(row) {
      var box = make("div", "kium-find-popup");
      var title = make("p", "kium-find-popup-name");
      var link = make("a", "", row.name);
      link.href = row.url;
      title.appendChild(link);
      box.appendChild(title);
      box.appendChild(make("p", "kium-find-popup-meta", meta(row)));
      box.appendChild(make("p", "kium-find-popup-address", row.address));
      if (row.accepting) {
        box.appendChild(make("span", "kium-status is-active", label(el, "accepting")));
      }
      return box;
    }

    function meta(row) {
      var parts = [labels.types[row.type] || row.type];
      if (row.kind) parts.push(labels.kinds[row.kind] || row.kind);
      parts.push(labels.districts[row.district] || row.district);
      return parts.join(" · ");
    }

    function focusMarker(code) {
      var marker = markers[code];
      if (!marker) return;
      cluster.zoomToShowLayer(marker, function () {
        marker.openPopup();
        var icon = marker.getElement();
        if (icon) icon.focus();
      });
    }

    function listItem(row) {
      var item = make("li", "kium-find-item");
      item.setAttribute("data-code", row.code);
      var name = make("h3", "kium-find-name");
      var link = make("a", "", row.name);
      link.href = row.url;
      name.appendChild(link);
      item.appendChild(name);
      item.appendChild(make("p", "kium-find-meta", meta(row)));
      item.appendChild(make("p", "kium-find-address", row.address));
      var badges = make("p", "kium-find-badges");
      if (row.accepting) {
        badges.appendChild(make("span", "kium-status is-active", label(el, "accepting")));
      }
      var locate = make("button", "krds-btn xsmall tertiary kium-find-locate", label(el, "locate"));
      locate.type = "button";
      locate.appendChild(make("span", "sr-only", ": " + row.name));
      locate.addEventListener("click", function () {
        focusMarker(row.code);
      });
      badges.appendChild(locate);
      item.appendChild(badges);
      return item;
    }

    function visibleRows() {
      var bounds = map.getBounds();
      return rows.filter(function (row) {
        return bounds.contains([row.lat, row.lng]);
      });
    }

    var renderedKey = null;

    function renderList(resetPage) {
      if (resetPage) shown = PAGE_SIZE;
      var visible = visibleRows();
      // A move that leaves the same rows in view keeps the list as it is, so a link
      // being clicked (or holding the keyboard focus) is never swapped out under it.
      var key = visible
        .slice(0, shown)
        .map(function (row) {
          return row.code;
        })
        .join(",") + "|" + visible.length;
      if (key === renderedKey) return;
      renderedKey = key;
      liveList.textContent = "";
      if (!visible.length) {
        liveList.appendChild(make("li", "kium-find-item kium-empty", label(el, "empty")));
      }
      visible.slice(0, shown).forEach(function (row) {
        liveList.appendChild(listItem(row));
      });
      moreButton.hidden = visible.length <= shown;
      count.textContent = label(el, "count", { visible: visible.length, total: rows.length });
    }

    function showError() {
      // The server list stays; say why the map is empty.
      var note = make("p", "kium-find-map-error", label(el, "error"));
      note.setAttribute("role", "alert");
      el.parentNode.insertBefore(note, el.nextSibling);
    }

    moreButton.addEventListener("click", function () {
      var first = shown;
      shown += PAGE_SIZE;
      renderList(false);
      // Keep the keyboard where the new rows start.
      var next = liveList.children[first];
      var link = next && next.querySelector("a");
      if (link) link.focus();
    });

    fetch(el.getAttribute("data-url"), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        rows = data.filter(function (row) {
          return typeof row.lat === "number" && typeof row.lng === "number";
        });
        var layers = rows.map(function (row) {
          var marker = L.marker([row.lat, row.lng], markerOptions(el, row.name));
          marker.bindPopup(popupContent(row));
          markers[row.code] = marker;
          return marker;
        });
        cluster.addLayers(layers);
        if (layers.length) {
          map.fitBounds(cluster.getBounds(), { padding: [24, 24], maxZoom: 15 });
        }
        // From here on the list follows the map.
        serverList.hidden = true;
        if (pagination) pagination.hidden = true;
        liveList.hidden = false;
        renderList(true);
        map.on("moveend", function () {
          renderList(true);
        });
      })
      .catch(showError);
  }

  /* ---- one facility --------------------------------------------------------------- */

  function initFacilityMap(el) {
    if (typeof L === "undefined") return;
    var lat = parseFloat(el.getAttribute("data-lat"));
    var lng = parseFloat(el.getAttribute("data-lng"));
    if (isNaN(lat) || isNaN(lng)) return;
    var map = baseMap(el, { scrollWheelZoom: false });
    map.setView([lat, lng], 16);
    var name = el.getAttribute("data-name") || "";
    L.marker([lat, lng], markerOptions(el, name)).addTo(map);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-find-map]"), initFindMap);
    Array.prototype.forEach.call(
      document.querySelectorAll("[data-facility-map]"),
      initFacilityMap
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
