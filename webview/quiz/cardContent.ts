// Puts host-rendered card HTML on screen and draws its math. The host's HTML comes from
// markdown-it with html:false (src/deck/cardHtml.ts), so it is already safe; the allowlist
// below is a second fence, so that nothing but plain text formatting ever reaches the DOM,
// whatever the host sends. Formulas arrive as empty `[data-tex]` elements and are drawn with
// katex.render: KaTeX builds its nodes through the CSSOM, which the CSP allows, whereas its
// HTML string relies on inline style attributes, which the CSP blocks.
import katex from 'katex';
import { errorText } from '../ui/text';

const TAGS = new Set([
  'p', 'br', 'hr', 'em', 'strong', 'b', 'i', 's', 'del', 'code', 'pre', 'kbd', 'sub', 'sup', 'blockquote',
  'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'span', 'div',
]);
const ATTRS = new Set(['href', 'title', 'class', 'data-tex', 'data-display', 'start', 'rel', 'colspan', 'rowspan', 'align']);

function clean(node: Node, doc: Document): Node | null {
  if (node.nodeType === Node.TEXT_NODE) return doc.createTextNode(node.textContent ?? '');
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  if (!TAGS.has(tag)) return doc.createTextNode(el.textContent ?? '');
  const out = doc.createElement(tag);
  for (const attr of [...el.attributes]) {
    if (!ATTRS.has(attr.name)) continue;
    if (attr.name === 'href' && !/^(https?:|#)/i.test(attr.value)) continue;
    out.setAttribute(attr.name, attr.value);
  }
  for (const child of [...el.childNodes]) {
    const c = clean(child, doc);
    if (c) out.appendChild(c);
  }
  return out;
}

/** Replaces `target`'s content with the card HTML and renders every formula in it. */
export function renderCardHtml(target: HTMLElement, html: string): void {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const nodes = [...parsed.body.childNodes].map((n) => clean(n, document)).filter((n): n is Node => n !== null);
  target.replaceChildren(...nodes);
  for (const el of target.querySelectorAll<HTMLElement>('[data-tex]')) {
    const tex = el.dataset.tex ?? '';
    try {
      katex.render(tex, el, { displayMode: el.dataset.display === 'true', throwOnError: true, output: 'htmlAndMathml' });
    } catch (err) {
      // A formula KaTeX cannot parse shows as its source, marked, rather than vanishing.
      el.textContent = tex;
      el.classList.add('math-error');
      el.title = errorText(err);
    }
  }
}
