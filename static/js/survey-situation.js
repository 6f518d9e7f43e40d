// Follow-up survey: the questions about the job are for the employed only. Hide them while
// another situation is chosen, show them as soon as « En emploi » is. Without JavaScript
// they stay visible and the server ignores them unless the holder is employed; hidden
// answers are ignored the same way, so nothing typed is lost when the choice changes back.

const EMPLOYED = "employed";

function follow(form) {
  const job = form.querySelector("[data-survey-job]");
  const choices = form.querySelectorAll("input[data-survey-situation]");
  if (!job || !choices.length) return;
  const update = () => {
    const chosen = form.querySelector("input[data-survey-situation]:checked");
    job.hidden = !chosen || chosen.value !== EMPLOYED;
  };
  for (const choice of choices) choice.addEventListener("change", update);
  update();
}

for (const form of document.querySelectorAll("form")) follow(form);
