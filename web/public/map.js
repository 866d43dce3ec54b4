// Progressive enhancement of /directory's server-drawn map: zoom buttons, wheel zoom, drag to
// pan, keyboard (+, −, 0, arrows) through the SVG viewBox, and a popup naming a focused or
// clicked library. Without this script the map and its linked dots work as they are.
// Labels come from the figure's data- attributes (this script has no translations).
(() => {
  const figure = document.querySelector("figure.directory-map");
  const svg = figure?.querySelector("svg");
  if (!figure || !svg) return;
  const base = svg.viewBox.baseVal;
  const full = { x: base.x, y: base.y, w: base.width, h: base.height };
  const view = { ...full };
  const MIN_WIDTH = full.w / 16;
  const dots = [...svg.querySelectorAll("a.map-dot")];
  const radius = dots.map((a) => Number(a.querySelector("circle")?.getAttribute("r") ?? 6));
  /** The dot whose popup is open. */
  let current = null;

  function apply() {
    view.w = Math.min(full.w, Math.max(MIN_WIDTH, view.w));
    view.h = (view.w * full.h) / full.w;
    // Keep the view inside the drawn area.
    view.x = Math.min(full.x + full.w - view.w, Math.max(full.x, view.x));
    view.y = Math.min(full.y + full.h - view.h, Math.max(full.y, view.y));
    svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    // Dots keep their size on screen while the map grows.
    const scale = view.w / full.w;
    dots.forEach((a, i) => {
      const circle = a.querySelector("circle");
      if (circle) circle.setAttribute("r", String(radius[i] * Math.max(scale, 0.25)));
    });
    if (current) place(current);
  }

  /** Zooms by `factor` (>1 zooms in) around (cx, cy) in map units, the view's centre by default. */
  function zoom(factor, cx = view.x + view.w / 2, cy = view.y + view.h / 2) {
    const w = Math.min(full.w, Math.max(MIN_WIDTH, view.w / factor));
    const ratio = w / view.w;
    view.x = cx - (cx - view.x) * ratio;
    view.y = cy - (cy - view.y) * ratio;
    view.w = w;
    apply();
  }

  function pan(dx, dy) {
    view.x += dx;
    view.y += dy;
    apply();
  }

  /** A screen point in map units. */
  function toMap(clientX, clientY) {
    const box = svg.getBoundingClientRect();
    return {
      x: view.x + ((clientX - box.left) / box.width) * view.w,
      y: view.y + ((clientY - box.top) / box.height) * view.h,
    };
  }

  // Buttons: real buttons, before the map, named in the page's language.
  const controls = document.createElement("div");
  controls.className = "map-controls";
  controls.setAttribute("role", "group");
  controls.setAttribute("aria-label", figure.dataset.controls || "Map");
  const button = (label, text, action) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.addEventListener("click", action);
    controls.append(b);
    return b;
  };
  button(figure.dataset.zoomIn || "+", "+", () => zoom(1.5));
  button(figure.dataset.zoomOut || "−", "−", () => zoom(1 / 1.5));
  button(figure.dataset.zoomReset || "⟲", "⟲", () => {
    Object.assign(view, full);
    apply();
  });
  figure.insertBefore(controls, svg);

  svg.setAttribute("tabindex", "0");
  svg.addEventListener("keydown", (event) => {
    const step = view.w / 10;
    const keys = {
      "+": () => zoom(1.5),
      "=": () => zoom(1.5),
      "-": () => zoom(1 / 1.5),
      0: () => {
        Object.assign(view, full);
        apply();
      },
      ArrowLeft: () => pan(-step, 0),
      ArrowRight: () => pan(step, 0),
      ArrowUp: () => pan(0, -step),
      ArrowDown: () => pan(0, step),
      Escape: () => hide(),
    };
    const action = keys[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  });

  svg.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const at = toMap(event.clientX, event.clientY);
      zoom(event.deltaY < 0 ? 1.25 : 1 / 1.25, at.x, at.y);
    },
    { passive: false },
  );

  // Drag to pan; a drag that moved does not also follow a dot's link.
  let drag = null;
  let dragged = false;
  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, view: { ...view }, id: event.pointerId };
    dragged = false;
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!dragged && Math.hypot(dx, dy) < 4) return;
    if (!dragged) svg.setPointerCapture(event.pointerId);
    dragged = true;
    const box = svg.getBoundingClientRect();
    view.x = drag.view.x - (dx / box.width) * view.w;
    view.y = drag.view.y - (dy / box.height) * view.h;
    apply();
  });
  const endDrag = () => {
    drag = null;
  };
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  // The popup: a live region after the map, placed next to its dot.
  const popup = document.createElement("div");
  popup.className = "map-popup";
  popup.setAttribute("role", "status");
  popup.hidden = true;
  figure.style.position = "relative";
  popup.style.position = "absolute";
  popup.style.background = "#fff";
  popup.style.color = "#1a1a1a";
  popup.style.border = "1px solid #8a8a8a";
  popup.style.padding = "0.25em 0.5em";
  figure.append(popup);

  function place(dot) {
    const at = dot.getBoundingClientRect();
    const box = figure.getBoundingClientRect();
    popup.style.left = `${at.left - box.left + at.width + 4}px`;
    popup.style.top = `${at.top - box.top - 4}px`;
  }

  function show(dot) {
    current = dot;
    const name = dot.dataset.name || dot.textContent.trim();
    const href = dot.getAttribute("href") || "";
    const link = document.createElement(/^https?:\/\//i.test(href) ? "a" : "span");
    link.textContent = name;
    if (link.tagName === "A") link.href = href;
    const city = dot.dataset.city ? `, ${dot.dataset.city}` : "";
    popup.replaceChildren(link, document.createTextNode(city));
    popup.hidden = false;
    place(dot);
  }

  function hide() {
    current = null;
    popup.hidden = true;
    popup.replaceChildren();
  }

  for (const dot of dots) {
    dot.addEventListener("focus", () => show(dot));
    dot.addEventListener("click", (event) => {
      // A pointer click shows the popup (its link leads on); Enter on a focused dot still follows.
      if (dragged || event.detail > 0) {
        event.preventDefault();
        if (!dragged) show(dot);
      }
      dragged = false;
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) hide();
  });
})();
