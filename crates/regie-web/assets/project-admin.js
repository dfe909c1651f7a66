// Members, files (import/export) and history: see app.js for window.Regie.
// Members: change a role, remove, add by login (memberships take no If-Match).
// Files: replace the plan from a file (PUT .../content with If-Match); Import: a new project.
"use strict";
(function () {
  const R = window.Regie;
  if (!R) return;

  // ---- Members ----------------------------------------------------------------------------
  const membersBase = R.project ? "/api/v1/projects/" + R.project.id + "/members/" : null;

  function membersList() { return document.getElementById("members-list"); }

  async function redrawMembers() {
    await R.refresh("members-list");
  }

  /** The last project manager about to demote or remove themselves loses the page. */
  function managers() {
    return Array.from(document.querySelectorAll("#members-list select.member-role"))
      .filter((select) => select.dataset.current === "project-manager").length;
  }

  if (membersList() && membersBase) {
    // Delegated: the list is redrawn after each change.
    document.addEventListener("change", async (event) => {
      const select = event.target;
      if (!(select instanceof HTMLSelectElement) || !select.classList.contains("member-role")) return;
      const row = select.closest("tr");
      const before = select.dataset.current;
      const role = select.value;
      const label = select.options[select.selectedIndex].text;
      if (row.dataset.self && before === "project-manager" && role !== "project-manager" &&
          !confirm("You will no longer manage this project" + (managers() <= 1 ? " and it will have no project manager" : "") + ". Continue?")) {
        select.value = before;
        return;
      }
      select.disabled = true;
      try {
        await R.api("PUT", membersBase + row.dataset.user, { role }, { ifMatch: false });
        select.dataset.current = role;
        R.toast(row.dataset.name + " is now " + label + ".");
        R.pushUndo("role of " + row.dataset.name, async () => {
          await R.api("PUT", membersBase + row.dataset.user, { role: before }, { ifMatch: false });
          await redrawMembers();
        });
        if (row.dataset.self && role !== "project-manager") { location.reload(); return; }
      } catch (error) {
        select.value = before;
        R.report(error);
      } finally { select.disabled = false; }
    });

    document.addEventListener("click", async (event) => {
      const button = event.target.closest && event.target.closest("button.member-remove");
      if (!button) return;
      const row = button.closest("tr");
      const select = row.querySelector("select.member-role");
      const role = select ? select.dataset.current : null;
      let question = "Remove " + row.dataset.name + " (" + row.dataset.login + ") from this project?";
      if (row.dataset.self) question += " You will lose access to it.";
      else if (role === "project-manager" && managers() <= 1) question += " The project will have no project manager.";
      if (!confirm(question)) return;
      button.disabled = true;
      try {
        await R.api("DELETE", membersBase + row.dataset.user, undefined, { ifMatch: false });
        R.toast(row.dataset.name + " was removed.");
        if (row.dataset.self) { location.href = "/"; return; }
        if (role) R.pushUndo("removal of " + row.dataset.name, async () => {
          await R.api("PUT", membersBase + row.dataset.user, { role }, { ifMatch: false });
          await redrawMembers();
        });
        await redrawMembers();
      } catch (error) {
        button.disabled = false;
        R.report(error);
      }
    });

    const addForm = document.getElementById("member-add-form");
    R.onSubmit(addForm, async (values) => {
      const login = (values.login || "").trim();
      if (!login) throw new Error("Type a login.");
      // The page resolves the exact login to an account (managers cannot list users).
      const found = await R.refresh("member-lookup", { login });
      const user = found && found.dataset.user;
      if (!user) throw new Error((found && found.textContent) || "No such user.");
      if (document.querySelector('#members-list tr[data-user="' + user + '"]')) {
        throw new Error(found.dataset.name + " is already a member: change their role in the list.");
      }
      await R.api("PUT", membersBase + user, { role: values.role }, { ifMatch: false });
      R.toast(found.dataset.name + " was added.");
      R.pushUndo("adding " + found.dataset.name, async () => {
        await R.api("DELETE", membersBase + user, undefined, { ifMatch: false });
        await redrawMembers();
      });
      addForm.reset();
      await redrawMembers();
    });
  }

  // ---- Files: upload a project file --------------------------------------------------------

  /** The API's located errors (file:line:col), verbatim. */
  function showErrors(box, error) {
    if (!box) return;
    const lines = (error.errors || []).map((item) => item.message);
    box.textContent = lines.length ? lines.join("\n\n") : "";
    box.hidden = !lines.length;
  }

  function fileForm(formId, errorsId, send) {
    const form = document.getElementById(formId);
    if (!form) return;
    const box = document.getElementById(errorsId);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const slot = form.querySelector(".formerror");
      slot.textContent = "";
      if (box) { box.hidden = true; box.textContent = ""; }
      const input = form.querySelector('input[type="file"]');
      const file = input.files && input.files[0];
      if (!file) { slot.textContent = "Choose a file."; return; }
      const button = form.querySelector('[type="submit"]');
      button.disabled = true;
      try { await send(form, file); }
      catch (error) {
        if (error instanceof R.Problem && error.status === 412) return;
        slot.textContent = error.message;
        showErrors(box, error);
      } finally { button.disabled = false; }
    });
  }

  fileForm("replace-form", "replace-errors", async (form, file) => {
    if (!confirm("Replace the whole plan of this project with " + file.name + "? Every task, link, resource, assignment and calendar will be those of the file.")) return;
    const format = form.querySelector('select[name="format"]').value;
    await R.request("PUT", form.dataset.url + "?format=" + encodeURIComponent(format), { file });
    R.toast("The plan was replaced by " + file.name + ".");
    setTimeout(() => { location.href = "/projects/" + R.project.id; }, 800);
  });

  fileForm("import-form", "import-errors", async (form, file) => {
    const params = new URLSearchParams();
    params.set("format", form.querySelector('select[name="format"]').value);
    const name = form.querySelector('input[name="name"]').value.trim();
    if (name) params.set("name", name);
    const phase = form.querySelector('select[name="phase"]').value;
    if (phase) params.set("phase", phase);
    const created = (await R.request("POST", "/api/v1/projects/import?" + params, { file, ifMatch: false })).data;
    location.href = "/projects/" + created.id;
  });
})();
