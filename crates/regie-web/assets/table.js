// The task table, edited like a spreadsheet: a cell cursor moved with the arrows (and Tab),
// Enter/F2 or typing edits, Enter saves, Esc cancels; each saved cell is one API call with the
// text as typed (`PATCH .../cells`), read on the server; an error is shown at the cell. Rows:
// insert (above the cursor), delete, indent/outdent, multi-select with Shift/Ctrl-click.
// After each change the server draws the table again and the cursor comes back to its cell.
"use strict";
(function () {
  const host = document.querySelector("main");
  if (!document.getElementById("sheet") || !window.Regie) return;
  const { api, pushUndo, undo, undoListeners, refresh, report, toast, project, Problem } = window.Regie;
  const timings = window.Regie.timings;
  const base = "/api/v1/projects/" + project.id;
  const taskUrl = (uid) => base + "/tasks/" + encodeURIComponent(uid);

  const sheet = () => document.getElementById("sheet");
  const editable = () => document.getElementById("sheet-wrap").dataset.editable === "true";
  const rows = () => [...sheet().tBodies[0].rows];
  const cols = (row) => [...row.querySelectorAll("td[data-col]")];

  let cursor = { uid: null, col: "name" };
  const selected = new Set();
  let editing = null;

  function rowOf(uid) { return rows().find((row) => row.dataset.uid === uid) || null; }
  function currentCell() {
    const row = cursor.uid === "__new" ? sheet().querySelector("tr.newrow") : rowOf(cursor.uid);
    if (!row) return null;
    return row.querySelector('td[data-col="' + cursor.col + '"]') || cols(row)[0];
  }

  function paint() {
    sheet().querySelectorAll("td.cursor").forEach((cell) => cell.classList.remove("cursor"));
    sheet().querySelectorAll("tr.selected").forEach((row) => row.classList.remove("selected"));
    selected.forEach((uid) => rowOf(uid)?.classList.add("selected"));
    const cell = currentCell();
    if (cell) {
      cell.classList.add("cursor");
      cell.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  function place(row, col, extend) {
    const uid = row.classList.contains("newrow") ? "__new" : row.dataset.uid;
    if (!extend) selected.clear();
    if (uid !== "__new") selected.add(uid);
    cursor = { uid, col: col || cursor.col };
    clearError();
    paint();
  }

  function move(dRow, dCol) {
    const all = rows();
    const cell = currentCell();
    if (!cell) { if (all[0]) place(all[0], "name"); return; }
    const row = cell.parentElement;
    let index = all.indexOf(row) + dRow;
    index = Math.max(0, Math.min(all.length - 1, index));
    const target = all[index];
    const names = cols(target).map((td) => td.dataset.col);
    let colIndex = cols(row).map((td) => td.dataset.col).indexOf(cell.dataset.col) + dCol;
    colIndex = Math.max(0, Math.min(names.length - 1, colIndex));
    place(target, names[colIndex] || "name");
  }

  // Errors at the cell.
  let bubble = null;
  function clearError() {
    sheet().querySelectorAll("td.error").forEach((cell) => cell.classList.remove("error"));
    if (bubble) { bubble.remove(); bubble = null; }
  }
  function showError(cell, message) {
    clearError();
    cell.classList.add("error");
    bubble = document.createElement("div");
    bubble.className = "cellerror";
    bubble.setAttribute("role", "alert");
    bubble.textContent = message;
    document.body.appendChild(bubble);
    const box = cell.getBoundingClientRect();
    bubble.style.left = Math.max(8, box.left) + "px";
    bubble.style.top = box.bottom + 4 + "px";
  }

  function cellText(cell) {
    if (cell.dataset.value !== undefined) return cell.dataset.value;
    return cell.closest("tr").classList.contains("newrow") ? "" : cell.querySelector(".v").textContent;
  }

  function startEdit(initial) {
    if (!editable() || editing) return;
    const cell = currentCell();
    if (!cell || cell.classList.contains("ro")) return;
    const old = cellText(cell);
    const input = document.createElement("input");
    input.className = "edit";
    input.value = initial === undefined ? old : initial;
    input.setAttribute("aria-label", cell.dataset.col);
    const shown = cell.querySelector(".v");
    shown.hidden = true;
    cell.appendChild(input);
    input.focus();
    if (initial === undefined) input.select();
    editing = { cell, input, old, shown };
  }

  function stopEdit() {
    if (!editing) return null;
    const state = editing;
    editing = null;
    state.input.remove();
    state.shown.hidden = false;
    return state;
  }

  /** Draws the table again from the server's fragment; only the rows that changed are
   *  replaced (cursor, selection and error marks are painted again after). */
  async function redraw() {
    clearError();
    sheet().querySelectorAll("tr.selected").forEach((row) => row.classList.remove("selected"));
    sheet().querySelectorAll("td.cursor").forEach((cell) => cell.classList.remove("cursor"));
    // #sheet-wrap > table > tbody > rows: three levels down, then a row is replaced whole.
    await refresh("sheet-wrap", {}, 3);
    paint();
  }

  /** Runs one change and draws the table again; records the round trip. */
  async function change(call, label, undoCall) {
    const began = performance.now();
    await call();
    if (undoCall) pushUndo(label, async () => { await undoCall(); await redraw(); });
    await redraw();
    timings.lastRoundTrip = performance.now() - began;
    timings.roundTrips = (timings.roundTrips || 0) + 1;
  }

  /** One day in the project's units: what a new task lasts. */
  function dayMinutes() {
    return Number(document.getElementById("sheet-wrap").dataset.dayMinutes) || 480;
  }

  function newUid() {
    return "t" + Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36);
  }

  async function commit(afterMove) {
    const state = stopEdit();
    if (!state) return;
    const cell = state.cell;
    const row = cell.closest("tr");
    const col = cell.dataset.col;
    const text = state.input.value;
    if (text === state.old) { if (afterMove) afterMove(); return; }
    try {
      if (row.classList.contains("newrow")) {
        if (!text.trim()) return;
        const last = rows().filter((r) => !r.classList.contains("newrow")).pop();
        const parent = last ? (last.classList.contains("summary") ? last.dataset.uid : last.dataset.parent) : "";
        const uid = newUid();
        const body = { uid, name: text, duration_minutes: dayMinutes() };
        if (parent) body.parent = parent;
        await change(() => api("POST", base + "/tasks", body), "add " + text, () => api("DELETE", taskUrl(uid)));
        cursor = { uid: "__new", col: "name" };
        paint();
        return;
      }
      const uid = row.dataset.uid;
      // What puts the cell back: a start is a constraint, a finish is a duration.
      let undoBody = { [col]: state.old };
      if (col === "start") undoBody = { constraint: cellText(row.querySelector('td[data-col="constraint"]')) };
      if (col === "finish") undoBody = { duration: cellText(row.querySelector('td[data-col="duration"]')) };
      await change(() => api("PATCH", taskUrl(uid) + "/cells", { [col]: text }), col,
        () => api("PATCH", taskUrl(uid) + "/cells", undoBody));
      if (afterMove) afterMove();
    } catch (error) {
      if (error instanceof Problem && error.status === 422) {
        const fresh = currentCell() || cell;
        const message = (error.errors[0] && error.errors[0].message) || error.message;
        showError(fresh, message);
      } else report(error);
    }
  }

  // Row operations.
  function selectedRows() {
    const uids = selected.size ? [...selected] : (cursor.uid && cursor.uid !== "__new" ? [cursor.uid] : []);
    return uids.map(rowOf).filter(Boolean);
  }
  function siblingsOf(row) {
    return rows().filter((r) => r.dataset.uid && r.dataset.parent === row.dataset.parent);
  }
  function nextSibling(row) {
    const siblings = siblingsOf(row);
    const next = siblings[siblings.indexOf(row) + 1];
    return next ? next.dataset.uid : null;
  }
  const moveBody = (parent, before) => ({ parent: parent || null, before: before || null });

  async function insertTask() {
    const row = rowOf(cursor.uid);
    const uid = newUid();
    const body = { uid, name: "New task", duration_minutes: dayMinutes() };
    if (row) {
      if (row.dataset.parent) body.parent = row.dataset.parent;
      body.before = row.dataset.uid;
    }
    try {
      await change(() => api("POST", base + "/tasks", body), "insert", () => api("DELETE", taskUrl(uid)));
      cursor = { uid, col: "name" };
      selected.clear(); selected.add(uid);
      paint();
      startEdit();
    } catch (error) { report(error); }
  }

  async function deleteTasks() {
    const targets = selectedRows();
    if (!targets.length) return;
    const names = targets.map((row) => row.dataset.id + " " + cellText(row.querySelector('td[data-col="name"]')));
    if (!confirm("Delete " + (targets.length === 1 ? "task " + names[0] : targets.length + " tasks") + " with their links and assignments? This cannot be undone.")) return;
    try {
      // Subtasks first: the API deletes tasks without subtasks.
      for (const row of targets.reverse()) {
        await api("DELETE", taskUrl(row.dataset.uid));
      }
      selected.clear();
      await redraw();
      toast("Deleted " + names.length + " task" + (names.length > 1 ? "s" : ""));
    } catch (error) { report(error); await redraw(); }
  }

  async function indent() {
    const row = rowOf(cursor.uid);
    if (!row) return;
    const siblings = siblingsOf(row);
    const previous = siblings[siblings.indexOf(row) - 1];
    if (!previous) { toast("Nothing to indent under: the task is the first of its level", "error"); return; }
    const back = moveBody(row.dataset.parent, nextSibling(row));
    const uid = row.dataset.uid;
    try {
      await change(() => api("POST", taskUrl(uid) + "/move", moveBody(previous.dataset.uid, null)), "indent",
        () => api("POST", taskUrl(uid) + "/move", back));
    } catch (error) { report(error); }
  }

  async function outdent() {
    const row = rowOf(cursor.uid);
    if (!row || !row.dataset.parent) { toast("The task is already at the top level", "error"); return; }
    const parent = rowOf(row.dataset.parent);
    const back = moveBody(row.dataset.parent, nextSibling(row));
    const uid = row.dataset.uid;
    try {
      await change(() => api("POST", taskUrl(uid) + "/move", moveBody(parent.dataset.parent, nextSibling(parent))), "outdent",
        () => api("POST", taskUrl(uid) + "/move", back));
    } catch (error) { report(error); }
  }

  const bind = (id, run) => document.getElementById(id)?.addEventListener("click", run);
  bind("insert-task", insertTask);
  bind("delete-task", deleteTasks);
  bind("indent", indent);
  bind("outdent", outdent);
  const undoButton = document.getElementById("undo");
  if (undoButton) {
    undoButton.addEventListener("click", () => undo());
    undoListeners.push((size) => { undoButton.disabled = size === 0; });
  }

  host.addEventListener("mousedown", (event) => {
    const cell = event.target.closest("#sheet td");
    if (!cell || event.target.closest("input.edit")) return;
    if (editing) commit();
    const row = cell.parentElement;
    if (event.shiftKey && cursor.uid && row.dataset.uid) {
      const all = rows();
      const [a, b] = [all.indexOf(rowOf(cursor.uid)), all.indexOf(row)].sort((x, y) => x - y);
      all.slice(a, b + 1).forEach((r) => r.dataset.uid && selected.add(r.dataset.uid));
      cursor = { uid: row.dataset.uid, col: cell.dataset.col || cursor.col };
      paint();
      return;
    }
    place(row, cell.dataset.col || "name", event.ctrlKey || event.metaKey);
  });
  host.addEventListener("dblclick", (event) => {
    if (event.target.closest("#sheet td[data-col]")) startEdit();
  });

  document.addEventListener("keydown", (event) => {
    if (editing) {
      if (event.key === "Enter") { event.preventDefault(); commit(() => move(1, 0)); }
      else if (event.key === "Tab") { event.preventDefault(); commit(() => move(0, event.shiftKey ? -1 : 1)); }
      else if (event.key === "Escape") { event.preventDefault(); stopEdit(); }
      return;
    }
    if (!cursor.uid || event.target.closest("dialog, input, select, textarea, button")) return;
    const key = event.key;
    if (event.altKey && event.shiftKey && key === "ArrowRight") { event.preventDefault(); indent(); return; }
    if (event.altKey && event.shiftKey && key === "ArrowLeft") { event.preventDefault(); outdent(); return; }
    switch (key) {
      case "ArrowDown": event.preventDefault(); move(1, 0); break;
      case "ArrowUp": event.preventDefault(); move(-1, 0); break;
      case "ArrowRight": event.preventDefault(); move(0, 1); break;
      case "ArrowLeft": event.preventDefault(); move(0, -1); break;
      case "Tab": event.preventDefault(); move(0, event.shiftKey ? -1 : 1); break;
      case "Enter": case "F2": event.preventDefault(); startEdit(); break;
      case "Insert": event.preventDefault(); insertTask(); break;
      case "Delete": event.preventDefault(); deleteTasks(); break;
      case "Escape": clearError(); break;
      default:
        if (key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
          event.preventDefault();
          startEdit(key);
        }
    }
  });
})();
