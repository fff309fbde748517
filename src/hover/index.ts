// Hover tips on RNN terms, and `RNN Lens: Explain Term at Cursor`. Thin host glue: matching is
// src/deck/terms/index.ts, the hover's Markdown is ./content.ts, equations are ./equation.ts.
import * as vscode from 'vscode';
import * as v from 'valibot';
import { Command, ContextKey, Setting } from '../constants';
import type { Card } from '../deck/card';
import type { DeckService } from '../deckService';
import { escapeNotification, excerpt, oneLine } from '../deck/escape';
import { documentTopic, termAt, type DocumentTopic, type TermContext, type TermMatch } from '../deck/terms';
import { DisposableStore } from '../dispose';
import { config } from '../settings';
import type { TextEditorSource } from '../lastTextEditor';
import { HOVER_COMMANDS, hoverMarkdown, markdownToHoverText, pickCardArgs, type HoverEquation } from './content';
import { equationDataUri, keyEquation, texToUnicode, type BundledEquation, type ThemeKind } from './equation';

/**
 * Where hovers apply: files on disk, unsaved files, notebook cells, and the virtual file
 * systems of the web extension host. Not diff, output or git views.
 */
const SCHEMES = ['file', 'untitled', 'vscode-notebook-cell', 'vscode-vfs', 'vscode-remote'];

/** What the hover's commands need: the deck, and the RNN context of a document's line. */
export interface HoverCtx {
  readonly decks: DeckService;
  contextAt(doc: vscode.TextDocument, line: number): TermContext;
  /** The active text editor, or the last one (see ../lastTextEditor.ts). */
  textEditor(): vscode.TextEditor | undefined;
}

export function register(_context: vscode.ExtensionContext, decks: DeckService, textEditor: TextEditorSource): HoverCtx & vscode.Disposable {
  const store = new DisposableStore();
  const equations = new Equations((message) => decks.output.appendLine(oneLine(`RNN Lens: hovers show equations as text: cannot load their images: ${message}`)));
  const contexts = new RnnContextCache();
  let providerStore = store.add(new DisposableStore());
  // The walkthrough's "Hover an RNN term" step completes on this context key.
  let hoverShown = false;

  const contextAt = (doc: vscode.TextDocument, line: number): TermContext => ({
    ...contexts.get(doc),
    language: doc.languageId,
    prevLine: line > 0 ? doc.lineAt(line - 1).text : undefined,
    nextLine: line + 1 < doc.lineCount ? doc.lineAt(line + 1).text : undefined,
    lineAbove: (k) => (line - k >= 0 ? doc.lineAt(line - k).text : undefined),
  });

  const provider: vscode.HoverProvider = {
    async provideHover(doc, pos) {
      const match = termAt(decks.terms, doc.lineAt(pos.line).text, pos.character, contextAt(doc, pos.line));
      if (!match) return undefined;
      const cardIds = match.cardIds.filter((id) => decks.deck.has(id));
      const card = cardIds.length ? decks.deck.get(cardIds[0]) : undefined;
      if (!card) return undefined;
      const md = new vscode.MarkdownString(hoverMarkdown({ card, term: match.term, role: match.role, cardIds, equation: await equations.get(card) }));
      // Only our own commands may run from the hover's links (docs/ARCHITECTURE.md, "Conventions").
      md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
      md.supportHtml = false;
      if (!hoverShown) {
        hoverShown = true;
        void vscode.commands.executeCommand('setContext', ContextKey.hoverShown, true);
      }
      return new vscode.Hover(md, new vscode.Range(pos.line, match.start, pos.line, match.end));
    },
  };

  const registerProvider = () => {
    providerStore.dispose();
    providerStore = store.add(new DisposableStore());
    const settings = config();
    if (!settings.hoverEnabled) return;
    const selector = settings.hoverLanguages.flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme })));
    if (selector.length) providerStore.add(vscode.languages.registerHoverProvider(selector, provider));
  };
  registerProvider();
  // The term index is built just after activation, so that activation does not wait for it and
  // the first hover does not either (a hover before this task runs builds it itself).
  const warm = setTimeout(() => decks.terms, 0);
  store.add({ dispose: () => clearTimeout(warm) });
  vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(Setting.hoverEnabled) || e.affectsConfiguration(Setting.hoverLanguages)) registerProvider();
  }, undefined, store.items);
  vscode.window.onDidChangeActiveColorTheme(() => equations.clearThemed(), undefined, store.items);
  decks.onDidChange(() => equations.clearThemed(), undefined, store.items);

  return { decks, contextAt, textEditor, dispose: () => store.dispose() };
}

/** `RNN Lens: Explain Term at Cursor`: the card of the term at (or just before) the cursor. */
export const explainTermAtCursor = ({ decks, contextAt, textEditor }: HoverCtx) => async (): Promise<void> => {
  const editor = textEditor();
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('RNN Lens: open a file and put the cursor on an RNN term, such as nn.LSTM or "forget gate".'));
    return;
  }
  const { document: doc, selection } = editor;
  const pos = selection.active;
  const line = doc.lineAt(pos.line).text;
  const ctx = contextAt(doc, pos.line);
  // A cursor just after a word (where typing leaves it) explains that word.
  const match: TermMatch | undefined = termAt(decks.terms, line, pos.character, ctx)
    ?? (pos.character > 0 ? termAt(decks.terms, line, pos.character - 1, ctx) : undefined);
  const cardIds = match?.cardIds.filter((id) => decks.deck.has(id)) ?? [];
  if (!match || cardIds.length === 0) {
    const word = doc.getWordRangeAtPosition(pos);
    void vscode.window.showInformationMessage(word
      ? vscode.l10n.t('RNN Lens: "{0}" is not a term in the RNN Lens deck. Try a name like nn.LSTM or a phrase like "forget gate".', escapeNotification(doc.getText(word), 60))
      : vscode.l10n.t('RNN Lens: there is no RNN term at the cursor. Try a name like nn.LSTM or a phrase like "forget gate".'));
    return;
  }
  await openOneOf(decks, match.term, cardIds);
};

/** `rnnLens.pickCard` (a hover link): which of the term's cards to open. */
export const pickCard = ({ decks }: HoverCtx) => async (raw: unknown): Promise<void> => {
  const args = pickCardArgs(raw);
  if (!args) {
    void vscode.window.showErrorMessage(vscode.l10n.t('RNN Lens: Pick a Card needs a term and its card ids (it is run from a hover link).'));
    return;
  }
  await openOneOf(decks, args.term, args.cardIds.filter((id) => decks.deck.has(id)), true);
};

/** Opens the card, or asks which one when several cards explain the term. */
async function openOneOf(decks: DeckService, term: string, cardIds: string[], alwaysAsk = false): Promise<void> {
  const cards = cardIds.map((id) => decks.deck.get(id)).filter((c): c is Card => c !== undefined);
  if (cards.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('RNN Lens: no card explains "{0}" any more (the deck changed).', escapeNotification(term, 60)));
    return;
  }
  if (cards.length === 1 && !alwaysAsk) {
    await vscode.commands.executeCommand(Command.openCard, cards[0].id);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    cards.map((card) => ({ label: plainText(card.question), description: `${card.level} · ${card.kind}`, detail: excerpt(card.id, 120), card })),
    { title: vscode.l10n.t('RNN Lens: cards about "{0}"', excerpt(term, 60)), placeHolder: vscode.l10n.t('Pick a card to open'), matchOnDescription: true, matchOnDetail: true },
  );
  if (picked) await vscode.commands.executeCommand(Command.openCard, picked.card.id);
}

/** Card Markdown as one line of plain text for a quick pick (which renders no Markdown). */
function plainText(markdown: string): string {
  return markdownToHoverText(markdown).replace(/\\(.)/g, '$1').replace(/`/g, '');
}

/**
 * Each document's topic (about RNNs, about modern recurrent models, the frameworks it imports),
 * computed once per document version. A notebook cell takes its notebook's answer: an `nn.LSTM`
 * in one cell makes "gate" a term in the others.
 */
class RnnContextCache {
  private readonly docs = new WeakMap<vscode.TextDocument, { version: number; topic: DocumentTopic }>();
  private readonly notebooks = new WeakMap<vscode.NotebookDocument, { version: number; topic: DocumentTopic }>();

  get(doc: vscode.TextDocument): DocumentTopic {
    if (doc.uri.scheme === 'vscode-notebook-cell') {
      const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.path === doc.uri.path);
      if (nb) {
        const hit = this.notebooks.get(nb);
        if (hit && hit.version === nb.version) return hit.topic;
        const topic = documentTopic(nb.getCells().map((cell) => cell.document.getText()).join('\n'));
        this.notebooks.set(nb, { version: nb.version, topic });
        return topic;
      }
    }
    const hit = this.docs.get(doc);
    if (hit && hit.version === doc.version) return hit.topic;
    const topic = documentTopic(doc.getText());
    this.docs.set(doc, { version: doc.version, topic });
    return topic;
  }
}

/**
 * Key equations for hovers: the bundled deck's build-time SVGs (recoloured for the theme and
 * cached), else the TeX as readable Unicode (user decks, or a build without MathJax). The SVGs
 * load at the first hover that has an equation to show (esbuild.mjs, LAZY_CHUNKS).
 */
class Equations {
  private readonly themed = new Map<string, HoverEquation | null>();
  private bundledEquations: Promise<ReadonlyMap<string, BundledEquation>> | undefined;

  /** `onLoadError` hears once why the SVGs could not load (a .vsix without dist/deck-equations.js). */
  constructor(private readonly onLoadError: (message: string) => void) {}

  clearThemed(): void {
    this.themed.clear();
  }

  async get(card: Card): Promise<HoverEquation | undefined> {
    const cached = this.themed.get(card.id);
    if (cached !== undefined) return cached ?? undefined;
    const tex = keyEquation(card);
    let eq: HoverEquation | null = null;
    if (tex) {
      this.bundledEquations ??= import('rnn-lens:bundled-equations').then((m) => readBundledEquations(m.default), (err: unknown) => {
        this.onLoadError(err instanceof Error ? err.message : String(err));
        return new Map<string, BundledEquation>();
      });
      const built = (await this.bundledEquations).get(card.id);
      // A user card's text may differ from a bundled card's with the same id only if ids clash,
      // which the deck service refuses; still, trust the SVG only for the TeX it was drawn from.
      const unicode = texToUnicode(tex);
      eq = built?.svg && built.tex === tex
        ? { unicode, svgDataUri: equationDataUri(built.svg, vscode.window.activeColorTheme.kind as ThemeKind) }
        : { unicode };
    }
    this.themed.set(card.id, eq);
    return eq ?? undefined;
  }
}

const BundledEquationSchema = v.object({ tex: v.string(), svg: v.optional(v.string()) });

/** The bundled equations (drawn at build time by cli/equations.ts); invalid entries are left out. */
function readBundledEquations(raw: unknown): Map<string, BundledEquation> {
  const out = new Map<string, BundledEquation>();
  if (!raw || typeof raw !== 'object') return out;
  for (const [id, value] of Object.entries(raw)) {
    const parsed = v.safeParse(BundledEquationSchema, value);
    if (parsed.success) out.set(id, parsed.output);
  }
  return out;
}
