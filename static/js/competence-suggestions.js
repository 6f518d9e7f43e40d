// Suggested compétences beside the candidate's link form
// (templates/search/includes/link_suggestions.html): a click picks the compétence in the
// form's list and moves the focus to it, so the candidate checks it before explaining and
// saving. Nothing is sent. Without JavaScript the buttons stay hidden and the list reads
// as advice.

const select = document.getElementById("id_competence");
for (const button of document.querySelectorAll("[data-suggest-competence]")) {
  if (!select) break;
  const wanted = button.dataset.suggestCompetence;
  if (![...select.options].some((option) => option.value === wanted)) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    select.value = wanted;
    select.focus();
    const status = document.querySelector("[data-suggestion-status]");
    if (status) status.textContent = "Compétence choisie dans le formulaire : vérifiez-la, puis expliquez en quoi le document la prouve.";
  });
}
