// Small DOM helpers shared by the demos: elements, labelled slider rows, control groups.
// Text is always set as text (never markup).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface Slider {
  row: HTMLElement;
  input: HTMLInputElement;
  output: HTMLOutputElement;
  set(value: number, max?: number): void;
}

/**
 * A labelled native range (the toolkit has no slider) with its value printed beside it. `format`
 * prints the value (e.g. "off" for 0). Fires `onInput` on every move: demos coalesce redraws.
 */
export function slider(id: string, label: string, opts: {
  min: number; max: number; step: number; value: number; format?: (v: number) => string; onInput: (v: number) => void;
}): Slider {
  const row = el('div', { class: 'control slider' });
  const lab = el('label', { for: id }, label);
  const input = el('input', {
    id, type: 'range', min: String(opts.min), max: String(opts.max), step: String(opts.step), value: String(opts.value),
  });
  const output = el('output', { for: id, id: `${id}-value` });
  const format = opts.format ?? ((v: number) => String(v));
  output.textContent = format(opts.value);
  input.addEventListener('input', () => {
    const v = Number(input.value);
    output.textContent = format(v);
    opts.onInput(v);
  });
  row.append(lab, input, output);
  return {
    row, input, output,
    set(value: number, max?: number) {
      if (max !== undefined) input.max = String(max);
      input.value = String(value);
      output.textContent = format(Number(input.value));
    },
  };
}

export function labelled(id: string, label: string, control: HTMLElement): HTMLElement {
  const row = el('div', { class: 'control' });
  const lab = el('label', { for: id }, label);
  row.append(lab, control);
  return row;
}

export function group(title: string, ...children: HTMLElement[]): HTMLElement {
  const g = el('fieldset', { class: 'group' });
  g.append(el('legend', {}, title), ...children);
  return g;
}
