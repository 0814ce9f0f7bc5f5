// Blocks wider than the column scroll sideways (code, wide tables): make each such block
// focusable, so a keyboard user can reach it and scroll it with the arrow keys (WCAG 2.1.1).
document.addEventListener("DOMContentLoaded", () => {
  const label = { PRE: "code, scrolls sideways", DIV: "table, scrolls sideways" };
  for (const box of document.querySelectorAll(
    "div.highlight pre, pre.literal-block, div.table-wrapper",
  )) {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label[box.tagName] || "scrolls sideways");
    }
  }
});
