// Regie's common script: API calls (CSRF token, If-Match at the page's version, problem+json),
// toasts, the conflict message, and the undo stack that the Gantt and the table share.
"use strict";
(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  const head = document.querySelector(".projecthead");

  /** The project of the page and the version the page shows (the If-Match of the next edit). */
  const project = head ? { id: head.dataset.project, version: Number(head.dataset.version) } : null;

  class Problem extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.title)) || ("HTTP " + status));
      this.status = status;
      this.body = body || {};
      this.errors = (body && body.errors) || [];
    }
  }

  /** Calls the API; throws a Problem for every answer that is not 2xx (a 412 shows the
   *  conflict message, a 401 goes to the login page). Options: `body` (sent as JSON), `file`
   *  (sent as the raw body), `version` (the If-Match of a write; default: the page's project
   *  version, whose ETag answer becomes the page's version), `ifMatch: false` (none).
   *  Answers `{ data, version }` (the ETag's version, if any). */
  async function request(method, url, options) {
    options = options || {};
    const headers = { "Accept": "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf;
    let body;
    if (options.file !== undefined) { headers["Content-Type"] = "application/octet-stream"; body = options.file; }
    else if (options.body !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(options.body); }
    const pageVersion = options.version === undefined;
    const version = pageVersion ? (project && project.version) : options.version;
    if (method !== "GET" && options.ifMatch !== false && version !== undefined && version !== null) headers["If-Match"] = '"' + version + '"';
    const response = await fetch(url, { method, headers, credentials: "same-origin", body });
    const etag = response.headers.get("ETag");
    const answered = etag ? Number(etag.replace(/\W/g, "")) : null;
    if (answered !== null && pageVersion && project && method !== "GET" && options.ifMatch !== false) project.version = answered;
    const text = await response.text();
    let data = null;
    if (text) { try { data = JSON.parse(text); } catch (_) { data = { detail: text }; } }
    if (!response.ok) {
      const problem = new Problem(response.status, data);
      if (response.status === 412) conflict(problem);
      if (response.status === 401) location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      throw problem;
    }
    return { data, version: answered };
  }

  /** A JSON call at the page's version (see request): answers the body. */
  async function api(method, url, body, options) {
    return (await request(method, url, Object.assign({}, options, { body }))).data;
  }

  function toast(message, kind, action) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const item = document.createElement("div");
    item.className = "toast" + (kind ? " " + kind : "");
    item.textContent = message;
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      item.appendChild(button);
    }
    box.appendChild(item);
    if (kind !== "conflict") setTimeout(() => item.remove(), kind === "error" ? 7000 : 3500);
    return item;
  }

  /** A stale edit: someone else changed the plan since this page was drawn. Nothing was
   *  written; the user reloads to see the other change, then redoes theirs. */
  function conflict(problem) {
    const current = problem.body.current_version;
    document.querySelectorAll(".toast.conflict").forEach((item) => item.remove());
    const message = "Conflict: this plan was changed by someone else" +
      (current ? " (now version " + current + ")" : "") + ". Your change was not saved.";
    toast(message, "conflict", { label: "Reload", run: () => location.reload() });
  }

  /** Shows a failed call: conflicts and logins are handled in api(). */
  function report(error) {
    if (error instanceof Problem && (error.status === 412 || error.status === 401)) return;
    toast(error.message, "error");
  }

  /** Figures the browser test reads: the last change's round trip and its parts. */
  const timings = {};

  // Undo: each edit pushes how to take it back; Ctrl+Z (or Cmd+Z) outside an input runs the last.
  const undoStack = [];
  const undoListeners = [];
  function pushUndo(label, run) {
    undoStack.push({ label, run });
    if (undoStack.length > 100) undoStack.shift();
    undoListeners.forEach((listener) => listener(undoStack.length));
  }
  async function undo() {
    const last = undoStack.pop();
    undoListeners.forEach((listener) => listener(undoStack.length));
    if (!last) { toast("Nothing to undo"); return; }
    try {
      await last.run();
      toast("Undone: " + last.label);
    } catch (error) { report(error); }
  }
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z" && !typing) {
      event.preventDefault();
      undo();
    }
  });

  /** Makes `old` equal to `fresh`, replacing only what differs: attributes, then children
   *  pairwise, `depth` levels down (below that a differing child is replaced whole). On a
   *  1,000-task plan swapping the whole chart or table costs the browser a full parse and
   *  layout; a change usually moves a few rows. */
  function patch(old, fresh, depth) {
    if (old.tagName !== fresh.tagName || depth <= 0) { old.replaceWith(fresh); return; }
    [...old.attributes].forEach(({ name }) => { if (!fresh.hasAttribute(name)) old.removeAttribute(name); });
    [...fresh.attributes].forEach(({ name, value }) => { if (old.getAttribute(name) !== value) old.setAttribute(name, value); });
    if (old.children.length === 0 || fresh.children.length === 0) {
      if (!old.isEqualNode(fresh)) old.replaceChildren(...fresh.childNodes);
      return;
    }
    const before = [...old.children];
    const after = [...fresh.children];
    after.forEach((child, index) => {
      const previous = before[index];
      if (!previous) old.appendChild(child);
      else if (!previous.isEqualNode(child)) patch(previous, child, depth - 1);
    });
    before.slice(after.length).forEach((child) => child.remove());
  }

  /** Fetches this page again as a fragment (`?fragment=ID`) and brings the element `id` up to
   *  date (`patch`, `depth` levels down; 0 replaces it whole). */
  async function refresh(id, params, depth) {
    const began = performance.now();
    const url = new URL(location.href);
    url.searchParams.set("fragment", id);
    Object.entries(params || {}).forEach(([key, value]) => url.searchParams.set(key, value));
    const response = await fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } });
    if (!response.ok) throw new Problem(response.status, { detail: "could not redraw the page (" + response.status + ")" });
    const version = response.headers.get("X-Regie-Version");
    if (version && project) project.version = Number(version);
    const html = await response.text();
    const fetched = performance.now();
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.firstElementChild;
    if (!fresh || fresh.id !== id) throw new Problem(500, { detail: "the page answered something else than #" + id });
    const old = document.getElementById(id);
    if (old) patch(old, fresh, depth || 0);
    // What the last redraw cost: the request, and the parse and patch (layout comes after).
    timings.lastFetch = fetched - began;
    timings.lastPatch = performance.now() - fetched;
    return document.getElementById(id);
  }

  // Log out from every page.
  const logout = document.getElementById("logout");
  if (logout) logout.addEventListener("click", async () => {
    try { await api("POST", "/api/v1/auth/logout"); } catch (_) { /* the session may be gone */ }
    location.href = "/login";
  });

  /** Reads a form's named inputs as an object, leaving out empty optional values. */
  function formValues(form) {
    const values = {};
    new FormData(form).forEach((value, key) => { if (value !== "") values[key] = value; });
    return values;
  }

  /** Submits `form` with `send(values)`; shows the problem in the form's .formerror. */
  function onSubmit(form, send) {
    if (!form) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const slot = form.querySelector(".formerror");
      if (slot) slot.textContent = "";
      const button = form.querySelector('[type="submit"]');
      if (button) button.disabled = true;
      try { await send(formValues(form)); }
      catch (error) {
        if (slot) slot.textContent = error.message; else report(error);
      } finally { if (button) button.disabled = false; }
    });
  }

  // Portfolio: the new-project dialog.
  const dialog = document.getElementById("new-project");
  const opener = document.getElementById("new-project-open");
  if (dialog && opener) {
    opener.addEventListener("click", () => dialog.showModal());
    dialog.querySelector(".cancel").addEventListener("click", () => dialog.close());
    onSubmit(document.getElementById("new-project-form"), async (values) => {
      values.start = values.start + "T08:00";
      const created = await api("POST", "/api/v1/projects", values, { ifMatch: false });
      location.href = "/projects/" + created.id + "/tasks";
    });
  }

  // Account: password and API tokens.
  onSubmit(document.getElementById("password-form"), async (values) => {
    await api("POST", "/api/v1/me/password", values);
    toast("Password changed. Log in again with the new one.");
    setTimeout(() => { location.href = "/login"; }, 1200);
  });
  const tokens = document.getElementById("tokens");
  async function listTokens() {
    const list = await api("GET", "/api/v1/me/tokens");
    const body = tokens.querySelector("tbody");
    body.textContent = "";
    (list.items || []).filter((token) => !token.revoked_at).forEach((token) => {
      const row = body.insertRow();
      row.insertCell().textContent = token.name;
      row.insertCell().textContent = token.created_at.slice(0, 16).replace("T", " ");
      row.insertCell().textContent = token.last_used_at ? token.last_used_at.slice(0, 16).replace("T", " ") : "never";
      const revoke = document.createElement("button");
      revoke.type = "button"; revoke.className = "danger"; revoke.textContent = "Revoke";
      revoke.addEventListener("click", async () => {
        try { await api("DELETE", "/api/v1/me/tokens/" + token.id); await listTokens(); } catch (error) { report(error); }
      });
      row.insertCell().appendChild(revoke);
    });
    if (!body.rows.length) body.insertRow().insertCell().textContent = "No token yet.";
  }
  if (tokens) {
    listTokens().catch(report);
    onSubmit(document.getElementById("token-form"), async (values) => {
      const created = await api("POST", "/api/v1/me/tokens", values);
      const secret = document.getElementById("token-secret");
      secret.hidden = false;
      secret.textContent = "Copy it now, it will not be shown again: " + created.token;
      document.getElementById("token-form").reset();
      await listTokens();
    });
  }

  window.Regie = { api, request, patch, timings, toast, report, conflict, pushUndo, undo, undoListeners, refresh, project, Problem, onSubmit, formValues };
})();
