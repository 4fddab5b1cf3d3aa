// The board's own script: small conveniences only; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.body.dataset.boardScript = "ran";
  for (const select of document.querySelectorAll("select.autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
  }
  const asks = {
    "merge-form": "Merge these questions? The decision is kept through every later run.",
    "split-form": "Split the ticked claims into a question of their own?",
  };
  for (const [id, question] of Object.entries(asks)) {
    const form = document.getElementById(id);
    if (form) form.addEventListener("submit", (event) => { if (!window.confirm(question)) event.preventDefault(); });
  }
});
