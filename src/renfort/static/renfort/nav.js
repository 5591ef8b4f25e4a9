/* The header's menus, made nicer with JavaScript (they work without it):
   - one group menu (<details class="menu">) open at a time, closed by Escape or a click
     outside, focus back on its summary after Escape;
   - at phone width, a "Menu" button shows and hides the main navigation;
   - a table wrapper that scrolls sideways (.table-wrap) becomes a labelled region that the
     keyboard can reach and scroll, and stops being one when it fits again. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function menus() {
    return document.querySelectorAll("header.site details.menu");
  }

  function closeAll(except) {
    Array.prototype.forEach.call(menus(), function (menu) {
      if (menu !== except) menu.open = false;
    });
  }

  function setup() {
    Array.prototype.forEach.call(menus(), function (menu) {
      menu.addEventListener("toggle", function () {
        if (menu.open) closeAll(menu);
      });
    });

    document.addEventListener("click", function (event) {
      var inside = event.target.closest && event.target.closest("details.menu");
      closeAll(inside || null);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = document.querySelector("header.site details.menu[open]");
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
        return;
      }
      var nav = document.getElementById("main-nav");
      var toggle = document.querySelector(".menu-toggle");
      if (nav && toggle && nav.classList.contains("open")) {
        nav.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });

    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("main-nav");
    if (toggle && nav) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = !nav.classList.contains("open");
        nav.classList.toggle("open", open);
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  }

  function labelOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var heading = wrap.closest("section, article, main");
    heading = heading && heading.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }

  function scrollables() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label")) wrap.setAttribute("aria-label", labelOf(wrap));
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function setupScrollables() {
    scrollables();
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(scrollables, 150);
    });
    document.body.addEventListener("htmx:afterSwap", scrollables);
  }

  // "Print this page" buttons (data-print): a listener here, as the Content Security Policy
  // refuses inline handlers such as onclick.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupScrollables);
  } else {
    setupScrollables();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
