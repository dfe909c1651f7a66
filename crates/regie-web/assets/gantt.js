// The Gantt page: zoom and collapse (state in the URL), and for those who may edit: drag a bar
// to move its task (a start-no-earlier-than constraint, as MS Project does), drag its right end
// to change the duration, drag from the dot after it to another bar to link them. Every change
// is one API call with If-Match; the server recomputes and draws the chart again, which is
// swapped in; each change can be undone (Ctrl+Z or the Undo button).
"use strict";
(function () {
  const host = document.getElementById("gantt-host");
  if (!host || !window.Regie) return;
  const { api, pushUndo, undo, undoListeners, refresh, report, project } = window.Regie;
  const timings = window.Regie.timings;
  const base = "/api/v1/projects/" + project.id;
  const taskUrl = (uid) => base + "/tasks/" + encodeURIComponent(uid);

  const url = new URL(location.href);
  const state = {
    zoom: url.searchParams.get("zoom") || "",
    collapsed: new Set((url.searchParams.get("collapsed") || "").split(",").filter(Boolean)),
  };

  function params() {
    const out = {};
    if (state.zoom) out.zoom = state.zoom;
    out.collapsed = [...state.collapsed].join(",");
    return out;
  }

  function remember() {
    const next = new URL(location.href);
    next.searchParams.delete("fragment");
    if (state.zoom) next.searchParams.set("zoom", state.zoom); else next.searchParams.delete("zoom");
    if (state.collapsed.size) next.searchParams.set("collapsed", [...state.collapsed].join(","));
    else next.searchParams.delete("collapsed");
    history.replaceState(null, "", next);
  }

  async function redraw() {
    remember();
    host.querySelector("#gantt")?.classList.add("busy");
    // #gantt > svg > rows, links, scale: two levels down, then an element is replaced whole.
    await refresh("gantt", params(), 2);
    host.querySelector("#gantt")?.classList.remove("busy");
  }

  const svg = () => host.querySelector("svg.rg-gantt");
  const wrap = () => host.querySelector("#gantt");
  const editable = () => wrap()?.dataset.editable === "true";
  function undoCells() {
    const node = host.querySelector("script.undo-cells");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (_) { return {}; }
  }

  // Zoom, collapse, expand.
  document.querySelectorAll("button[data-zoom]").forEach((button) => {
    button.addEventListener("click", async () => {
      state.zoom = button.dataset.zoom;
      document.querySelectorAll("button[data-zoom]").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
      try { await redraw(); } catch (error) { report(error); }
    });
  });
  document.getElementById("collapse-all")?.addEventListener("click", async () => {
    svg()?.querySelectorAll(".tg[data-toggle]").forEach((toggle) => state.collapsed.add(toggle.dataset.toggle));
    try { await redraw(); } catch (error) { report(error); }
  });
  document.getElementById("expand-all")?.addEventListener("click", async () => {
    state.collapsed.clear();
    try { await redraw(); } catch (error) { report(error); }
  });
  async function toggle(element) {
    const uid = element.dataset.toggle;
    if (state.collapsed.has(uid)) state.collapsed.delete(uid); else state.collapsed.add(uid);
    try {
      await redraw();
      host.querySelector('.tg[data-toggle="' + CSS.escape(uid) + '"]')?.focus();
    } catch (error) { report(error); }
  }
  host.addEventListener("click", (event) => {
    const element = event.target.closest(".tg[data-toggle]");
    if (element) toggle(element);
  });
  // The toggles are focusable: Enter or Space collapses or expands.
  host.addEventListener("keydown", (event) => {
    const element = event.target.closest && event.target.closest(".tg[data-toggle]");
    if (element && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      toggle(element);
    }
  });

  // Undo button mirrors the shared undo stack.
  const undoButton = document.getElementById("undo");
  if (undoButton) {
    undoButton.addEventListener("click", () => undo());
    undoListeners.push((size) => { undoButton.disabled = size === 0; });
  }

  /** One change: the API call, then the chart drawn again; the round trip is recorded. */
  async function change(call, undoLabel, undoCall) {
    const began = performance.now();
    try {
      await call();
      const changed = performance.now();
      if (undoCall) pushUndo(undoLabel, async () => { await undoCall(); await redraw(); });
      await redraw();
      timings.lastApi = changed - began;
      timings.lastRoundTrip = performance.now() - began;
      timings.roundTrips = (timings.roundTrips || 0) + 1;
    } catch (error) {
      report(error);
      try { await redraw(); } catch (_) { /* keep the old chart */ }
    }
  }

  function addDays(iso, days) {
    const date = new Date(iso + "T12:00:00Z");
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }

  function toSvgX(event) {
    const root = svg();
    const point = root.createSVGPoint();
    point.x = event.clientX; point.y = event.clientY;
    return point.matrixTransform(root.getScreenCTM().inverse());
  }

  // Dragging: one gesture at a time.
  let drag = null;
  host.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !editable()) return;
    const target = event.target;
    let mode = null;
    if (target.classList.contains("lk")) mode = "link";
    else if (target.classList.contains("rh")) mode = "resize";
    else if (target.classList.contains("drag")) mode = "move";
    if (!mode) return;
    event.preventDefault();
    const uid = target.dataset.uid;
    const bar = svg().querySelector('.drag[data-uid="' + CSS.escape(uid) + '"]');
    const start = toSvgX(event);
    drag = { mode, uid, bar, x: start.x, y: start.y, dayPx: Number(svg().dataset.dayPx), days: 0, ghost: null };
    host.setPointerCapture?.(event.pointerId);
    if (mode === "link") {
      const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      line.setAttribute("class", "linkline");
      line.setAttribute("x1", start.x); line.setAttribute("y1", start.y);
      line.setAttribute("x2", start.x); line.setAttribute("y2", start.y);
      svg().appendChild(line);
      drag.ghost = line;
    } else if (bar) {
      bar.classList.add("dragging");
    }
  });

  host.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const point = toSvgX(event);
    if (drag.mode === "link") {
      drag.ghost.setAttribute("x2", point.x);
      drag.ghost.setAttribute("y2", point.y);
      return;
    }
    drag.days = Math.round((point.x - drag.x) / drag.dayPx);
    const shift = drag.days * drag.dayPx;
    if (!drag.bar) return;
    if (drag.mode === "move") {
      drag.bar.setAttribute("transform", "translate(" + shift + ",0)");
    } else if (drag.bar.tagName === "rect") {
      if (drag.width === undefined) drag.width = Number(drag.bar.getAttribute("width"));
      drag.bar.setAttribute("width", Math.max(2, drag.width + shift));
    }
  });

  async function finish(event) {
    if (!drag) return;
    const gesture = drag;
    drag = null;
    if (gesture.ghost) gesture.ghost.remove();
    if (gesture.bar) gesture.bar.classList.remove("dragging");
    const cells = undoCells()[gesture.uid] || ["ASAP", null];
    if (gesture.mode === "link") {
      const under = document.elementFromPoint(event.clientX, event.clientY);
      const other = under && under.closest("[data-uid]");
      const succ = other && other.dataset.uid;
      if (!succ || succ === gesture.uid) return;
      const body = { pred: gesture.uid, succ, kind: "FS" };
      const linkUrl = base + "/links/" + encodeURIComponent(gesture.uid) + "/" + encodeURIComponent(succ);
      await change(() => api("POST", base + "/links", body), "link", () => api("DELETE", linkUrl));
      return;
    }
    if (!gesture.days || !gesture.bar) {
      if (gesture.bar) { gesture.bar.removeAttribute("transform"); if (gesture.width !== undefined) gesture.bar.setAttribute("width", gesture.width); }
      return;
    }
    if (gesture.mode === "move") {
      const start = addDays(gesture.bar.dataset.start, gesture.days);
      await change(() => api("PATCH", taskUrl(gesture.uid) + "/cells", { start }), "move",
        () => api("PATCH", taskUrl(gesture.uid) + "/cells", { constraint: cells[0] }));
    } else {
      const finishDay = addDays(gesture.bar.dataset.finish, gesture.days);
      await change(() => api("PATCH", taskUrl(gesture.uid) + "/cells", { finish: finishDay }), "duration",
        cells[1] ? () => api("PATCH", taskUrl(gesture.uid) + "/cells", { duration: cells[1] }) : null);
    }
  }
  host.addEventListener("pointerup", finish);
  host.addEventListener("pointercancel", () => { if (drag && drag.ghost) drag.ghost.remove(); drag = null; redraw().catch(report); });
})();
