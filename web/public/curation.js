// Keyboard shortcuts for the curation queue (progressive enhancement: every action is also a
// button of the page's form). j/k move between items, x selects, a approves, h hides, f features.
(() => {
  const rows = () => [...document.querySelectorAll(".curation-list > li[data-item]")];
  let current = -1;
  function focus(index) {
    const list = rows();
    if (list.length === 0) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    for (const row of list) row.classList.remove("current");
    list[current].classList.add("current");
    list[current].focus();
  }
  function press(action) {
    const row = rows()[current];
    const button = row?.querySelector(`button[data-action="${action}"]`);
    if (button) button.click();
  }
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
    const keys = {
      j: () => focus(current + 1),
      k: () => focus(current - 1),
      x: () => {
        const box = rows()[current]?.querySelector('input[type="checkbox"][name="item"]');
        if (box) box.checked = !box.checked;
      },
      a: () => press("approve"),
      h: () => press("hide"),
      f: () => press("feature"),
    };
    const run = keys[event.key];
    if (!run) return;
    event.preventDefault();
    if (current === -1 && event.key !== "j" && event.key !== "k") focus(0);
    run();
  });
})();
