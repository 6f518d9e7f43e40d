// Passage selection on the evaluator's dossier and evidence pages (progressive
// enhancement: without this script the positions are typed in the form).
//
// A selection inside one element marked [data-source] ("narrative:<pk>" or
// "page:<evidence pk>:<n>") fills the passage form: kind, source, start and end, and
// says what was selected in the form's live region. Offsets count code points of the
// element's textContent, like Python's len() on the stored text (the server renders
// that text verbatim, highlights being <mark> elements around parts of it).

const form = document.querySelector("[data-passage-form]");
const sources = Array.from(document.querySelectorAll("[data-source]"));

// Code points, not UTF-16 units: an emoji or a mathematical letter from a PDF counts
// as one character on the server.
const length = (text) => Array.from(text).length;

function field(name) {
  return form.elements.namedItem(`link-${name}`);
}

// A select, a number input, a hidden input or a radio list (RadioNodeList ticks the
// radio of that value): all take .value.
function setValue(name, value) {
  const control = field(name);
  if (control) control.value = value;
}

// The source element the selection lies in, and the selection clipped to it. A triple
// click may end the range at the start of the next element: that overflow is dropped.
function selectedPassage(selection) {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const touched = sources.filter((source) => range.intersectsNode(source));
  if (touched.length !== 1) return touched.length > 1 ? { error: "several" } : null;
  const source = touched[0];
  const whole = document.createRange();
  whole.selectNodeContents(source);
  const clipped = range.cloneRange();
  if (clipped.compareBoundaryPoints(Range.START_TO_START, whole) < 0) {
    clipped.setStart(whole.startContainer, whole.startOffset);
  }
  if (clipped.compareBoundaryPoints(Range.END_TO_END, whole) > 0) {
    clipped.setEnd(whole.endContainer, whole.endOffset);
  }
  const before = document.createRange();
  before.setStart(whole.startContainer, whole.startOffset);
  before.setEnd(clipped.startContainer, clipped.startOffset);
  let quote = clipped.toString();
  let start = length(before.toString());
  // Double clicks often take the space after a word: keep the words only.
  const leading = quote.length - quote.trimStart().length;
  start += length(quote.slice(0, leading));
  quote = quote.trim();
  if (!quote) return null;
  return { source, start, end: start + length(quote), quote };
}

function describe(source) {
  const label = source.getAttribute("aria-label") || "";
  return label ? ` (${label.charAt(0).toLowerCase()}${label.slice(1)})` : "";
}

function show(message) {
  const preview = form.querySelector("[data-passage-preview]");
  preview.replaceChildren();
  for (const part of message) {
    const p = document.createElement("p");
    p.textContent = part;
    preview.append(p);
  }
}

function fill(passage) {
  const [kind, first, second] = passage.source.dataset.source.split(":");
  if (kind === "narrative") {
    setValue("kind", "narrative");
    setValue("narrative", first);
  } else if (kind === "page") {
    setValue("kind", "page_text");
    setValue("evidence", first);
    setValue("page", second);
  } else {
    return;
  }
  setValue("start", String(passage.start));
  setValue("end", String(passage.end));
  const excerpt =
    passage.quote.length > 300 ? `${passage.quote.slice(0, 300)}…` : passage.quote;
  show([
    `Passage sélectionné${describe(passage.source)}, caractères ${passage.start} à ${passage.end} :`,
    `« ${excerpt} »`,
    "Cochez les critères qu'il prouve, puis « Relier ce passage ».",
  ]);
}

let pending = 0;

function onSelectionChange() {
  // selectionchange fires for every caret move: wait for the selection to settle.
  window.clearTimeout(pending);
  pending = window.setTimeout(() => {
    const passage = selectedPassage(document.getSelection());
    if (passage === null) return; // Clicking into the form must not clear it.
    if (passage.error === "several") {
      show(["Sélectionnez un passage à l'intérieur d'un seul texte."]);
      return;
    }
    fill(passage);
  }, 250);
}

if (form && sources.length) {
  document.addEventListener("selectionchange", onSelectionChange);
  const hint = form.querySelector("[data-passage-hint]");
  if (hint) {
    hint.textContent +=
      " Les positions de l'extrait se remplissent dès que vous sélectionnez du texte.";
  }
}
