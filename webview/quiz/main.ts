// The sidebar quiz: renders the host's QuizState and sends back what the user does. Keyboard
// first: Space shows the answer, 1–4 grade (Again, Hard, Good, Easy), u undoes. Every control
// also works by Tab + Enter/Space and has an accessible name.
import '../ui/render/toolkitElements';
import { button, checkbox, divider, dropdown, isButton, isFormControl, setButtonContent, setDropdownOptions } from '../ui/render/toolkit';
import { renderCardHtml } from './cardContent';
import { renderStats } from './statsView';
import {
  RATINGS, RATING_NAMES, isQuizDeckId, type QuizDeckView, type QuizHostMessage, type QuizRating, type QuizState, type QuizViewMessage,
} from '../../protocol';
import { plural } from '../ui/text';
import { el } from '../ui/dom';

// The view keeps no webview state: the host holds the queue and sends it on `ready`.
const vscode = acquireVsCodeApi<never>();
const send = (msg: QuizViewMessage) => vscode.postMessage(msg);

// ---- layout -------------------------------------------------------------------------------------

const root = el('main', { id: 'quiz-root', 'aria-label': 'RNN Lens quiz' });
const counts = el('p', { id: 'counts', class: 'counts', 'aria-live': 'polite' });

const filters = el('details', { id: 'filters', class: 'filters' });
const filtersSummary = el('summary', {}, 'Filter');
const levelSelect = dropdown('filter-level', 'Filter by level', [], '', () => sendFilter());
const tagSelect = dropdown('filter-tag', 'Filter by tag', [], '', () => sendFilter());
const thisFileBox = checkbox('filter-this-file', 'Only terms in this file', () => sendFilter());
const thisFileNote = el('p', { id: 'this-file-note', class: 'hint' });
/** One checkbox per deck: the decks the quiz asks from (saved in the setting rnnLens.quiz.decks). */
const decksGroup = el('div', { id: 'decks', class: 'decks', role: 'group', 'aria-labelledby': 'decks-label' });
const decksLabel = el('p', { id: 'decks-label', class: 'decks-label' }, 'Decks');
const deckBoxes = new Map<string, HTMLElement & { checked: boolean }>();
let decksKey = '';
filters.append(filtersSummary, decksLabel, decksGroup, levelSelect, tagSelect, thisFileBox, thisFileNote);

const cardSection = el('section', { id: 'card', class: 'card', 'aria-labelledby': 'question', tabindex: '-1' });
const meta = el('p', { id: 'card-meta', class: 'card-meta' });
const question = el('h2', { id: 'question', class: 'question' });
const answerLabel = el('h3', { id: 'answer-label', class: 'visually-hidden' }, 'Answer');
const answer = el('div', { id: 'answer', class: 'answer', 'aria-labelledby': 'answer-label' });
const revealButton = button('reveal', 'Show answer', { ariaLabel: 'Show answer (Space)', onClick: () => reveal() });
const grades = el('div', { id: 'grades', class: 'grades', role: 'group', 'aria-label': 'How well did you remember? Keys 1 to 4' });
const gradeButtons = new Map<QuizRating, HTMLElement>();
/** The grade keys, as the answer's hint lists them: "1 Again · 2 Hard · 3 Good · 4 Easy". */
const GRADE_KEYS = RATINGS.map((r) => `${r} ${RATING_NAMES[r]}`).join(' · ');
for (const r of RATINGS) {
  const b = button(`grade-${r}`, RATING_NAMES[r], { appearance: r === 3 ? 'primary' : 'secondary', onClick: () => grade(r) });
  b.dataset.rating = String(r);
  gradeButtons.set(r, b);
  grades.append(b);
}
const cardActions = el('div', { class: 'card-actions' });
const undoButton = button('undo', 'Undo', { appearance: 'secondary', ariaLabel: 'Undo the last grade (U)', onClick: () => send({ type: 'undo' }) });
const demoButton = button('open-demo', 'Open demo', { appearance: 'secondary', onClick: () => current?.card?.demo && send({ type: 'openDemo', demo: current.card.demo }) });
const backButton = button('back', 'Back to the quiz', { appearance: 'secondary', onClick: () => send({ type: 'backToQueue' }) });
const keysHint = el('p', { class: 'hint', id: 'keys-hint' });
cardActions.append(undoButton, demoButton, backButton);
cardSection.append(meta, question, revealButton, answerLabel, answer, grades, cardActions, keysHint);

const empty = el('section', { id: 'empty', class: 'empty', 'aria-live': 'polite' });
const emptyText = el('p', { id: 'empty-text' });
const emptyUndo = button('empty-undo', 'Undo', { appearance: 'secondary', ariaLabel: 'Undo the last grade (U)', onClick: () => send({ type: 'undo' }) });
empty.append(emptyText, emptyUndo);

const notice = el('p', { id: 'notice', class: 'notice', role: 'status' });
/** Shown while grades cannot be saved, with the reason (the host refuses grades meanwhile). */
const readOnlyBanner = el('p', { id: 'read-only', class: 'notice', role: 'alert', 'data-level': 'error' });
/** Cards the scheduler set aside this session, each with why. */
const setAsideBox = el('details', { id: 'set-aside', class: 'set-aside' });
const setAsideSummary = el('summary', {});
const setAsideList = el('ul', {});
setAsideBox.append(setAsideSummary, setAsideList);
readOnlyBanner.hidden = true;
setAsideBox.hidden = true;

const stats = el('details', { id: 'stats', class: 'stats' });
const statsSummary = el('summary', {}, 'Statistics');
const statsBody = el('div', { id: 'stats-body' });
stats.append(statsSummary, statsBody);
stats.addEventListener('toggle', () => {
  if (stats.open) send({ type: 'requestStats' });
});

// Nothing to show until the host's first state arrives.
cardSection.hidden = true;
empty.hidden = true;
root.append(counts, filters, readOnlyBanner, notice, setAsideBox, cardSection, empty, divider(), stats);
document.body.append(root);

// ---- state --------------------------------------------------------------------------------------

let current: QuizState | undefined;
/** When the current question appeared (sent with the grade, for the review log's duration). */
let shownAt = Date.now();
let shownKey = '';

function relative(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'in less than a minute';
  if (min < 60) return `in ${plural(min, 'minute')}`;
  const h = Math.round(min / 60);
  if (h < 24) return `in ${plural(h, 'hour')}`;
  return `in ${plural(Math.round(h / 24), 'day')}`;
}

function clock(t: number): string {
  const d = new Date(t);
  const sameDay = new Date().toDateString() === d.toDateString();
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return sameDay ? time : `${d.toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' })} ${time}`;
}

/** Set while render() updates the filter controls, whose change events are not the user's. */
let rendering = false;

function sendFilter(): void {
  if (rendering || !current) return;
  const level = levelSelect.value || null;
  const tag = tagSelect.value || null;
  const f = current.filter;
  if (level === f.level && tag === f.tag && thisFileBox.checked === f.thisFile) return;
  send({
    type: 'setFilter',
    level,
    tag,
    thisFile: thisFileBox.checked,
  });
}

function sendDecks(): void {
  if (rendering || !current) return;
  const ids = current.decks.filter((d) => deckBoxes.get(d.id)?.checked).map((d) => d.id).filter(isQuizDeckId);
  const chosen = current.decks.filter((d) => d.chosen).map((d) => d.id);
  if (ids.length === chosen.length && ids.every((id, i) => id === chosen[i])) return;
  send({ type: 'setDecks', ids });
}

/** The deck checkboxes, rebuilt only when the deck list itself changes (so focus stays put). */
function renderDecks(decks: readonly QuizDeckView[]): void {
  const key = decks.map((d) => `${d.id}:${d.name}:${d.cards}`).join('|');
  if (key !== decksKey) {
    decksKey = key;
    deckBoxes.clear();
    decksGroup.replaceChildren(...decks.map((d) => {
      const box = checkbox(`deck-${d.id}`, `${d.name} (${d.cards})`, () => sendDecks());
      box.dataset.deck = d.id;
      deckBoxes.set(d.id, box);
      return box;
    }));
  }
  for (const d of decks) {
    const box = deckBoxes.get(d.id);
    if (box && box.checked !== d.chosen) box.checked = d.chosen;
  }
}

function render(state: QuizState): void {
  current = state;
  const { counts: c, mode } = state;
  const total = c.learning + c.review + c.new;
  counts.textContent = total === 0 ? 'Nothing due' : `${plural(total, 'card')} due: ${c.new} new, ${c.learning} learning, ${c.review} review`;

  rendering = true;
  try {
    setDropdownOptions(levelSelect, [{ value: '', label: 'All levels' }, ...state.levels.map((l) => ({ value: l, label: l }))], state.filter.level ?? '');
    setDropdownOptions(tagSelect, [{ value: '', label: 'All tags' }, ...state.tags.map((t) => ({ value: t, label: t }))], state.filter.tag ?? '');
    if (thisFileBox.checked !== state.filter.thisFile) thisFileBox.checked = state.filter.thisFile;
    renderDecks(state.decks);
  } finally {
    rendering = false;
  }
  thisFileNote.textContent = state.thisFile
    ? `${state.thisFile.name}: ${plural(state.thisFile.cards, 'card')} for its terms`
    : 'Open a file to quiz on its terms.';
  const chosenDecks = state.decks.filter((d) => d.chosen);
  const deckNote = chosenDecks.length === state.decks.length ? null : chosenDecks.length === 0 ? 'no deck' : chosenDecks.map((d) => d.name).join(' + ');
  const active = [deckNote, state.filter.level, state.filter.tag, state.filter.thisFile ? 'this file' : null].filter(Boolean);
  filtersSummary.textContent = active.length ? `Filter: ${active.join(', ')}` : 'Filter';
  if (active.length) filters.open = true;

  readOnlyBanner.hidden = !state.readOnly;
  readOnlyBanner.textContent = state.readOnly ? `Grades cannot be saved, so grading is off: ${state.readOnly}.` : '';
  const aside = state.setAside ?? [];
  setAsideBox.hidden = aside.length === 0;
  setAsideSummary.textContent = `${plural(aside.length, 'card')} set aside: cannot be scheduled`;
  setAsideList.replaceChildren(...aside.map((c) => el('li', {}, `${c.id}: ${c.reason}`)));

  const card = state.card;
  cardSection.hidden = !card;
  empty.hidden = !!card;
  undoButton.hidden = !state.canUndo || mode === 'browse';
  emptyUndo.hidden = !state.canUndo;
  if (!card) {
    emptyText.textContent = emptyMessage(state);
    return;
  }
  const key = `${card.id}:${mode === 'answer' ? 'question' : mode}`;
  if (key !== shownKey) {
    shownKey = key;
    shownAt = Date.now();
  }
  cardSection.dataset.mode = mode;
  // Tests (and nothing else) find the card on screen by id.
  cardSection.dataset.cardId = card.id;
  meta.textContent = [card.level, card.kind, ...card.tags.map((t) => `#${t}`)].join(' · ');
  renderCardHtml(question, card.questionHtml);
  const showAnswer = mode === 'answer' || mode === 'browse';
  answer.hidden = !showAnswer;
  answerLabel.hidden = !showAnswer;
  if (showAnswer) renderCardHtml(answer, card.answerHtml);
  else answer.replaceChildren();
  revealButton.hidden = mode !== 'question';
  grades.hidden = mode !== 'answer';
  for (const { rating, label } of state.intervals ?? []) {
    const b = gradeButtons.get(rating);
    if (!b) continue;
    setButtonContent(b, [{ text: RATING_NAMES[rating] }, { text: label, className: 'interval' }], `next review in ${label} (key ${rating})`);
    b.toggleAttribute('disabled', !!state.readOnly);
    if (state.readOnly) b.title = `Grading is off: ${state.readOnly}`;
    else b.removeAttribute('title');
  }
  demoButton.hidden = !card.demo;
  backButton.hidden = mode !== 'browse';
  keysHint.textContent = mode === 'question' ? 'Space: show answer' + (state.canUndo ? ' · U: undo' : '')
    : mode === 'answer' ? (state.readOnly ? 'Grading is off (see above).' : GRADE_KEYS + (state.canUndo ? ' · U: undo' : ''))
      : 'Opened from the deck: not graded.';
}

function emptyMessage(state: QuizState): string {
  if (state.deckSize === 0) return 'The deck has no cards. Add decks with the setting "rnnLens.decks".';
  if (!state.decks.some((d) => d.chosen)) return 'No deck is chosen: tick one under Filter, Decks.';
  const filtered = state.filter.level || state.filter.tag || state.filter.thisFile;
  const next = state.nextDueAt !== undefined ? ` The next card is due ${relative(state.nextDueAt - Date.now())} (${clock(state.nextDueAt)}).` : '';
  if (filtered && state.filter.thisFile && state.thisFile?.cards === 0) return `No cards for the terms in ${state.thisFile.name}. Clear the filter to see the whole deck.`;
  return `${filtered ? 'No cards due under this filter.' : 'All caught up: no cards due.'}${next || ' Nothing is scheduled yet.'}`;
}

function reveal(): void {
  if (current?.mode === 'question' && current.card) {
    send({ type: 'reveal', cardId: current.card.id });
  }
}

function grade(rating: QuizRating): void {
  if (current?.mode !== 'answer' || !current.card || current.readOnly) return;
  send({ type: 'grade', cardId: current.card.id, rating, shownAt });
}

// ---- input --------------------------------------------------------------------------------------

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
  const target = e.target instanceof Element ? e.target : null;
  if (isFormControl(target)) return;
  if (e.key === ' ' || e.key === 'Spacebar') {
    // On a focused button Space is that button's own action.
    if (isButton(target)) return;
    if (current?.mode === 'question') {
      e.preventDefault();
      reveal();
    }
    return;
  }
  const rating = RATINGS.find((r) => String(r) === e.key);
  if (rating !== undefined) {
    if (current?.mode === 'answer') {
      e.preventDefault();
      grade(rating);
    }
    return;
  }
  if (e.key === 'u' || e.key === 'U') {
    if (current?.canUndo) {
      e.preventDefault();
      send({ type: 'undo' });
    }
  }
});

// Links in card answers open in the browser through the host (the webview cannot navigate).
root.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
  if (!a) return;
  e.preventDefault();
  const href = a.getAttribute('href') ?? '';
  if (/^https?:/i.test(href)) send({ type: 'openLink', href });
});

window.addEventListener('message', (e: MessageEvent<QuizHostMessage>) => {
  const msg = e.data;
  switch (msg?.type) {
    case 'state': {
      const hadFocus = root.contains(document.activeElement);
      const previous = current?.mode;
      render(msg.state);
      // Open statistics follow every change (a grade, an undo, an import).
      if (stats.open) send({ type: 'requestStats' });
      // Keep keyboard focus in the view when the element that had it was hidden by the change.
      if (hadFocus && previous !== msg.state.mode && msg.state.card) cardSection.focus({ preventScroll: true });
      return;
    }
    case 'stats':
      renderStats(statsBody, msg.stats);
      if (msg.focus) {
        stats.open = true;
        stats.scrollIntoView({ block: 'start' });
        statsSummary.focus();
      }
      return;
    case 'notice':
      notice.textContent = msg.text;
      notice.dataset.level = msg.level;
      return;
  }
});

// The empty state's "due in N minutes" stays true while the view is open.
setInterval(() => {
  if (current && !current.card) emptyText.textContent = emptyMessage(current);
}, 30_000);

send({ type: 'ready' });
