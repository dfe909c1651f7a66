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

  /** Calls the API. Writes on the project send If-Match; the answer's ETag becomes the
   *  page's version. Throws a Problem for every answer that is not 2xx. */
  async function api(method, url, body, options) {
    options = options || {};
    const headers = { "Accept": "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && project && options.ifMatch !== false) headers["If-Match"] = '"' + project.version + '"';
    const response = await fetch(url, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const etag = response.headers.get("ETag");
    if (etag && project && method !== "GET") project.version = Number(etag.replace(/\W/g, ""));
    const text = await response.text();
    let data = null;
    if (text) { try { data = JSON.parse(text); } catch (_) { data = { detail: text }; } }
    if (!response.ok) {
      const problem = new Problem(response.status, data);
      if (response.status === 412) conflict(problem);
      if (response.status === 401) location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      throw problem;
    }
    return data;
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

  /** Fetches this page again as a fragment (`?fragment=NAME`) and swaps the element `id`. */
  async function refresh(id, params) {
    const url = new URL(location.href);
    url.searchParams.set("fragment", id);
    Object.entries(params || {}).forEach(([key, value]) => url.searchParams.set(key, value));
    const response = await fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } });
    if (!response.ok) throw new Problem(response.status, { detail: "could not redraw the page (" + response.status + ")" });
    const version = response.headers.get("X-Regie-Version");
    if (version && project) project.version = Number(version);
    const html = await response.text();
    const old = document.getElementById(id);
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.firstElementChild;
    if (!fresh || fresh.id !== id) throw new Problem(500, { detail: "the page answered something else than #" + id });
    if (old) old.replaceWith(fresh);
    return fresh;
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

  window.Regie = { api, toast, report, conflict, pushUndo, undo, undoListeners, refresh, project, Problem, onSubmit, formValues };
})();
