// A character counter under every text area that has a limit (maxlength), shown once the
// text comes near it, so that nobody learns the limit from an error after writing.
//
// Progressive enhancement: without JavaScript the browser's maxlength stops the typing at
// the limit. With it, the limit moves to data-max-chars and maxlength goes away: a browser
// cuts a pasted text at maxlength without a word, and the server already refuses an
// over-long text with a French message that keeps all of it, so nothing typed is lost.
//
// Two elements: the visible counter, updated at each keystroke (aria-hidden: read out at
// each keystroke, it would drown what is being typed), and a polite live region that
// repeats it once typing pauses. The counter is also tied to the text area by
// aria-describedby so that it is read when the field gets the focus.
//
// Line breaks count one character, as the server counts them (vae.forms.FreeTextField).
// The narrative editor (autosave.js) has its own counter and is left alone.

const numberFormat = new Intl.NumberFormat("fr-FR");
// Show the counter from this share of the limit on.
const SHOW_FROM = 0.8;
const ANNOUNCE_AFTER_MS = 1000;

function plural(count, word) {
  return `${numberFormat.format(count)} ${word}${Math.abs(count) >= 2 ? "s" : ""}`;
}

function message(length, max) {
  if (length > max) {
    return `${plural(length - max, "caractère")} de trop : raccourcissez le texte (au plus ${numberFormat.format(max)}).`;
  }
  const left = max - length;
  return left === 0
    ? `Limite atteinte : ${numberFormat.format(max)} caractères.`
    : `Encore ${plural(left, "caractère")} possible${left >= 2 ? "s" : ""} sur ${numberFormat.format(max)}.`;
}

function attach(textarea, index) {
  const max = Number(textarea.getAttribute("maxlength"));
  if (!Number.isInteger(max) || max <= 0) return;
  textarea.dataset.maxChars = String(max);
  textarea.removeAttribute("maxlength");

  const id = `${textarea.id || `texte-${index}`}-compteur`;
  const counter = document.createElement("p");
  counter.className = "char-count";
  counter.id = id;
  counter.hidden = true;
  const visible = document.createElement("span");
  visible.setAttribute("aria-hidden", "true");
  const live = document.createElement("span");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  counter.append(visible, live);
  textarea.after(counter);
  const described = textarea.getAttribute("aria-describedby");
  textarea.setAttribute("aria-describedby", described ? `${described} ${id}` : id);

  // An error from the server keeps its aria-invalid whatever the length.
  const serverInvalid = textarea.getAttribute("aria-invalid") === "true";
  const show = () => {
    const length = textarea.value.length;
    const near = length >= max * SHOW_FROM;
    counter.hidden = !near;
    counter.dataset.kind = length > max ? "error" : "";
    if (length > max || serverInvalid) textarea.setAttribute("aria-invalid", "true");
    else textarea.removeAttribute("aria-invalid");
    visible.textContent = near ? message(length, max) : "";
    return visible.textContent;
  };
  let pending = null;
  textarea.addEventListener("input", () => {
    const text = show();
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      live.textContent = text;
    }, ANNOUNCE_AFTER_MS);
  });
  // Text shown again after an error (or restored by the browser) gets its counter at once.
  show();
}

document
  .querySelectorAll("textarea[maxlength]:not([data-narrative-text])")
  .forEach((textarea, index) => attach(textarea, index));
