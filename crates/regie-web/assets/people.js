// People, workload and My work: see app.js for window.Regie.
// People (a project's team): add a resource or a vacation, remove a calendar exception, preview
// resource leveling. My work: percent complete, started and done, one project version per card.
"use strict";
(function () {
  const R = window.Regie;
  if (!R) return;

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  /** `2027-05-27T08:00` → `27 May` (with the year when `withYear`). */
  function shortDate(iso, withYear) {
    const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
    return d + " " + MONTHS[m - 1] + (withYear ? " " + y : "");
  }

  /** The day an instant that closes a period ends in (midnight closes the day before). */
  function endDate(iso) {
    if (iso.slice(11, 16) !== "00:00") return iso;
    const date = new Date(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10) - 1));
    return date.toISOString().slice(0, 10) + "T23:59";
  }

  /** `A`, `A and B`, `A, B and C`. */
  function sentenceList(items) {
    if (items.length <= 1) return items.join("");
    return items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  // ------------------------------------------------------------------ People

  function peopleData() {
    const node = document.getElementById("people-data");
    try { return node ? JSON.parse(node.textContent) : null; } catch (_) { return null; }
  }

  function slug(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  }

  /** Draws the People page's body again from the server (after a change). */
  async function redrawPeople() {
    await R.refresh("people-body");
    bindPeople();
  }

  function bindDialog(dialog, opener) {
    if (!dialog || !opener) return;
    opener.addEventListener("click", () => {
      const form = dialog.querySelector("form");
      if (form) {
        const slot = form.querySelector(".formerror");
        if (slot) slot.textContent = "";
      }
      dialog.showModal();
    });
    dialog.querySelector(".cancel").addEventListener("click", () => dialog.close());
  }

  /** Binds the controls of #people-body (again after each redraw: it is swapped whole). */
  function bindPeople() {
    const body = document.getElementById("people-body");
    if (!body) return;
    const data = peopleData() || { resources: {}, calendars: [] };
    const base = "/api/v1/projects/" + data.project;

    // Add a vacation: on the person's own calendar, or on a personal calendar created for it.
    const vacation = document.getElementById("vacation-dialog");
    bindDialog(vacation, document.getElementById("add-vacation-open"));
    const who = document.getElementById("vac-resource");
    const note = document.getElementById("vac-calendar-note");
    function describe() {
      const option = who && who.selectedOptions[0];
      if (!option || !note) return;
      note.textContent = option.dataset.own === "true"
        ? "Added to " + option.dataset.name + "'s own calendar."
        : option.dataset.name + " has no calendar of their own: a personal calendar based on their current one is created for this vacation, and only they move to it.";
    }
    if (who) { who.addEventListener("change", describe); describe(); }
    const from = document.getElementById("vac-from");
    const to = document.getElementById("vac-to");
    if (from && to) from.addEventListener("change", () => { if (!to.value || to.value < from.value) to.value = from.value; });
    R.onSubmit(document.getElementById("vacation-form"), async (values) => {
      const option = who.selectedOptions[0];
      if (values.to < values.from) throw new Error("The last day off is before the first.");
      const exception = { name: values.name || "Vacation", rule: { kind: "range", from: values.from, to: values.to }, shifts: [] };
      const person = option.dataset.name;
      if (option.dataset.own === "true") {
        await R.api("POST", base + "/calendars/" + option.dataset.calendar + "/exceptions", exception);
      } else {
        let uid = "cal-" + (slug(option.value) || "person");
        for (let n = 2; (data.calendars || []).includes(uid); n++) uid = "cal-" + slug(option.value) + "-" + n;
        const calendar = await R.api("POST", base + "/calendars", {
          uid, name: person, base: Number(option.dataset.calendar), exceptions: [exception],
        });
        try {
          await R.api("PATCH", base + "/resources/" + encodeURIComponent(option.value), { calendar: calendar.id });
        } catch (error) {
          throw new Error("The calendar “" + person + "” was created with the vacation, but " + person +
            " could not be moved to it (" + error.message + "). Choose it as their calendar in the task table, or remove it.");
        }
      }
      vacation.close();
      R.toast(values.name + " added for " + person + ", " + shortDate(values.from, true) + " – " + shortDate(values.to, true) + ".");
      await redrawPeople();
    });

    // Add a resource.
    const resource = document.getElementById("resource-dialog");
    bindDialog(resource, document.getElementById("add-resource-open"));
    const name = document.getElementById("res-name");
    const uid = document.getElementById("res-uid");
    if (name && uid) {
      name.addEventListener("input", () => { if (!uid.dataset.typed) uid.value = slug(name.value); });
      uid.addEventListener("input", () => { uid.dataset.typed = "1"; });
    }
    R.onSubmit(document.getElementById("resource-form"), async (values) => {
      const fields = { uid: values.uid, name: values.name, max_units: Number(values.max_units || 100) };
      if (values.group) fields.group = values.group;
      if (values.email) fields.email = values.email;
      if (values.calendar !== undefined && values.calendar !== "") fields.calendar = Number(values.calendar);
      if (values.rate) fields.standard_rate_cents = Math.round(Number(values.rate) * 100);
      await R.api("POST", base + "/resources", fields);
      resource.close();
      R.toast(values.name + " added to the project.");
      await redrawPeople();
    });

    // Remove a calendar exception.
    body.querySelectorAll(".exception-remove").forEach((button) => {
      button.addEventListener("click", async () => {
        const item = button.closest(".exception").dataset;
        if (!confirm("Remove “" + item.name + "” from this calendar?")) return;
        button.disabled = true;
        try {
          await R.api("DELETE", base + "/calendars/" + item.calendar + "/exceptions/" + item.index);
          R.toast("“" + item.name + "” removed.");
          await redrawPeople();
        } catch (error) { button.disabled = false; R.report(error); }
      });
    });

    // Leveling: a preview of what it would move, and why.
    const level = document.getElementById("level-button");
    if (level) level.addEventListener("click", () => previewLeveling(data, level));
    const apply = document.getElementById("level-apply");
    if (apply) apply.addEventListener("click", () => applyLeveling(data, apply));
  }

  /** Keeps the leveling: the delayed tasks get start-no-earlier-than constraints, in one
   *  change of the plan (one version in the history). */
  async function applyLeveling(data, button) {
    const count = document.querySelectorAll("#level-delays li").length;
    if (!confirm("Delay " + count + " task" + (count === 1 ? "" : "s") + " with start-no-earlier-than constraints, as previewed? This is one change in the project's history.")) return;
    button.disabled = true;
    try {
      const answer = await R.api("POST", "/api/v1/projects/" + data.project + "/level");
      await redrawPeople();
      R.toast(answer.moved ? "Leveled: " + answer.moved + " task" + (answer.moved === 1 ? "" : "s") + " now start later." : "Leveling moved no task.");
    } catch (error) {
      button.disabled = false;
      R.report(error);
    }
  }

  async function previewLeveling(data, button) {
    const card = document.getElementById("leveling");
    const status = document.getElementById("level-status");
    const unresolved = document.getElementById("level-unresolved");
    const list = document.getElementById("level-delays");
    card.hidden = false;
    list.textContent = "";
    unresolved.textContent = "";
    status.textContent = "Leveling the plan…";
    button.disabled = true;
    card.setAttribute("aria-busy", "true");
    try {
      const answer = await R.api("GET", "/api/v1/projects/" + data.project + "/schedule?level=true");
      const tasks = new Map((answer.tasks || []).map((task, index) => [task.uid, Object.assign({ index }, task)]));
      const label = (uid) => { const task = tasks.get(uid); return task ? task.wbs + " " + task.name : uid; };
      const person = (uid) => (data.resources && data.resources[uid]) || uid;
      const leveling = answer.leveling || { delays: [], unresolved_days: 0 };
      const delays = (leveling.delays || []).slice().sort((a, b) => a.to.localeCompare(b.to) ||
        ((tasks.get(a.task) || {}).index || 0) - ((tasks.get(b.task) || {}).index || 0));
      delays.forEach((delay) => {
        const years = delay.from.slice(0, 4) !== delay.to.slice(0, 4);
        const until = endDate(delay.busy_until);
        const item = document.createElement("li");
        item.className = "level-delay";
        item.dataset.task = delay.task;
        const held = (delay.held_by || []).map(label);
        item.textContent = label(delay.task) + " starts " + shortDate(delay.to, years) + " instead of " +
          shortDate(delay.from, years) + ": " + person(delay.waits_for) +
          (held.length ? " is on " + sentenceList(held) : " is busy") +
          " until " + shortDate(until, until.slice(0, 4) !== delay.to.slice(0, 4)) + ".";
        list.appendChild(item);
      });
      const finish = answer.project && answer.project.finish;
      let text = delays.length === 0
        ? "Leveling moves no task."
        : delays.length + " task" + (delays.length === 1 ? "" : "s") + " would start later.";
      if (finish && data.finish && delays.length) {
        text += finish === data.finish
          ? " The plan's finish does not move (" + shortDate(endDate(finish), true) + ")."
          : " The plan would finish " + shortDate(endDate(finish), true) + " instead of " + shortDate(endDate(data.finish), true) + ".";
      }
      status.textContent = text;
      const apply = document.getElementById("level-apply");
      if (apply) { apply.hidden = delays.length === 0; apply.disabled = false; }
      const days = leveling.unresolved_days || 0;
      unresolved.className = days ? "bad" : "good";
      unresolved.textContent = days
        ? days + " over-allocated day" + (days === 1 ? "" : "s") + " would remain: leveling cannot resolve them (work already done or underway, a person booked beyond capacity by one task alone, or constraints that pin the tasks)."
        : "No over-allocation would remain.";
    } catch (error) {
      status.textContent = "Leveling failed: " + error.message;
      R.report(error);
    } finally {
      button.disabled = false;
      card.removeAttribute("aria-busy");
    }
  }

  bindPeople();

  // ------------------------------------------------------------------ My work

  /** Now on the browser's clock, `YYYY-MM-DDTHH:MM`. */
  function nowIso() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) + "T" + pad(now.getHours()) + ":" + pad(now.getMinutes());
  }

  /** When the task started: as planned if that is past, else today at the planned hour. */
  function startGuess(card) {
    const planned = card.dataset.start, now = nowIso();
    return planned <= now ? planned : now.slice(0, 10) + planned.slice(10);
  }

  /** When the task finished: as planned if that is past, else now (never before its start). */
  function finishGuess(card, start) {
    const planned = card.dataset.finish, now = nowIso();
    const finish = planned <= now ? planned : now;
    return finish < start ? start : finish;
  }

  /** The progress fields that set `percent` as MS Project does: started when above 0,
   *  finished at 100, the actual dates cleared going back. */
  function progressFor(card, percent) {
    const fields = { percent_complete: percent };
    const start = card.dataset.actualStart;
    if (percent === 0) {
      fields.actual_start = null;
      fields.actual_finish = null;
      return fields;
    }
    const actualStart = start || startGuess(card);
    if (!start) fields.actual_start = actualStart;
    if (percent === 100 && !card.dataset.actualFinish) fields.actual_finish = finishGuess(card, actualStart);
    if (percent < 100 && card.dataset.actualFinish) fields.actual_finish = null;
    return fields;
  }

  function showProgress(card, task) {
    const percent = task.percent_complete;
    card.dataset.percent = percent;
    card.dataset.actualStart = task.actual_start ? task.actual_start.slice(0, 16) : "";
    card.dataset.actualFinish = task.actual_finish ? task.actual_finish.slice(0, 16) : "";
    card.querySelector(".mywork-percent .value").textContent = percent;
    const bar = card.querySelector(".progress");
    bar.setAttribute("aria-valuenow", percent);
    bar.querySelector("span").style.width = percent + "%";
    const state = card.querySelector(".mywork-state");
    state.textContent = percent >= 100 ? "Done" : (percent > 0 || card.dataset.actualStart ? "In progress" : "Not started");
    state.classList.toggle("good", percent >= 100);
    card.classList.toggle("done", percent >= 100);
    if (percent >= 100) {
      card.classList.remove("overdue");
      const late = card.querySelector(".mywork-dates .badge.bad");
      if (late) late.remove();
    }
    card.querySelectorAll(".percent-button").forEach((button) => {
      button.setAttribute("aria-pressed", Number(button.dataset.percent) === percent ? "true" : "false");
    });
    const started = card.querySelector(".mark-started");
    if (started) started.hidden = !!card.dataset.actualStart;
    const done = card.querySelector(".mark-done");
    if (done) done.hidden = percent >= 100;
  }

  async function saveProgress(card, fields, label) {
    const project = card.dataset.project;
    const previous = {
      percent_complete: Number(card.dataset.percent),
      actual_start: card.dataset.actualStart || null,
      actual_finish: card.dataset.actualFinish || null,
    };
    const buttons = card.querySelectorAll("button");
    buttons.forEach((button) => { button.disabled = true; });
    card.setAttribute("aria-busy", "true");
    try {
      const url = "/api/v1/projects/" + project + "/tasks/" + encodeURIComponent(card.dataset.task) + "/progress";
      const answer = await R.request("PATCH", url, { body: fields, version: card.dataset.version });
      if (answer.version) {
        document.querySelectorAll('.mywork-task[data-project="' + project + '"]').forEach((other) => {
          other.dataset.version = answer.version;
        });
      }
      showProgress(card, answer.data);
      const name = card.querySelector(".mywork-name").textContent.trim();
      R.toast(name + ": " + label + ".");
      if (label !== "undone") {
        R.pushUndo(name + " " + label, () => saveProgress(card, previous, "undone"));
      }
    } catch (error) {
      R.report(error);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
      card.removeAttribute("aria-busy");
    }
  }

  const mywork = document.getElementById("mywork");
  if (mywork) {
    mywork.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      const card = button && button.closest(".mywork-task");
      if (!card || button.disabled) return;
      if (button.classList.contains("percent-button")) {
        const percent = Number(button.dataset.percent);
        saveProgress(card, progressFor(card, percent), percent + "% complete");
      } else if (button.classList.contains("mark-started")) {
        saveProgress(card, { actual_start: startGuess(card) }, "started");
      } else if (button.classList.contains("mark-done")) {
        saveProgress(card, progressFor(card, 100), "done");
      }
    });
  }
})();
