// Code blocks wider than the column scroll sideways: make each such block focusable, so a
// keyboard user can reach it and scroll it with the arrow keys (WCAG 2.1.1).
document.addEventListener("DOMContentLoaded", () => {
  for (const pre of document.querySelectorAll("div.highlight pre, pre.literal-block")) {
    if (pre.scrollWidth > pre.clientWidth && !pre.hasAttribute("tabindex")) {
      pre.tabIndex = 0;
      pre.setAttribute("role", "region");
      pre.setAttribute("aria-label", "code, scrolls sideways");
    }
  }
});
