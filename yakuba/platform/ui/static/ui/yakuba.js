/*
 * Yakuba staff UI: the little behaviour htmx does not give (a file of our own: the strict
 * Content-Security-Policy allows no inline script).
 *
 * 1. After a refused submit the page opens on its error summary (#form-error), so a keyboard
 *    or screen-reader user starts from the list of what to fix, not from the top of the page.
 * 2. A link of the summary puts the focus in its input: following a fragment link only
 *    scrolls, and the clerk would have to Tab there.
 * 3. A lookup answer (郵便番号 → 町字) fills an input: automatically when it has one answer and
 *    the input is still empty (never over what the clerk typed), or from a choice button.
 */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.getElementById("form-error");
    if (summary) {
      summary.focus();
    }
  }

  function fill(input, value) {
    input.value = value;
    // The input's own htmx check runs as if the clerk had typed the value.
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function autoFill(root) {
    if (!root.querySelectorAll) {
      return;
    }
    var answers = Array.prototype.slice.call(root.querySelectorAll("[data-fill-auto]"));
    if (root.matches("[data-fill-auto]")) {
      answers.push(root);
    }
    answers.forEach(function (answer) {
      var input = document.getElementById(answer.getAttribute("data-fill-target"));
      if (input && !input.value) {
        fill(input, answer.getAttribute("data-fill-value"));
        if (document.activeElement === input) {
          input.select(); // the clerk already in the input types over the suggestion
        }
      }
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-list a[href^='#']");
    if (link) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        field.focus();
      }
      return;
    }
    var choice = event.target.closest("button[data-fill-target]");
    if (choice) {
      var input = document.getElementById(choice.getAttribute("data-fill-target"));
      if (input) {
        fill(input, choice.getAttribute("data-fill-value"));
        input.focus();
      }
    }
  });

  document.addEventListener("htmx:load", function (event) {
    autoFill(event.detail.elt);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
