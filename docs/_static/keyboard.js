// Blocks that scroll (code wider than the column, a long printed output, wide tables): make
// each focusable, so a keyboard user can reach it and scroll it with the arrow keys (WCAG 2.1.1).
document.addEventListener("DOMContentLoaded", () => {
  const label = { PRE: "code, scrolls", DIV: "table, scrolls sideways" };
  for (const box of document.querySelectorAll(
    "div.highlight pre, pre.literal-block, div.table-wrapper",
  )) {
    const scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label[box.tagName] || "scrolls sideways");
    }
  }
});
