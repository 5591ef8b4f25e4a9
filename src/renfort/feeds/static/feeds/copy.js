/* Calendar feeds: a "Copy the address" button beside each feed's read-only address field.
   Without JavaScript the buttons stay hidden and the address can be selected and copied by
   hand. No inline script: the page's Content Security Policy forbids it. */
(function () {
  "use strict";

  function copyBySelection(input) {
    input.focus();
    input.select();
    try {
      return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value).catch(function () {
        return copyBySelection(input);
      });
    }
    return copyBySelection(input);
  }

  function setup() {
    var buttons = document.querySelectorAll("button[data-copy-target]");
    Array.prototype.forEach.call(buttons, function (button) {
      var id = button.getAttribute("data-copy-target");
      var input = document.getElementById(id);
      var status = document.querySelector('[data-copy-status="' + id + '"]');
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(input).then(
          function () {
            if (status) status.textContent = button.getAttribute("data-copied") || "";
          },
          function () {
            input.focus();
            input.select();
            if (status) status.textContent = button.getAttribute("data-copy-failed") || "";
          }
        );
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
