/* Searchable selects (lib/widgets.py): a <select data-lookup="..."> becomes an ARIA 1.2
   combobox that asks the server (?q=&page=) and answers {"results": [{id, text}], "more"}.
   Progressive enhancement: without this file the select (or its search box) still works.
   The select stays in the form, hidden, and holds what is submitted. */
(function () {
  "use strict";

  var counter = 0;

  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function enhance(select) {
    if (select.dataset.enhanced || !select.dataset.lookup || !window.fetch) return;
    select.dataset.enhanced = "yes";
    counter += 1;
    var multiple = select.multiple;
    var baseId = select.id || "search-select-" + counter;
    var listId = baseId + "-listbox";
    var statusId = baseId + "-status";
    var hintId = baseId + "-hint";
    var text = select.dataset;

    // The fallback search box is not needed any more: drop it so it is not submitted.
    var fallback = select.parentNode.querySelector("[data-search-fallback]");
    if (fallback) fallback.parentNode.removeChild(fallback);

    var wrapper = el("div", { class: "combo" + (multiple ? " combo-multiple" : "") });
    var input = el("input", {
      type: "text",
      id: baseId,
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      autocomplete: "off",
      spellcheck: "false",
      class: "combo-input",
    });
    var described = [select.getAttribute("aria-describedby"), hintId].filter(Boolean).join(" ");
    input.setAttribute("aria-describedby", described);
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");
    select.id = baseId + "-select";
    select.hidden = true;
    select.tabIndex = -1;
    // A hidden required control would block the browser's submit without saying where:
    // the server checks the field and the error summary points at the combobox.
    select.required = false;
    select.removeAttribute("aria-describedby");

    var list = el("ul", { id: listId, role: "listbox", class: "combo-list", hidden: "" });
    if (multiple) list.setAttribute("aria-multiselectable", "false");
    var hint = el("small", { id: hintId, class: "help combo-hint" }, text.textHint);
    var status = el("div", {
      id: statusId,
      role: "status",
      "aria-live": "polite",
      class: "visually-hidden",
    });
    var chosen = multiple ? el("ul", { class: "combo-chosen" }) : null;

    select.parentNode.insertBefore(wrapper, select);
    if (chosen) wrapper.appendChild(chosen);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(hint);
    wrapper.appendChild(status);
    wrapper.appendChild(select);

    var state = { query: null, page: 1, more: false, active: -1, timer: null, seq: 0 };

    function optionFor(id, label) {
      var value = String(id);
      for (var i = 0; i < select.options.length; i += 1) {
        if (select.options[i].value === value) return select.options[i];
      }
      var option = new Option(label, value);
      select.appendChild(option);
      return option;
    }

    function renderChosen() {
      if (!chosen) return;
      chosen.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected || !option.value) return;
        var item = el("li", { class: "combo-token" });
        item.appendChild(el("span", {}, option.text));
        var remove = el("button", {
          type: "button",
          class: "link combo-remove",
          "aria-label": format(text.textRemove, { name: option.text }),
        }, "×");
        remove.addEventListener("click", function () {
          option.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          renderChosen();
          input.focus();
        });
        item.appendChild(remove);
        chosen.appendChild(item);
      });
    }

    function currentLabel() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    }

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function setActive(index) {
      var items = options();
      if (!items.length) {
        state.active = -1;
        input.removeAttribute("aria-activedescendant");
        return;
      }
      index = Math.max(0, Math.min(index, items.length - 1));
      Array.prototype.forEach.call(items, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
        item.classList.toggle("active", i === index);
      });
      state.active = index;
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      state.active = -1;
    }

    function choose(item) {
      var option = optionFor(item.dataset.id, item.dataset.text);
      option.selected = true;
      if (multiple) {
        input.value = "";
        renderChosen();
      } else {
        select.value = option.value;
        input.value = option.text;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }

    function show(results, append) {
      if (!append) list.textContent = "";
      var start = options().length;
      results.forEach(function (row, i) {
        var item = el("li", {
          id: listId + "-" + (start + i),
          role: "option",
          "aria-selected": "false",
          class: "combo-option",
        }, row.text);
        item.dataset.id = row.id;
        item.dataset.text = row.text;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        item.addEventListener("click", function () {
          choose(item);
          input.focus();
        });
        list.appendChild(item);
      });
      var count = options().length;
      var words = count ? format(text.textResults, { count: count }) : text.textNone;
      if (state.more) words += " " + text.textMore;
      status.textContent = words;
      if (!count) {
        list.appendChild(el("li", { class: "combo-empty", "aria-hidden": "true" }, text.textNone));
      }
      open();
    }

    function search(page) {
      var query = input.value.trim();
      // Opening the list on a choice already made shows every entry, not that one alone.
      if (!multiple && input.value === currentLabel()) query = "";
      var seq = (state.seq += 1);
      var url = select.dataset.lookup;
      url += (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      url += "&page=" + page;
      window
        .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          if (seq !== state.seq) return;
          state.query = query;
          state.page = page;
          state.more = Boolean(data.more);
          show(data.results || [], page > 1);
        })
        .catch(function () {
          status.textContent = text.textNone;
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(state.timer);
      if (!multiple && !input.value.trim()) {
        var empty = optionFor("", "");
        select.value = empty.value;
      }
      state.timer = window.setTimeout(function () {
        search(1);
      }, 250);
    });

    input.addEventListener("keydown", function (event) {
      var items = options();
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (list.hidden || state.query === null) {
            search(1);
          } else if (state.active >= items.length - 1 && state.more) {
            search(state.page + 1);
          } else {
            setActive(state.active + 1);
          }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!list.hidden) setActive(state.active - 1);
          break;
        case "Enter":
          if (!list.hidden && state.active >= 0 && items[state.active]) {
            event.preventDefault();
            choose(items[state.active]);
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          } else if (!multiple) {
            input.value = currentLabel();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
      if (!multiple) input.value = currentLabel();
    });

    list.addEventListener("scroll", function () {
      if (state.more && list.scrollTop + list.clientHeight >= list.scrollHeight - 4) {
        state.more = false;
        search(state.page + 1);
      }
    });

    if (multiple) {
      renderChosen();
    } else {
      input.value = currentLabel();
    }
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call(
      (root || document).querySelectorAll("select[data-lookup]"),
      enhance
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    enhanceAll(event.target);
  });
})();
