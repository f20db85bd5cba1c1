// Progressive enhancement only: every page works without this script.
document.addEventListener("DOMContentLoaded", () => {
  // Bring keyboard and screen-reader users straight to the list of errors.
  const summary = document.querySelector("[data-focus]");
  if (summary) summary.focus();

  // Show the custom rate only when "a precise rate" is chosen.
  const rate = document.querySelector("#rate");
  const penalties = document.querySelectorAll("input[name=penalty]");
  if (rate && penalties.length) {
    const field = rate.closest(".field");
    const sync = () => {
      const custom = document.querySelector("input[name=penalty]:checked")?.value === "custom";
      field.hidden = !custom && !field.classList.contains("has-error");
    };
    penalties.forEach((input) => input.addEventListener("change", sync));
    sync();
  }

  // Show the collective-proceedings details only when the debtor is in proceedings.
  const kinds = document.querySelectorAll("input[name=proceedings]");
  if (kinds.length) {
    const fields = ["#opened", "#published", "#mandataire"]
      .map((id) => document.querySelector(id)?.closest(".field")).filter(Boolean);
    const sync = () => {
      const none = document.querySelector("input[name=proceedings]:checked")?.value === "none";
      fields.forEach((f) => { f.hidden = none && !f.classList.contains("has-error"); });
    };
    kinds.forEach((input) => input.addEventListener("change", sync));
    sync();
  }

  // Select the whole resume link on focus, ready to copy.
  document.querySelectorAll("input.copy, textarea.copy").forEach((el) => el.addEventListener("focus", () => el.select()));
});
