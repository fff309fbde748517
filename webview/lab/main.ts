// The lab panel's view: one demo at a time (LSTM forward pass, BPTT, or the checkpoint
// inspector), its controls, the cards
// it illustrates, the user's model when the CodeLens opened it, and in a corner the backend in
// use and the last recompute + redraw time. Every control change recomputes and redraws in the
// next animation frame (changes within one frame coalesce).
import {
  LAB_DEFAULTS, labTitle, labViewStateSchema, parseMessage, viewTitle,
  type LabCardLink, type LabHostMessage, type LabViewMessage, type LabViewState,
} from '../../protocol';
import { BidirectionalDemo } from './demos/bidirectional/view';
import { BpttDemo } from './demos/bptt/view';
import { RnnVsAttentionDemo } from './demos/rnn-vs-attention/view';
import { Seq2seqDemo } from './demos/seq2seq/view';
import { CtcDemo } from './demos/ctc/view';
import { jsLabEngine, startEngine, type LabEngine } from './backend';
import { ForwardDemo } from './demos/lstm-forward/view';
import { TrainDemo } from './demos/train/view';
import { InspectDemo } from './demos/inspect/view';
import { renderTex } from '../ui/render/katex';
import { el } from '../ui/dom';

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
let forward: ForwardDemo | undefined;
let bptt: BpttDemo | undefined;
let train: TrainDemo | undefined;
let inspect: InspectDemo | undefined;
let ctcDemo: CtcDemo | undefined;
let biDemo: BidirectionalDemo | undefined;
let attnDemo: RnnVsAttentionDemo | undefined;
let s2sDemo: Seq2seqDemo | undefined;

function persist(): void {
  if (!state) return;
  vscode.setState(state);
  send({ type: 'stateChanged', state });
}

/** The playground trains in its own frame loop; it reports its controls and progress here. */
function trainDemo(next: LabViewState): TrainDemo {
  train ??= new TrainDemo(next.train, next.trainProgress, {
    onControls: (c) => {
      if (!state) return;
      state = { ...state, train: c };
      if (state.model && state.model.hiddenSize !== c.H) state = { ...state, model: undefined };
      modelBox.hidden = !state.model;
      persist();
    },
    onProgress: (p) => {
      if (!state) return;
      state = { ...state, trainProgress: p };
      persist();
    },
    requestText: (source) => send({ type: 'requestText', source }),
    onError: (message) => send({ type: 'error', message }),
  });
  return train;
}

/** A size changed away from the user's model: the "your model" box no longer describes the demo. */
function dropModelIfChanged(D: number, H: number): void {
  if (state?.model && (state.model.inputSize !== D || state.model.hiddenSize !== H)) {
    state = { ...state, model: undefined };
    modelBox.hidden = true;
  }
}

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
  // The playground draws in its own frame loop, with its own corner (steps/s and backend).
  if (!state || state.demo === 'train') return;
  const t0 = performance.now();
  try {
    if (state.demo === 'lstm-forward' && forward) {
      if (recompute) forward.compute(engine);
      forward.draw(recompute);
      // The heading names the cell, which the dropdown may have just changed.
      const heading = viewTitle(state);
      if (title.textContent !== heading) {
        title.textContent = heading;
        document.title = labTitle(state);
      }
    } else if (state.demo === 'bptt' && bptt) {
      if (recompute) bptt.compute(engine);
      bptt.draw();
    } else if (state.demo === 'inspect' && inspect) {
      if (recompute) inspect.compute(engine);
      inspect.draw(recompute);
    } else if (state.demo === 'ctc' && ctcDemo) {
      ctcDemo.draw();
    } else if (state.demo === 'bidirectional' && biDemo) {
      biDemo.draw();
    } else if (state.demo === 'rnn-vs-attention' && attnDemo) {
      attnDemo.draw();
    } else if (state.demo === 'seq2seq' && s2sDemo) {
      s2sDemo.draw();
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
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

function showDemo(next: LabViewState): void {
  state = next;
  root.dataset.demo = next.demo;
  title.textContent = viewTitle(next);
  document.title = labTitle(next);
  forward?.stopPlay();
  if (next.demo !== 'ctc') ctcDemo?.stop();
  if (next.demo !== 'bidirectional') biDemo?.stop();
  if (next.demo !== 'rnn-vs-attention') attnDemo?.stop();
  if (next.demo !== 'seq2seq') s2sDemo?.stop();
  if (next.demo !== 'train') train?.deactivate();
  if (next.demo === 'train') {
    const t = trainDemo(next);
    t.setControls(next.train, next.trainProgress);
    demoHost.replaceChildren(t.root);
    t.activate();
    // Saved for a reload, not sent: the host already has it, and a view revived from its own saved
    // state must not overwrite a newer one the host is about to show (it answers `ready` next).
    vscode.setState(next);
    return;
  } else if (next.demo === 'seq2seq') {
    const c = next.seq2seq ?? LAB_DEFAULTS.seq2seq;
    s2sDemo ??= new Seq2seqDemo(c, (sc) => {
      if (state) state = { ...state, seq2seq: sc };
      schedule(false);
    }, () => schedule(true));
    s2sDemo.setControls(c);
    demoHost.replaceChildren(s2sDemo.root);
  } else if (next.demo === 'rnn-vs-attention') {
    if (!attnDemo) {
      attnDemo = new RnnVsAttentionDemo(() => schedule(true));
      attnDemo.start(engine);
    }
    demoHost.replaceChildren(attnDemo.root);
  } else if (next.demo === 'bidirectional') {
    const c = next.bidirectional ?? LAB_DEFAULTS.bidirectional;
    biDemo ??= new BidirectionalDemo(c, (bc) => {
      if (state) state = { ...state, bidirectional: bc };
      schedule(false);
    }, () => schedule(true));
    biDemo.setControls(c);
    demoHost.replaceChildren(biDemo.root);
  } else if (next.demo === 'ctc') {
    const c = next.ctc ?? LAB_DEFAULTS.ctc;
    ctcDemo ??= new CtcDemo(c, (cc) => {
      if (state) state = { ...state, ctc: cc };
      schedule(false);
    }, () => schedule(true));
    ctcDemo.setControls(c);
    demoHost.replaceChildren(ctcDemo.root);
  } else if (next.demo === 'lstm-forward') {
    forward ??= new ForwardDemo(next.forward, (c, recompute) => {
      if (!state) return;
      state = { ...state, forward: c };
      dropModelIfChanged(c.D, c.H);
      schedule(recompute);
    });
    forward.setControls(next.forward);
    demoHost.replaceChildren(forward.root);
  } else if (next.demo === 'inspect') {
    const controls = next.inspect ?? LAB_DEFAULTS.inspect;
    inspect ??= new InspectDemo(controls, (c, recompute) => {
      if (!state) return;
      state = { ...state, inspect: c };
      schedule(recompute);
    }, (D) => send({ type: 'pickNpy', D }));
    inspect.setControls(controls);
    demoHost.replaceChildren(inspect.root);
  } else {
    bptt ??= new BpttDemo(next.bptt, (c) => {
      if (!state) return;
      state = { ...state, bptt: c };
      dropModelIfChanged(c.D, c.H);
      schedule(true);
    });
    bptt.setControls(next.bptt);
    demoHost.replaceChildren(bptt.root);
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
    case 'text':
      train?.setText({ source: msg.source, label: msg.label, text: msg.text });
      break;
    case 'checkpoint':
      inspect?.setCheckpoint(msg);
      schedule(true);
      break;
    case 'npyInput':
      inspect?.setNpy(msg);
      break;
    case 'npyError':
      inspect?.npyError(msg.text);
      break;
    case 'checkpointError':
      inspect?.checkpointError(msg.text);
      break;
  }
});

// The theme changed (VS Code swaps the body's class): charts read their colours when built.
new MutationObserver(() => {
  bptt?.rebuildChart();
  s2sDemo?.rebuildChart();
  train?.buildCharts();
  train?.requestFrame();
  inspect?.rebuildChart();
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
    train?.resize();
    schedule(false);
  });
}).observe(demoHost);
// A hidden panel does not train; shown again, it goes on.
document.addEventListener('visibilitychange', () => train?.visibilityChanged());

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
  if (state?.demo === 'rnn-vs-attention') attnDemo?.setEngine(next);
  schedule(true);
});
