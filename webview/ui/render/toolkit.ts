// Every use of @vscode/webview-ui-toolkit (quiz view and lab panel) goes through this module and
// its registration (toolkitElements.ts, imported first by each view's entry): the toolkit is
// deprecated (January 2025), and a move to @vscode-elements/elements should touch only these two.
// The registration is apart so that the demos' modules load without a DOM (their unit tests); the
// elements are built here by tag name, at run time, after it. The CSP nonce its FAST core needs
// for one <style> element is published by the HTML shell (src/webviewHtml.ts) as
// <meta property="csp-nonce">.
// Sliders are native <input type="range"> (the toolkit has none), themed in media/lab.css.

export type Appearance = 'primary' | 'secondary' | 'icon';
export type ValueElement = HTMLElement & { value: string };
export interface Option { value: string; label: string }

/** Elements are found by id in tests and by accessible name by screen readers: both are set. */
export function button(id: string, text: string, opts: { ariaLabel?: string; appearance?: Appearance; onClick: () => void }): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  b.textContent = text;
  if (opts.appearance) b.setAttribute('appearance', opts.appearance);
  // The accessible name starts with the visible text ("label in name"), so a voice-control user can say what they see.
  if (opts.ariaLabel) b.setAttribute('aria-label', opts.ariaLabel.toLowerCase().includes(text.toLowerCase()) ? opts.ariaLabel : `${text}: ${opts.ariaLabel}`);
  b.addEventListener('click', () => opts.onClick());
  return b;
}

/**
 * Several lines of text in one button (a grade and its interval), and a description that only a
 * screen reader reads, after them: the accessible name starts with the visible text, as WCAG's
 * "label in name" asks (an aria-label would replace what a voice-control user reads off the screen).
 */
export function setButtonContent(b: HTMLElement, parts: { text: string; className?: string }[], description: string): void {
  // Not <span>: the toolkit sizes slotted spans as 16px icons.
  const div = (text: string, className?: string) => {
    const d = document.createElement('div');
    d.textContent = text;
    if (className) d.className = className;
    return d;
  };
  b.replaceChildren(...parts.map((p) => div(p.text, p.className)), div(`: ${description}`, 'visually-hidden'));
  b.removeAttribute('aria-label');
}

export function dropdown(id: string, ariaLabel: string, options: Option[], selected: string, onChange: (value: string) => void): ValueElement {
  const d = document.createElement('vscode-dropdown') as ValueElement;
  d.id = id;
  d.setAttribute('aria-label', ariaLabel);
  setDropdownOptions(d, options, selected);
  d.addEventListener('change', () => onChange(d.value));
  return d;
}

/**
 * A dropdown over a fixed set of ids: one option per key of `labels`, in its order, so a table
 * typed `Record<Id, string>` names every id. `onChange` gets only those ids.
 */
export function choiceDropdown<K extends string>(
  id: string, ariaLabel: string, labels: Readonly<Record<K, string>>, selected: K, onChange: (value: K) => void,
): ValueElement {
  const ids = Object.keys(labels) as K[];
  return dropdown(id, ariaLabel, ids.map((value) => ({ value, label: labels[value] })), selected, (v) => {
    const picked = ids.find((k) => k === v);
    if (picked !== undefined) onChange(picked);
  });
}

/** Replaces a dropdown's options (value '' = "all") when they changed, and selects `selected`. */
export function setDropdownOptions(d: ValueElement, options: Option[], selected: string): void {
  const current = [...d.querySelectorAll('vscode-option')].map((o) => `${o.getAttribute('value')}\u0000${o.textContent}`).join('\n');
  const next = options.map((o) => `${o.value}\u0000${o.label}`).join('\n');
  if (current !== next) {
    d.replaceChildren(...options.map((o) => {
      const opt = document.createElement('vscode-option');
      opt.setAttribute('value', o.value);
      opt.textContent = o.label;
      if (o.value === selected) opt.setAttribute('selected', '');
      return opt;
    }));
  }
  if (d.value !== selected) d.value = selected;
}

export function textField(id: string, ariaLabel: string, value: string, onInput: (value: string) => void,
  opts: { type?: 'text' | 'number'; size?: number; maxLength?: number } = {}): ValueElement {
  const f = document.createElement('vscode-text-field') as ValueElement;
  f.id = id;
  f.setAttribute('aria-label', ariaLabel);
  if (opts.type) f.setAttribute('type', opts.type);
  if (opts.size) f.setAttribute('size', String(opts.size));
  if (opts.maxLength) f.setAttribute('maxlength', String(opts.maxLength));
  f.setAttribute('value', value);
  f.addEventListener('input', () => onInput(f.value));
  return f;
}

export function checkbox(id: string, label: string, onChange: (checked: boolean) => void): HTMLElement & { checked: boolean } {
  const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  c.id = id;
  c.textContent = label;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export function divider(): HTMLElement {
  const d = document.createElement('vscode-divider');
  d.setAttribute('role', 'separator');
  return d;
}

/** True when a key press belongs to a toolkit control (a dropdown types to select, a checkbox toggles). */
export function isFormControl(el: Element | null): boolean {
  return !!el && !!el.closest('vscode-dropdown, vscode-option, vscode-checkbox, vscode-text-field, input, select, textarea');
}

export function isButton(el: Element | null): boolean {
  return !!el && !!el.closest('vscode-button, button');
}
