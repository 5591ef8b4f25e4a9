/* The header's menus, made nicer with JavaScript (they work without it):
   - one group menu (<details class="menu">) open at a time, closed by Escape or a click
     outside, focus back on its summary after Escape;
   - at phone width, a "Menu" button shows and hides the main navigation. */
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
