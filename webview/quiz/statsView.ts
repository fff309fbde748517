// The quiz's statistics, drawn: the 12-week review heatmap, true retention against the desired
// retention, the 30-day due forecast, the cards by state, and the card on screen (stability,
// difficulty, retrievability now, its forgetting curve and review history). Charts are SVG whose
// colours come from classes in media/quiz.css (--vscode-charts-* variables), so they follow the
// theme without a redraw; no inline styles (the CSP forbids them). Each chart is focusable, says
// what it shows in its accessible name, and has its numbers in a table below it.
import { FSRS_STATE_NAMES, RATING_NAMES, type QuizStatsView } from '../../protocol';
import { plural } from '../ui/text';
import { el } from '../ui/dom';

type CardStatsView = NonNullable<QuizStatsView['card']>;

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const shortDay = (t: number) => new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
const longDay = (t: number) => new Date(t).toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' });

function days(d: number): string {
  if (d < 1) return `${Math.round(d * 24)} h`;
  if (d < 100) return `${d.toFixed(1)} days`;
  return `${Math.round(d)} days`;
}

/** A chart: focusable, named by `label`, its SVG drawn in a viewBox of width × height. */
function figure(id: string, label: string, width: number, height: number): { fig: HTMLElement; root: SVGSVGElement } {
  const fig = el('figure', { id, class: 'chart', tabindex: '0', role: 'img', 'aria-label': label });
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', 'aria-hidden': 'true', focusable: 'false' });
  fig.append(root);
  return { fig, root };
}

/** A table of the numbers a chart draws, folded away under `summary`. */
function dataTable(summary: string, head: string[], rows: string[][]): HTMLElement {
  const box = el('details', { class: 'chart-data' });
  const table = el('table');
  const thead = el('thead');
  const tr = el('tr');
  for (const h of head) tr.append(el('th', { scope: 'col' }, h));
  thead.append(tr);
  const tbody = el('tbody');
  for (const r of rows) {
    const row = el('tr');
    r.forEach((cell, i) => row.append(i === 0 ? el('th', { scope: 'row' }, cell) : el('td', {}, cell)));
    tbody.append(row);
  }
  table.append(thead, tbody);
  box.append(el('summary', {}, summary), table);
  return box;
}

function heatmap(s: QuizStatsView): HTMLElement {
  const max = Math.max(1, ...s.days.map((d) => d.reviews));
  const grid = el('div', { class: 'heatmap', role: 'img', 'aria-label': `Reviews per day over the last ${s.days.length / 7} weeks: ${s.days.reduce((a, d) => a + d.reviews, 0)} in all` });
  // Columns are weeks; the first column starts on the weekday of the oldest day.
  const lead = new Date(s.days[0]?.start ?? Date.now()).getDay();
  for (let i = 0; i < lead; i++) grid.append(el('span', { class: 'cell pad' }));
  for (const d of s.days) {
    const level = d.reviews === 0 ? 0 : Math.min(4, Math.ceil((d.reviews / max) * 4));
    grid.append(el('span', { class: `cell l${level}`, title: `${shortDay(d.start)}: ${plural(d.reviews, 'review')}` }));
  }
  return grid;
}

/** True retention as a bar, with the desired retention marked on it. */
function retention(s: QuizStatsView): HTMLElement[] {
  const r = s.retention;
  const desired = `desired ${pct(r.desired)}`;
  if (r.total === 0) {
    return [el('p', { id: 'true-retention' }, `True retention (last 30 days): no reviews of cards in review yet (${desired}).`)];
  }
  const rate = r.passed / r.total;
  const text = `True retention (last 30 days): ${pct(rate)}, ${r.passed} of ${plural(r.total, 'review')} of cards in review passed; ${desired}.`;
  const W = 300;
  const H = 18;
  const { fig, root } = figure('retention-chart', text, W, H);
  root.append(
    svg('rect', { class: 'bar-track', x: 0, y: 4, width: W, height: 10, rx: 2 }),
    svg('rect', { class: rate >= r.desired ? 'bar-good' : 'bar-low', x: 0, y: 4, width: (W * rate).toFixed(1), height: 10, rx: 2 }),
    svg('line', { class: 'target', x1: (W * r.desired).toFixed(1), x2: (W * r.desired).toFixed(1), y1: 0, y2: H }),
  );
  return [el('p', { id: 'true-retention' }, text), fig];
}

function forecast(s: QuizStatsView): HTMLElement[] {
  const f = s.forecast;
  const total = f.reduce((a, d) => a + d.due, 0);
  const label = `Due in the next ${f.length} days: ${plural(total, 'card')}, ${f[0]?.due ?? 0} today, at most ${Math.max(0, ...f.map((d) => d.due))} on one day`;
  const W = 300;
  const H = 90;
  const top = 8;
  const base = H - 14;
  const max = Math.max(1, ...f.map((d) => d.due));
  const step = W / Math.max(1, f.length);
  const { fig, root } = figure('forecast-chart', label, W, H);
  root.append(svg('line', { class: 'axis', x1: 0, x2: W, y1: base, y2: base }));
  f.forEach((d, i) => {
    const h = ((base - top) * d.due) / max;
    const bar = svg('rect', { class: 'bar', x: (i * step + 1).toFixed(1), y: (base - h).toFixed(1), width: Math.max(1, step - 2).toFixed(1), height: h.toFixed(1) });
    const title = svg('title');
    title.textContent = `${i === 0 ? 'Today (and overdue)' : longDay(d.start)}: ${plural(d.due, 'card')}`;
    bar.append(title);
    root.append(bar);
  });
  for (const [i, text] of [[0, 'today'], [f.length - 1, `+${f.length - 1} d`]] as const) {
    const t = svg('text', { class: 'tick', x: i === 0 ? 0 : W, y: H - 2, 'text-anchor': i === 0 ? 'start' : 'end' });
    t.textContent = text;
    root.append(t);
  }
  const maxLabel = svg('text', { class: 'tick', x: W, y: top, 'text-anchor': 'end', 'dominant-baseline': 'hanging' });
  maxLabel.textContent = `max ${max}`;
  root.append(maxLabel);
  const rows = f.filter((d) => d.due > 0).map((d) => [d.start === f[0].start ? 'Today' : longDay(d.start), String(d.due)]);
  return [
    el('p', { id: 'forecast-text', class: 'hint' }, label + '.'),
    fig,
    dataTable('Forecast as a table', ['Day', 'Cards due'], rows),
  ];
}

/** R(t) from the last review, with the desired retention and "now" marked. */
function forgettingCurve(c: CardStatsView, desired: number): HTMLElement | undefined {
  if (!c.curve || c.curveDays === undefined || c.retrievability === undefined || c.elapsedDays === undefined) return undefined;
  const W = 300;
  const H = 120;
  const left = 28;
  const right = W - 4;
  const top = 6;
  const bottom = H - 16;
  const x = (d: number) => left + ((right - left) * d) / (c.curveDays as number);
  const y = (r: number) => bottom - (bottom - top) * r;
  const label = `Forgetting curve of this card: retrievability ${pct(c.retrievability)} now, ${days(c.elapsedDays)} after the last review; ` +
    `it falls to ${pct(desired)} after about ${days(daysTo(c, desired))}.`;
  const { fig, root } = figure('forgetting-curve', label, W, H);
  root.append(
    svg('line', { class: 'axis', x1: left, x2: right, y1: bottom, y2: bottom }),
    svg('line', { class: 'axis', x1: left, x2: left, y1: top, y2: bottom }),
    svg('line', { class: 'target', x1: left, x2: right, y1: y(desired).toFixed(1), y2: y(desired).toFixed(1) }),
    svg('path', { class: 'curve', d: c.curve.map((p, i) => `${i ? 'L' : 'M'}${x(p.day).toFixed(1)},${y(p.r).toFixed(1)}`).join(' ') }),
    svg('circle', { class: 'now', cx: x(Math.min(c.elapsedDays, c.curveDays)).toFixed(1), cy: y(c.retrievability).toFixed(1), r: 3.5 }),
  );
  const ticks: [number, number, string, string][] = [
    [left - 3, y(1), '100%', 'end'], [left - 3, y(desired), pct(desired), 'end'], [left - 3, bottom, '0%', 'end'],
  ];
  for (const [tx, ty, text, anchor] of ticks) {
    const t = svg('text', { class: 'tick', x: tx, y: ty.toFixed(1), 'text-anchor': anchor, 'dominant-baseline': 'middle' });
    t.textContent = text;
    root.append(t);
  }
  for (const [tx, text, anchor] of [[left, 'last review', 'start'], [right, `+${days(c.curveDays)}`, 'end']] as const) {
    const t = svg('text', { class: 'tick', x: tx, y: H - 3, 'text-anchor': anchor });
    t.textContent = text;
    root.append(t);
  }
  return fig;
}

/** Days after the last review at which the drawn curve first falls to `r` (its last day if never). */
function daysTo(c: CardStatsView, r: number): number {
  const hit = c.curve?.find((p) => p.r <= r);
  return hit ? hit.day : (c.curveDays ?? 0);
}

function cardInfo(c: CardStatsView, desired: number): HTMLElement[] {
  const dl = el('dl', { id: 'card-stats', class: 'card-stats' });
  const row = (k: string, v: string) => dl.append(el('dt', {}, k), el('dd', {}, v));
  row('State', FSRS_STATE_NAMES[c.state]);
  if (c.state === 0) {
    row('Reviews', 'none yet');
    return [dl];
  }
  row('Stability', `${days(c.stability)} (the time for recall to fall to 90%)`);
  row('Difficulty', `${c.difficulty.toFixed(1)} of 10`);
  if (c.retrievability !== undefined) row('Retrievability now', pct(c.retrievability));
  if (c.due !== undefined) row('Due', longDay(c.due));
  row('Reviews', `${c.reviews} (${plural(c.lapses, 'lapse')})`);
  const out: HTMLElement[] = [dl];
  const curve = forgettingCurve(c, desired);
  if (curve) out.push(curve);
  const history = el('table', { id: 'review-history', class: 'history' });
  const caption = el('caption', {}, c.history.length < c.reviews ? `Review history (latest ${c.history.length} of ${c.reviews})` : 'Review history');
  const head = el('tr');
  for (const h of ['Date', 'Grade', 'State before', 'Days since last']) head.append(el('th', { scope: 'col' }, h));
  history.append(caption, el('thead'), el('tbody'));
  history.tHead?.append(head);
  for (const r of c.history) {
    const tr = el('tr');
    tr.append(
      el('th', { scope: 'row' }, new Date(r.review).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })),
      el('td', { class: `grade g${r.rating}` }, RATING_NAMES[r.rating]),
      el('td', {}, FSRS_STATE_NAMES[r.state]),
      el('td', {}, r.state === 0 ? '—' : String(r.elapsedDays)),
    );
    history.tBodies[0]?.append(tr);
  }
  out.push(history);
  return out;
}

/** Replaces `body`'s content with the statistics. */
export function renderStats(body: HTMLElement, s: QuizStatsView): void {
  const b = s.byState;
  const states = el('ul', { class: 'states', 'aria-label': 'Cards by state' });
  for (const [state, n] of [[0, b.new], [1, b.learning], [2, b.review], [3, b.relearning]] as const) {
    states.append(el('li', {}, `${FSRS_STATE_NAMES[state]}: ${n}`));
  }
  if (b.removed) states.append(el('li', {}, `No longer in the deck (history kept): ${b.removed}`));
  const parts: HTMLElement[] = [];
  if (s.card) {
    parts.push(el('h3', { id: 'card-stats-heading' }, `This card: ${s.card.id}`), ...cardInfo(s.card, s.retention.desired));
  }
  parts.push(
    el('h3', {}, 'True retention'), ...retention(s),
    el('h3', {}, 'Due forecast'), ...forecast(s),
    el('h3', {}, 'Reviews per day'), heatmap(s),
    el('p', { class: 'hint' }, `${plural(s.totalReviews, 'review')} in all`),
    el('h3', {}, 'Cards by state'), states,
  );
  body.replaceChildren(...parts);
}
