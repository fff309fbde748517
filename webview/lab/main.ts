// The lab panel's view: one demo at a time (the registry in demos/index.ts lists them), its
// controls, the cards it illustrates, the user's model when the CodeLens opened it, and in a corner the backend in
// use and the last recompute + redraw time. Every control change recomputes and redraws in the
// next animation frame (changes within one frame coalesce).
import '../ui/render/toolkitElements';
import {
  labTitle, labViewStateSchema, parseMessage, viewTitle,
  type LabCardLink, type LabDemoId, type LabHostMessage, type LabViewMessage, type LabViewState,
} from '../../protocol';
import { jsLabEngine, startEngine, type LabEngine } from './backend';
import type { Demo, DemoContext, DemoSpec, HostMessageType } from './demo';
import { DEMO_SPECS } from './demos';
import { renderTex } from '../ui/render/katex';
import { el } from '../ui/dom';
import { errorText } from '../ui/text';

const vscode = acquireVsCodeApi<LabViewState>();
const send = (msg: LabViewMessage) => vscode.postMessage(msg);

// ---- layout ---------------------------------------------------------------------------------

const root = el('main', { id: 'lab-root', 'aria-label': 'RNN Lens lab' });
const header = el('header', { class: 'lab-header' });
const title = el('h1', { id: 'lab-title' }, 'RNN Lens Lab');
const status = el('div', { id: 'lab-status', class: 'status', role: 'status', 'aria-live': 'polite' }, 'starting…');
header.append(title, status);
const engineNote = el('p', { id: 'engine-note', class: 'note' });
engineNote.hidden = true;
const modelBox = el('section', { id: 'model-notes', class: 'model-notes', 'aria-label': 'Your model' });
modelBox.hidden = true;
const demoHost = el('div', { id: 'demo-host' });
const cardsBox = el('section', { id: 'demo-cards', class: 'cards', 'aria-label': 'Cards this demo illustrates' });
root.append(header, engineNote, modelBox, demoHost, cardsBox);
document.body.append(root);

// ---- state ------------------------------------------------------------------------------------

let state: LabViewState | undefined;
let engine: LabEngine = jsLabEngine();
/** The demos shown so far, each created on its first show. */
const demos = new Map<LabDemoId, Demo>();
const specs = new Map<LabDemoId, DemoSpec>(DEMO_SPECS.map((d) => [d.id, d]));
/** Which demo handles each host message other than `show`. */
const handlers = new Map<HostMessageType, LabDemoId>(DEMO_SPECS.flatMap((d) => d.messages.map((m): [HostMessageType, LabDemoId] => [m, d.id])));

function persist(): void {
  if (!state) return;
  vscode.setState(state);
  send({ type: 'stateChanged', state });
}

/** A size changed away from the user's model: the "your model" box no longer describes the demo. */
function dropModelIfChanged(D: number | undefined, H: number): void {
  if (state?.model && ((D !== undefined && state.model.inputSize !== D) || state.model.hiddenSize !== H)) {
    state = { ...state, model: undefined };
    modelBox.hidden = true;
  }
}

const context: DemoContext = {
  update: (change) => {
    if (state) state = change(state);
  },
  schedule: (recompute) => schedule(recompute),
  persist,
  send,
  engine: () => engine,
  dropModelIfChanged,
  // Called from a demo's draw (each frame while it trains): the page is written only when it changes.
  corner: (text, detail) => {
    if (status.textContent !== text) status.textContent = text;
    if (status.title !== detail) status.title = detail;
    status.classList.remove('error');
  },
  open: (demo) => {
    if (!state) return;
    showDemo({ ...state, demo });
    persist();
  },
};

// ---- frame scheduling -----------------------------------------------------------------------

let frame = 0;
let needCompute = false;
let recomputes = 0;

function schedule(recompute: boolean): void {
  needCompute ||= recompute;
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const recomputed = needCompute;
    needCompute = false;
    render(recomputed);
  });
}

function render(recompute: boolean): void {
  // A demo without `render` draws in its own frame loop, with its own corner (steps/s and backend).
  const demo = state && demos.get(state.demo);
  if (!state || !demo?.render) return;
  const t0 = performance.now();
  try {
    demo.render(engine, recompute);
    // The heading may name a control (the forward demo's cell), which may have just changed.
    const heading = viewTitle(state);
    if (title.textContent !== heading) {
      title.textContent = heading;
      document.title = labTitle(state);
    }
  } catch (err) {
    const message = errorText(err);
    status.textContent = `error: ${message}`;
    status.classList.add('error');
    send({ type: 'error', message: `${state.demo}: ${message}` });
    return;
  }
  status.classList.remove('error');
  if (recompute) {
    const ms = performance.now() - t0;
    status.textContent = `${engine.label} · ${ms.toFixed(1)} ms`;
    status.title = `Backend: ${engine.label}. Last recompute + redraw: ${ms.toFixed(2)} ms.`;
    status.dataset.backend = engine.label;
    status.dataset.ms = ms.toFixed(2);
    status.dataset.count = String(++recomputes);
  }
  persist();
}

// ---- demos -------------------------------------------------------------------------------------

/** The shown demo's play button (marked data-play) is pressed; a demo without one says so in the corner. */
function togglePlay(): void {
  const demo = state && demos.get(state.demo);
  const play = demo?.root.querySelector<HTMLElement>('[data-play]');
  if (play) play.click();
  else status.textContent = 'This view has nothing to play or pause.';
}

function showDemo(next: LabViewState): void {
  state = next;
  root.dataset.demo = next.demo;
  title.textContent = viewTitle(next);
  document.title = labTitle(next);
  for (const d of demos.values()) if (d.id !== next.demo) d.hide();
  let demo = demos.get(next.demo);
  if (!demo) {
    demo = specs.get(next.demo)!.create(context, next);
    demos.set(next.demo, demo);
  }
  demo.show(next);
  demoHost.replaceChildren(demo.root);
  demo.attached?.();
  if (!demo.render) {
    // Saved for a reload, not sent: the host already has it, and a view revived from its own saved
    // state must not overwrite a newer one the host is about to show (it answers `ready` next).
    vscode.setState(next);
    return;
  }
  schedule(true);
}

function showModel(notes: string[]): void {
  const m = state?.model;
  if (!m) {
    modelBox.hidden = true;
    return;
  }
  const file = m.file ? decodeURIComponent(m.file.split('/').pop() ?? '') : '';
  const head = el('p', { class: 'model-head' });
  head.append(
    el('strong', {}, 'Your model: '),
    el('code', {}, `${m.callee}(…)`),
    document.createTextNode(` ${file ? `in ${file} ` : ''}at line ${m.line + 1}: input size ${m.inputSize}, hidden size ${m.hiddenSize}` +
      `${m.steps ? `, ${m.steps} steps` : ''}${m.activation ? `, ${m.activation}` : ''}.`),
  );
  const list = el('ul', { id: 'model-notes-list' });
  for (const n of notes) list.append(el('li', {}, n));
  modelBox.replaceChildren(head, ...(notes.length ? [list] : []));
  modelBox.hidden = false;
}

function showCards(cards: LabCardLink[]): void {
  const list = el('ul', { class: 'card-list' });
  for (const c of cards) {
    const b = el('button', { class: 'card-link', type: 'button', 'data-card': c.id, title: 'Show this card in the RNN Lens quiz view' });
    appendWithMath(b, c.question);
    b.addEventListener('click', () => send({ type: 'showCard', cardId: c.id }));
    const li = el('li');
    li.append(b);
    list.append(li);
  }
  cardsBox.replaceChildren(
    el('h2', {}, 'Cards this demo illustrates'),
    cards.length ? list : el('p', { class: 'note' }, 'No card in your decks names this demo yet.'),
  );
}

/** Card questions are Markdown text with $…$ math: text stays text, math goes through KaTeX. */
function appendWithMath(host: HTMLElement, text: string): void {
  const parts = text.split(/(\$[^$]+\$)/);
  for (const part of parts) {
    if (/^\$[^$]+\$$/.test(part)) {
      const span = el('span', { class: 'math' });
      renderTex(span, part.slice(1, -1), false);
      host.append(span);
    } else if (part) {
      host.append(document.createTextNode(part.replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1')));
    }
  }
}

// ---- host messages ---------------------------------------------------------------------------

window.addEventListener('message', (e: MessageEvent<LabHostMessage>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'show':
      showDemo(msg.state);
      showModel(msg.notes);
      showCards(msg.cards);
      break;
    case 'togglePlay':
      togglePlay();
      break;
    default: {
      const id = handlers.get(msg.type);
      if (id) demos.get(id)?.handle?.(msg);
      break;
    }
  }
});

// The theme changed (VS Code swaps the body's class): charts read their colours when built.
new MutationObserver(() => {
  for (const d of demos.values()) d.themeChanged?.();
  schedule(false);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
// Resizing redraws charts, which can change the host's size again: done in the next frame, a
// resize never re-enters the observer in the same one ("ResizeObserver loop completed").
let resizePending = false;
new ResizeObserver(() => {
  if (resizePending) return;
  resizePending = true;
  requestAnimationFrame(() => {
    resizePending = false;
    for (const d of demos.values()) d.resized?.();
    schedule(false);
  });
}).observe(demoHost);
// A hidden panel does not train; shown again, it goes on.
document.addEventListener('visibilitychange', () => {
  for (const d of demos.values()) d.visibilityChanged?.();
});

// A revived view draws its last state at once; the host's `show` (after `ready`) then confirms it.
// The state was saved by this view, perhaps by an earlier version of it: it is checked like any other.
const saved = parseMessage(labViewStateSchema, vscode.getState());
if (saved.ok) showDemo(saved.msg);

send({ type: 'ready' });

// The chooser probes WebGL and wasm after the first draw; a new backend recomputes what is on screen.
startEngine(document.body.dataset.backend, (next) => {
  engine = next;
  engineNote.textContent = next.note?.text ?? '';
  engineNote.hidden = !next.note;
  // Missing or lost WebGL is worth a warning colour; "js was faster here" is just information.
  engineNote.classList.toggle('warning', next.note?.warning ?? false);
  status.dataset.backend = next.label;
  status.dataset.chosen = 'true';
  if (state) demos.get(state.demo)?.engineChanged?.(next);
  schedule(true);
});
