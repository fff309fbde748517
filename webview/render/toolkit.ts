// Every use of @vscode/webview-ui-toolkit by the lab goes through this module: the toolkit is
// deprecated (January 2025), and a move to @vscode-elements/elements should touch only this file.
// Sliders are native <input type="range"> (the toolkit has none), themed in media/lab.css.
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeDropdown, vsCodeOption, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(
  vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField(),
);

export type ValueElement = HTMLElement & { value: string };

export function button(text: string, opts: { id?: string; ariaLabel?: string; secondary?: boolean; onClick: () => void }): HTMLElement {
  const b = document.createElement('vscode-button');
  if (opts.id) b.id = opts.id;
  b.textContent = text;
  if (opts.secondary) b.setAttribute('appearance', 'secondary');
  if (opts.ariaLabel) b.setAttribute('aria-label', opts.ariaLabel);
  b.addEventListener('click', () => opts.onClick());
  return b;
}

export function dropdown(id: string, ariaLabel: string, options: { value: string; label: string }[], selected: string,
  onChange: (value: string) => void): ValueElement {
  const d = document.createElement('vscode-dropdown') as ValueElement;
  d.id = id;
  d.setAttribute('aria-label', ariaLabel);
  for (const o of options) {
    const opt = document.createElement('vscode-option');
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    if (o.value === selected) opt.setAttribute('selected', '');
    d.append(opt);
  }
  d.addEventListener('change', () => onChange(d.value));
  return d;
}

/** Sets a dropdown's value without firing its change handler's work twice. */
export function setValue(el: ValueElement, value: string): void {
  if (el.value !== value) el.value = value;
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

export function checkbox(id: string, label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement & { checked: boolean } {
  const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  c.id = id;
  c.textContent = label;
  if (checked) c.setAttribute('checked', '');
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export function divider(): HTMLElement {
  const d = document.createElement('vscode-divider');
  d.setAttribute('role', 'separator');
  return d;
}
