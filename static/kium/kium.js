/*
 * Kium — the pages' own behaviour, no dependencies (htmx is loaded beside it).
 *
 * Pages carry no inline script (CSP script-src 'self'); everything hangs on classes and
 * data attributes:
 *   nav[data-kium-menu]            main menu: buttons with aria-controls open their panel
 *   .kium-menu-toggle              "전체메뉴" button that shows the menu on small screens
 *   [data-modal-open="id"]         opens the KRDS modal #id; [data-modal-close] / .close-modal close it
 *   form[data-confirm="…"], button[data-confirm="…"]   ask before submitting
 *   header[data-idle-seconds]      back-office idle warning and automatic logout
 *   button[data-tree-toggle]       +/− of a department tree branch (aria-controls = its list)
 *   .kium-table-wrap               a table too wide for the screen scrolls sideways; the box
 *                                  then takes keyboard focus so it can be scrolled by keys
 * Kium.openModal(el, opener), Kium.closeModal(el) and Kium.csrfToken() are public.
 */
(function () {
  "use strict";

  var Kium = (window.Kium = window.Kium || {});
  var FOCUSABLE =
    'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  function toArray(list) {
    return Array.prototype.slice.call(list);
  }

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function focusables(root) {
    return toArray(root.querySelectorAll(FOCUSABLE)).filter(visible);
  }

  /* The CSRF token travels in the body's hx-headers, so fetch() calls use the same one
     htmx sends. */
  Kium.csrfToken = function () {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  };

  /* ---- Main menu: one panel open at a time; Esc closes and returns focus ------------ */
  function initMainMenu(nav) {
    var triggers = toArray(nav.querySelectorAll("button[aria-controls]"));

    function panelOf(trigger) {
      return document.getElementById(trigger.getAttribute("aria-controls"));
    }

    function isOpen(trigger) {
      return trigger.getAttribute("aria-expanded") === "true";
    }

    function setOpen(trigger, open) {
      var panel = panelOf(trigger);
      trigger.setAttribute("aria-expanded", open ? "true" : "false");
      trigger.classList.toggle("active", open);
      if (panel) {
        panel.classList.toggle("is-open", open);
      }
    }

    function closeAll(except) {
      triggers.forEach(function (t) {
        if (t !== except && isOpen(t)) {
          setOpen(t, false);
        }
      });
    }

    triggers.forEach(function (trigger, index) {
      trigger.addEventListener("click", function () {
        var open = !isOpen(trigger);
        closeAll(trigger);
        setOpen(trigger, open);
      });

      trigger.addEventListener("keydown", function (event) {
        var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (step) {
          event.preventDefault();
          var next = triggers[(index + step + triggers.length) % triggers.length];
          if (isOpen(trigger)) {
            closeAll();
            setOpen(next, true);
          }
          next.focus();
        } else if (event.key === "Home" || event.key === "End") {
          event.preventDefault();
          triggers[event.key === "Home" ? 0 : triggers.length - 1].focus();
        } else if (event.key === "ArrowDown") {
          event.preventDefault();
          closeAll(trigger);
          setOpen(trigger, true);
          var first = focusables(panelOf(trigger))[0];
          if (first) {
            first.focus();
          }
        }
      });
    });

    nav.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      var open = triggers.filter(isOpen)[0];
      if (open) {
        event.stopPropagation();
        setOpen(open, false);
        open.focus();
      }
    });

    // A panel closes when the pointer or the keyboard focus leaves the menu.
    document.addEventListener("click", function (event) {
      if (!nav.contains(event.target)) {
        closeAll();
      }
    });
    nav.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !nav.contains(event.relatedTarget)) {
        closeAll();
      }
    });
  }

  /* ---- "전체메뉴" on small screens ---------------------------------------------------- */
  function initMenuToggle(button) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) {
      return;
    }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      setOpen(open);
      if (open) {
        var first = focusables(nav)[0];
        if (first) {
          first.focus();
        }
      }
    });
    // Esc that no open panel handled closes the whole menu.
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  /* ---- KRDS modal: focus moves in, stays in, and returns to the opener ------------ */
  var openModals = [];

  function onModalKeydown(event) {
    var modal = openModals[openModals.length - 1];
    if (!modal) {
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      var escape = new CustomEvent("kium:modal-escape", { cancelable: true });
      if (modal.dispatchEvent(escape)) {
        Kium.closeModal(modal);
      }
      return;
    }
    if (event.key !== "Tab") {
      return;
    }
    var items = focusables(modal);
    if (!items.length) {
      event.preventDefault();
      return;
    }
    var first = items[0];
    var last = items[items.length - 1];
    var inside = modal.contains(document.activeElement);
    if (event.shiftKey && (!inside || document.activeElement === first)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (!inside || document.activeElement === last)) {
      event.preventDefault();
      first.focus();
    }
  }

  function focusInto(modal) {
    var target =
      modal.querySelector("[data-modal-initial-focus]") ||
      focusables(modal)[0] ||
      modal.querySelector(".modal-content");
    if (target) {
      target.focus();
    }
    return !target || document.activeElement === target;
  }

  Kium.openModal = function (modal, opener) {
    if (!modal || openModals.indexOf(modal) !== -1) {
      return;
    }
    modal.kiumOpener = opener || document.activeElement;
    modal.classList.add("shown");
    void modal.offsetWidth; // apply display:block before the fade starts
    modal.classList.add("in");
    var back = modal.querySelector(".modal-back");
    if (back) {
      back.classList.add("in");
    }
    openModals.push(modal);
    document.documentElement.classList.add("kium-modal-open");
    if (openModals.length === 1) {
      document.addEventListener("keydown", onModalKeydown);
    }
    // A fading modal may not take focus at once; try again for a few frames.
    var tries = 0;
    (function focusSoon() {
      if (!focusInto(modal) && openModals.indexOf(modal) !== -1 && ++tries < 20) {
        window.requestAnimationFrame(focusSoon);
      }
    })();
  };

  Kium.closeModal = function (modal) {
    var index = modal ? openModals.indexOf(modal) : -1;
    if (index === -1) {
      return;
    }
    openModals.splice(index, 1);
    modal.classList.remove("in", "shown");
    var back = modal.querySelector(".modal-back");
    if (back) {
      back.classList.remove("in");
    }
    if (!openModals.length) {
      document.documentElement.classList.remove("kium-modal-open");
      document.removeEventListener("keydown", onModalKeydown);
    }
    var opener = modal.kiumOpener;
    modal.kiumOpener = null;
    if (opener && opener !== document.body && document.contains(opener) && typeof opener.focus === "function") {
      opener.focus();
    }
  };

  /* ---- Clicks handled for the whole page (also for content htmx swaps in) ----------- */
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var opener = target.closest("[data-modal-open]");
    if (opener) {
      event.preventDefault();
      Kium.openModal(document.getElementById(opener.getAttribute("data-modal-open")), opener);
      return;
    }
    var closer = target.closest("[data-modal-close], .krds-modal .close-modal");
    if (closer) {
      Kium.closeModal(closer.closest(".krds-modal"));
      return;
    }
    var confirming = target.closest("button[data-confirm], input[type=submit][data-confirm]");
    if (confirming && !window.confirm(confirming.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    }
  });

  /* ---- Back office: idle warning, extension and automatic logout ------------------
     The server ends a staff session after N idle seconds (and 12 hours in all); see
     BackofficeSessionMiddleware. A minute before the end a dialog offers to extend; at
     zero the page goes to the login page. Before warning and before leaving, the page
     asks the server (a passive status request that does not count as activity) how
     much time is really left: work in another tab may have extended the session. Tabs
     also share the end time through localStorage. */
  function initIdleWarning(header) {
    var idleSeconds = parseInt(header.getAttribute("data-idle-seconds"), 10);
    if (!(idleSeconds > 0)) {
      return;
    }
    var warnSeconds = Math.min(60, Math.floor(idleSeconds / 2));
    var extendUrl = header.getAttribute("data-extend-url");
    var statusUrl = header.getAttribute("data-status-url");
    var expiredUrl = header.getAttribute("data-expired-url");
    var modal = document.getElementById("kium-idle-modal");
    var countdown = modal ? modal.querySelector("[data-idle-countdown]") : null;
    var clocks = toArray(document.querySelectorAll("[data-idle-remaining]"));
    var storageKey = "kium.backoffice.sessionEnd";
    var deadline = Date.now() + idleSeconds * 1000; // loading this page was activity
    var leaving = false;
    var busy = false;
    var checkedAt = 0; // the deadline the last status check confirmed

    function setDeadline(time, share) {
      deadline = time;
      if (share) {
        try {
          window.localStorage.setItem(storageKey, String(time));
        } catch (e) {
          /* private mode: this tab still works on its own */
        }
      }
    }

    function secondsLeft() {
      return Math.ceil((deadline - Date.now()) / 1000);
    }

    function format(seconds) {
      var m = Math.floor(seconds / 60);
      var s = seconds % 60;
      return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    }

    function expire() {
      if (!leaving) {
        leaving = true;
        window.location.assign(expiredUrl);
      }
    }

    // Ask the server; `method` POST extends the session, GET only reads it.
    function ask(url, method) {
      if (busy || !url) {
        return;
      }
      busy = true;
      fetch(url, {
        method: method,
        credentials: "same-origin",
        headers: { "X-CSRFToken": Kium.csrfToken(), Accept: "application/json" },
      })
        .then(function (response) {
          // An ended session answers 401 or is redirected to the login page.
          if (!response.ok || response.redirected) {
            expire();
            return null;
          }
          return response.json();
        })
        .then(function (data) {
          if (!data) {
            return;
          }
          var left = parseInt(data.seconds_left, 10);
          if (!(left > 0)) {
            expire();
            return;
          }
          setDeadline(Date.now() + left * 1000, method === "POST");
          checkedAt = deadline;
          render();
        })
        .catch(function () {
          /* network trouble: keep counting; the dialog stays so the person can retry */
        })
        .then(function () {
          busy = false;
        });
    }

    function render() {
      var left = Math.max(0, secondsLeft());
      clocks.forEach(function (clock) {
        clock.textContent = format(left);
        if (clock.parentElement) {
          clock.parentElement.classList.toggle("is-warning", left <= warnSeconds);
        }
      });
      if (!modal) {
        return;
      }
      if (left <= warnSeconds && checkedAt === deadline) {
        if (countdown) {
          countdown.textContent = String(left);
        }
        Kium.openModal(modal);
      } else if (left > warnSeconds) {
        Kium.closeModal(modal);
      }
    }

    function tick() {
      var left = secondsLeft();
      if (left <= warnSeconds && checkedAt !== deadline) {
        // About to warn or to leave: first make sure the time is really up.
        ask(statusUrl, "GET");
        if (!statusUrl) {
          checkedAt = deadline;
        }
      } else if (left <= 0) {
        expire();
        return;
      }
      render();
    }

    function extend() {
      ask(extendUrl, "POST");
    }

    toArray(document.querySelectorAll("[data-idle-extend]")).forEach(function (button) {
      button.addEventListener("click", extend);
    });
    toArray(document.querySelectorAll("[data-idle-logout]")).forEach(function (button) {
      button.addEventListener("click", function () {
        var form = document.querySelector("form[data-idle-logout-form]");
        if (form) {
          form.submit();
        }
      });
    });
    if (modal) {
      // Esc shows the person is there: it extends rather than leaving the timer running.
      modal.addEventListener("kium:modal-escape", function (event) {
        event.preventDefault();
        extend();
      });
    }

    window.addEventListener("storage", function (event) {
      if (event.key === storageKey && event.newValue) {
        var time = parseInt(event.newValue, 10);
        if (time > deadline) {
          setDeadline(time, false);
          checkedAt = 0;
          render();
        }
      }
    });

    // Every htmx request reaches the server and so counts as activity there too.
    document.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail && event.detail.xhr;
      if (xhr && xhr.status === 401) {
        expire();
      } else if (xhr && xhr.status) {
        setDeadline(Math.max(deadline, Date.now() + idleSeconds * 1000), true);
        checkedAt = 0;
      }
    });

    setDeadline(deadline, true);
    tick();
    window.setInterval(tick, 1000);
  }

  /* ---- Department tree: branches open and close; without JS all stay open -------- */
  function initTreeToggle(button) {
    var branch = document.getElementById(button.getAttribute("aria-controls"));
    if (!branch) {
      return;
    }
    function apply() {
      branch.hidden = button.getAttribute("aria-expanded") !== "true";
    }
    button.hidden = false;
    apply();
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      apply();
    });
  }

  // A long tree scrolls inside its panel; the selected department must be in sight.
  function revealCurrent(box) {
    var current = box.querySelector("[aria-current]");
    if (current && box.scrollHeight > box.clientHeight) {
      var top = current.getBoundingClientRect().top - box.getBoundingClientRect().top;
      box.scrollTop += top - box.clientHeight / 3;
    }
  }

  /* ---- Wide tables: a box that scrolls must be reachable by keyboard (WCAG 2.1.1) --- */
  function markScrollableTables(root) {
    toArray((root || document).querySelectorAll(".kium-table-wrap")).forEach(function (wrap) {
      var caption = wrap.querySelector("caption");
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        if (caption && caption.textContent.trim()) {
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function init() {
    markScrollableTables();
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(function () {
        markScrollableTables();
      }, 200);
    });
    document.addEventListener("htmx:afterSwap", function (event) {
      markScrollableTables(event.target instanceof Element ? event.target : document);
    });
    toArray(document.querySelectorAll("button[data-tree-toggle][aria-controls]")).forEach(
      initTreeToggle
    );
    toArray(document.querySelectorAll(".kium-tree-panel > .kium-tree")).forEach(revealCurrent);
    toArray(document.querySelectorAll("nav[data-kium-menu]")).forEach(initMainMenu);
    toArray(document.querySelectorAll(".kium-menu-toggle[aria-controls]")).forEach(initMenuToggle);
    var header = document.querySelector("header[data-idle-seconds]");
    if (header) {
      initIdleWarning(header);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
