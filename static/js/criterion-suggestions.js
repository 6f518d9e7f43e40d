// Suggested criteria beside the passage form (templates/search/includes/suggestions.html):
// a click ticks the criterion in the form, opens its bloc and moves the focus to it, so the
// evaluator checks it before linking. Nothing is sent: the form's own button does that.
// Without JavaScript the buttons stay hidden and the list reads as advice.

for (const button of document.querySelectorAll("[data-suggest-criterion]")) {
  const box = document.getElementById(`link-criterion-${button.dataset.suggestCriterion}`);
  if (!box) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    box.checked = true;
    const bloc = box.closest("details");
    if (bloc) bloc.open = true;
    box.focus();
    const status = document.querySelector("[data-suggestion-status]");
    if (status) status.textContent = "Critère coché dans le formulaire : vérifiez avant de relier le passage.";
  });
}
