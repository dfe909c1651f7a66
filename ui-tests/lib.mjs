// What the browser scenarios share: the settings from the environment, a small client of
// Regie's JSON API (for setting up and for checking what the browser did), Chromium, a runner
// that logs each scenario and step, and the generated 1,000-task plan.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (crates/regie-cli/tests/it/browser.rs sets it)`);
  return value;
}

function credentials(name) {
  const [login, ...rest] = need(name).split(":");
  return { login, password: rest.join(":") };
}

export const BASE = need("REGIE_URL").replace(/\/$/, "");
export const USERS = {
  admin: credentials("REGIE_ADMIN"),
  pm: credentials("REGIE_PM"),
  member: credentials("REGIE_MEMBER"),
  client: credentials("REGIE_CLIENT"),
};
export const SCREENSHOTS = process.env.REGIE_SCREENSHOTS || join(tmpdir(), "regie-ui-screenshots");
/** Comma-separated scenario letters to run (all by default), for working on one. */
export const ONLY = (process.env.REGIE_UI_ONLY || "").split(",").map((s) => s.trim()).filter(Boolean);
mkdirSync(SCREENSHOTS, { recursive: true });
// This run's pictures only: the previous run's (ours by their names) go.
for (const file of readdirSync(SCREENSHOTS)) {
  if (/^(desktop|phone|failure)-.*\.png$/.test(file)) rmSync(join(SCREENSHOTS, file));
}

export const log = (line) => process.stdout.write(line + "\n");
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const ms = (value) => `${Math.round(value)} ms`;

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Polls `probe` until it returns a truthy value (returned) or `timeout` ms pass. */
export async function eventually(what, probe, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(100);
  }
}

/** A logged-in API session (cookie + CSRF token), as a script would use the API. */
export class Api {
  static async login(user) {
    const response = await fetch(BASE + "/api/v1/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login: user.login, password: user.password }),
    });
    const body = await response.json();
    check(response.ok, `API login of ${user.login}: ${response.status} ${JSON.stringify(body)}`);
    const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    return new Api(cookie, body.csrf_token);
  }

  constructor(cookie, csrf) {
    this.cookie = cookie;
    this.csrf = csrf;
  }

  /** One call; `raw` is sent as is (a project file), `body` as JSON. Throws unless 2xx. */
  async call(method, path, { body, raw, ifMatch, expect } = {}) {
    const headers = { Cookie: this.cookie, "X-CSRF-Token": this.csrf, Accept: "application/json" };
    if (ifMatch !== undefined) headers["If-Match"] = `"${ifMatch}"`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (raw !== undefined) headers["Content-Type"] = "text/plain";
    const response = await fetch(BASE + path, {
      method,
      headers,
      body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = text; }
    const ok = expect ? response.status === expect : response.ok;
    check(ok, `${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return { status: response.status, headers: response.headers, json };
  }

  get(path) { return this.call("GET", path).then((r) => r.json); }

  async version(project) {
    const { headers } = await this.call("GET", `/api/v1/projects/${project}`);
    return Number(headers.get("etag").replace(/\W/g, ""));
  }

  /** Imports a KDL plan; returns the new project's id. */
  async importProject(name, kdl) {
    const { json } = await this.call("POST", `/api/v1/projects/import?format=kdl&name=${encodeURIComponent(name)}`, { raw: kdl });
    return json.id;
  }

  async userId(login) {
    const list = await this.get(`/api/v1/users?q=${encodeURIComponent(login)}`);
    const user = list.items.find((u) => u.login === login);
    check(user, `no user ${login}`);
    return user.id;
  }

  async addMember(project, login, role) {
    const id = await this.userId(login);
    await this.call("PUT", `/api/v1/projects/${project}/members/${id}`, { body: { role } });
  }

  task(project, uid) { return this.get(`/api/v1/projects/${project}/tasks/${encodeURIComponent(uid)}`); }

  async tasks(project) {
    return (await this.get(`/api/v1/projects/${project}/tasks?limit=1000`)).items;
  }

  async links(project) {
    return (await this.get(`/api/v1/projects/${project}/links?limit=1000`)).items;
  }
}

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.REGIE_CHROMIUM || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * Runs the scenarios one after another: each gets `open(options)` for browser contexts (all
 * closed after it, with a screenshot of every page when it failed) and fails on an uncaught
 * error in any of its pages.
 */
export class Runner {
  constructor(browser, pending = {}) {
    this.browser = browser;
    this.pending = pending;
    this.results = [];
  }

  async scenario(letter, title, body) {
    if (ONLY.length && !ONLY.includes(letter)) return;
    log(`\n== ${letter}. ${title}`);
    if (this.pending[letter]) {
      log(`   PENDING, not run: waits for ${this.pending[letter]}`);
      return;
    }
    const began = Date.now();
    const contexts = [];
    const pageErrors = [];
    const open = async (options = {}) => {
      const context = await this.browser.newContext({ viewport: DESKTOP, ...options });
      context.setDefaultTimeout(15000);
      context.on("page", (page) => page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
      contexts.push(context);
      return context;
    };
    try {
      await body(open);
      check(!pageErrors.length, `uncaught errors in the pages:\n    ${pageErrors.join("\n    ")}`);
      this.results.push({ letter, ok: true });
      log(`   ok (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    } catch (error) {
      this.results.push({ letter, ok: false });
      log(`   FAILED: ${error.stack || error}`);
      if (pageErrors.length) log(`   errors in the pages:\n    ${pageErrors.join("\n    ")}`);
      let n = 0;
      for (const context of contexts) {
        for (const page of context.pages()) {
          const file = join(SCREENSHOTS, `failure-${letter}-${++n}.png`);
          try {
            await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
            log(`   the page ${page.url()} at the failure: ${file}`);
          } catch { /* the page may be gone */ }
        }
      }
    } finally {
      for (const context of contexts) await context.close().catch(() => {});
    }
  }

  get failed() { return this.results.filter((r) => !r.ok).map((r) => r.letter); }
}

export const step = (text) => log(`  - ${text}`);

/** Logs in through the login form; lands where the server sends the user. */
export async function loginForm(page, user, next) {
  await page.goto(BASE + "/login" + (next ? `?next=${encodeURIComponent(next)}` : ""));
  await page.fill("#login", user.login);
  await page.fill("#password", user.password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/login")),
    page.click('button[type="submit"]'),
  ]);
}

/** A context of `user`, logged in through the form, with one page. */
export async function session(open, user, options) {
  const context = await open(options);
  const page = await context.newPage();
  await loginForm(page, user);
  return { context, page };
}

/**
 * A plan of about 1,000 tasks: `summaries` workstreams of `leaves` tasks each, chained by FS
 * links inside a workstream and from every workstream to the one `streams` before it (so
 * `streams` run in parallel), 20 people assigned in turn.
 */
export function bigPlan({ summaries = 60, leaves = 16, streams = 10, resources = 20 } = {}) {
  const lines = [
    'project "Speed" {',
    '    start "2027-01-04"',
    '    time-zone "Europe/Paris"',
    "}",
    "",
  ];
  for (let r = 1; r <= resources; r++) {
    lines.push(`resource "r${r}" name="Person ${r}" group="Team ${1 + (r % 4)}" rate=${60 + r}.00`);
  }
  lines.push("");
  for (let s = 1; s <= summaries; s++) {
    lines.push(`task "s${s}" "Workstream ${s}" {`);
    for (let i = 1; i <= leaves; i++) {
      const days = 1 + ((s * 7 + i * 3) % 5);
      lines.push(`    task "t${s}_${i}" "Task ${s}.${i}" duration="${days}d" {`);
      if (i > 1) lines.push(`        after "t${s}_${i - 1}"`);
      else if (s > streams) lines.push(`        after "t${s - streams}_${leaves}"`);
      lines.push(`        assign "r${1 + ((s * leaves + i) % resources)}"`);
      lines.push("    }");
    }
    lines.push("}");
  }
  return { kdl: lines.join("\n") + "\n", tasks: summaries * (leaves + 1), links: summaries * (leaves - 1) + (summaries - streams) };
}
