// The portal's small behaviours; the pages work without them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Feedback where the eye is: the result of the last action gets the focus and is scrolled into view.
    var target = document.querySelector("[data-focus]");
    if (target) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" });
    }
    // A table wider than a phone scrolls inside itself: keyboard users must reach it too.
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
      }
    });
    // A collapsing menu on narrow screens: the button shows and hides the navigation.
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("menu-principal");
    if (toggle && nav) {
      document.documentElement.classList.add("js-menu");
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        nav.classList.toggle("open", open);
      });
    }
  });
})();
