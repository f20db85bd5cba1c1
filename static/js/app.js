// Progressive enhancement only: every page works without this script.
// No inline script or handler anywhere: the pages can run under a strict Content-Security-Policy.
document.addEventListener("DOMContentLoaded", () => {
  // Bring keyboard and screen-reader users straight to the list of errors.
  const summary = document.querySelector("[data-focus]");
  if (summary) summary.focus();

  // Show fields only when the answer that needs them is chosen (they stay shown when in error).
  const fieldOf = (id) => document.getElementById(id)?.closest(".field");
  const showWhen = (radioName, blocks, shown) => {
    const radios = document.querySelectorAll(`input[name="${radioName}"]`);
    const parts = blocks.filter(Boolean);
    if (!radios.length || !parts.length) return;
    const sync = () => {
      const value = document.querySelector(`input[name="${radioName}"]:checked`)?.value;
      parts.forEach((part) => {
        const inError = part.classList.contains("has-error") || part.querySelector(".has-error");
        part.hidden = !shown(value) && !inError;
      });
    };
    radios.forEach((input) => input.addEventListener("change", sync));
    sync();
  };
  // The custom rate, only for "a precise rate".
  showWhen("penalty", [fieldOf("rate"), document.querySelector('input[name="below_floor"]')?.closest("fieldset")],
    (value) => value === "custom");
  // The collective-proceedings details, only when the debtor is in proceedings.
  showWhen("proceedings", [document.getElementById("procedure-collective")],
    (value) => value !== undefined && value !== "none");
  // What the client disputes, only when he does.
  showWhen("litige-contested", [fieldOf("litige-details")], (value) => value === "yes");

  // Ask before deleting (the delete buttons are small forms carrying data-confirm).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // Warn before leaving a page where something typed has not been saved: an invoice typed
  // but not added, then "Continuer" clicked, would otherwise be lost without a word.
  const unsaved = new Set();
  const LOST_ELSEWHERE = "Ce que vous avez saisi dans un autre cadre de cette page n'est pas enregistré "
    + "(par exemple une pièce décrite mais pas ajoutée avec son bouton). Continuer sans l'enregistrer ?";
  document.querySelectorAll("form[data-unsaved]").forEach((form) => {
    // A form shown again with errors holds what was typed, not saved yet.
    if (form.querySelector(".has-error")) unsaved.add(form);
    const touched = () => unsaved.add(form);
    form.addEventListener("input", touched);
    form.addEventListener("change", touched);
    form.addEventListener("submit", (event) => {
      unsaved.delete(form);
      // Another form of this page holds something typed and not saved (a piece described but
      // not added, then "Enregistrer et continuer"): say so rather than lose it without a word.
      if (unsaved.size && !window.confirm(LOST_ELSEWHERE)) {
        event.preventDefault();
        unsaved.add(form);
        return;
      }
      unsaved.clear();
    });
  });
  document.querySelectorAll("form:not([data-unsaved])").forEach((form) => {
    form.addEventListener("submit", (event) => { if (!event.defaultPrevented) unsaved.clear(); });
  });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A "Copy" button beside the resume link and the e-mail to copy.
  document.querySelectorAll("[data-copy]").forEach((field) => {
    field.addEventListener("focus", () => field.select());
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Copier";
    const label = field.getAttribute("aria-label") || field.labels?.[0]?.textContent;
    if (label) button.setAttribute("aria-label", `Copier : ${label}`);
    const done = document.createElement("span");
    done.className = "copied";
    done.setAttribute("role", "status");
    button.addEventListener("click", async () => {
      field.focus();
      field.select();
      let copied = false;
      try {
        await navigator.clipboard.writeText(field.value);
        copied = true;
      } catch {
        copied = document.execCommand && document.execCommand("copy");
      }
      done.textContent = copied ? "Copié." : "Sélectionné : copiez avec Ctrl+C (ou ⌘+C).";
    });
    field.after(button, done);
  });

  // A file too large is refused here, before minutes of sending for nothing (the server
  // checks again, and shows the step again with everything typed if this did not run).
  const megabytes = (bytes) => Math.floor(bytes / (1024 * 1024));
  document.querySelectorAll('input[type="file"]').forEach((input) => {
    const max = Number(input.name === "archive" ? document.body.dataset.importMax : document.body.dataset.uploadMax);
    if (!max) return;
    const message = document.createElement("p");
    message.className = "error";
    message.id = `${input.id}-trop-gros`;
    message.setAttribute("role", "alert");
    message.hidden = true;
    input.before(message);
    const check = () => {
      const file = input.files && input.files[0];
      const tooLarge = Boolean(file && file.size > max);
      message.hidden = !tooLarge;
      message.textContent = tooLarge
        ? `Ce fichier (${file.name}, ${megabytes(file.size)} Mo) dépasse ${megabytes(max)} Mo : réduisez-le (ou numérisez-le en résolution plus basse), puis choisissez-le à nouveau.`
        : "";
      input.setAttribute("aria-invalid", tooLarge ? "true" : "false");
      if (tooLarge) input.value = "";
      return !tooLarge;
    };
    input.addEventListener("change", check);
    input.form?.addEventListener("submit", (event) => { if (!check()) event.preventDefault(); });
  });

  // A PDF built on demand takes a few seconds: say so, instead of a button that seems dead.
  document.querySelectorAll("a[data-busy]").forEach((link) => {
    const note = document.createElement("span");
    note.className = "busy";
    note.setAttribute("role", "status");
    link.parentElement.append(note);
    link.addEventListener("click", () => {
      note.textContent = " Préparation du PDF… le téléchargement commence dans quelques secondes.";
      window.setTimeout(() => { note.textContent = ""; }, 15000);
    });
  });
});
