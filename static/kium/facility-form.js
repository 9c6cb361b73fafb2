/*
 * Facility registration and edit forms (FAC-2): the map location picker and the
 * 주소검색 dialog. Loaded after Leaflet (static/vendor/leaflet/leaflet.js) and kium.js.
 *
 * Hooks (no inline script, CSP script-src 'self'):
 *   #location-map[data-tile-url][data-tile-attribution][data-lat-input][data-lng-input]
 *       a Leaflet map; a click or a dragged marker fills the lat/lng inputs, and typing in
 *       those inputs moves the marker. The inputs stay the source of truth.
 *   [data-address-open]          the 주소검색 button; copies the typed address into the query
 *   [data-address-choice][data-road-address]   a result in the dialog; fills the address
 *       field ([data-address-input] or input[name=address]) and closes the dialog
 */
(function () {
  "use strict";

  var SEOUL_CITY_HALL = [37.5665, 126.978];
  var DECIMALS = 6;

  function facilityForm() {
    return document.querySelector("form[data-facility-form]");
  }

  function addressInput() {
    var form = facilityForm();
    return form ? form.querySelector("input[name=address]") : null;
  }

  /* ---- Map location picker ----------------------------------------------------------- */

  function readNumber(input) {
    if (!input || input.value.trim() === "") {
      return null;
    }
    var value = Number(input.value.trim());
    return isFinite(value) ? value : null;
  }

  function initMap(box) {
    if (!window.L) {
      box.hidden = true; // no Leaflet: the lat/lng fields still work by hand
      return;
    }
    var latInput = document.getElementById(box.getAttribute("data-lat-input"));
    var lngInput = document.getElementById(box.getAttribute("data-lng-input"));
    if (!latInput || !lngInput) {
      return;
    }
    var L = window.L;
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.getAttribute("data-tile-url"), {
      attribution: box.getAttribute("data-tile-attribution") || "",
      maxZoom: 19,
    }).addTo(map);
    var markerLabel = box.getAttribute("data-marker-label") || "";
    var marker = null;

    function place(latlng, fill) {
      if (!marker) {
        marker = L.marker(latlng, {
          draggable: true,
          keyboard: true,
          alt: markerLabel,
          title: markerLabel,
        }).addTo(map);
        marker.on("dragend", function () {
          fillInputs(marker.getLatLng());
        });
      } else {
        marker.setLatLng(latlng);
      }
      if (fill) {
        fillInputs(latlng);
      }
    }

    function fillInputs(latlng) {
      latInput.value = latlng.lat.toFixed(DECIMALS);
      lngInput.value = latlng.lng.toFixed(DECIMALS);
      [latInput, lngInput].forEach(function (input) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    function fromInputs() {
      var lat = readNumber(latInput);
      var lng = readNumber(lngInput);
      if (lat === null || lng === null || lat < -90 || lat > 90 || lng < -180 || lng > 180) {
        return null;
      }
      return L.latLng(lat, lng);
    }

    var start = fromInputs();
    if (start) {
      map.setView(start, 16);
      place(start, false);
    } else {
      map.setView(SEOUL_CITY_HALL, 11);
    }

    map.on("click", function (event) {
      place(event.latlng, true);
    });

    function onTyped() {
      var latlng = fromInputs();
      if (latlng) {
        place(latlng, false);
        map.panTo(latlng);
      }
    }
    latInput.addEventListener("input", onTyped);
    lngInput.addEventListener("input", onTyped);

    // The map may start inside a hidden or resized box; let Leaflet measure again.
    window.addEventListener("resize", function () {
      map.invalidateSize();
    });
    window.setTimeout(function () {
      map.invalidateSize();
    }, 0);
  }

  /* ---- 주소검색 dialog ---------------------------------------------------------------- */

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var opener = target.closest("[data-address-open]");
    if (opener) {
      // kium.js opens the dialog; this only carries over what was typed so far.
      var modal = document.getElementById(opener.getAttribute("data-modal-open"));
      var query = modal ? modal.querySelector("[data-address-query]") : null;
      var address = addressInput();
      if (query && address && !query.value && address.value) {
        query.value = address.value;
      }
      return;
    }
    var choice = target.closest("[data-address-choice]");
    if (choice && choice.hasAttribute("data-road-address")) {
      var field = addressInput();
      if (!field) {
        return;
      }
      field.value = choice.getAttribute("data-road-address");
      field.dispatchEvent(new Event("change", { bubbles: true }));
      var dialog = choice.closest(".krds-modal");
      var form = facilityForm();
      var detail = form ? form.querySelector("input[name=address_detail]") : null;
      if (dialog && window.Kium && window.Kium.closeModal) {
        dialog.kiumOpener = detail || field; // focus goes on to the 상세주소
        window.Kium.closeModal(dialog);
      } else if (detail) {
        detail.focus();
      }
    }
  });

  function init() {
    var box = document.getElementById("location-map");
    if (box) {
      initMap(box);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
