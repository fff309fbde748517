// Typed getters for every `rnnLens.*` setting, each default written once (here). A value of the
// wrong type (a hand-edited settings.json) reads as the default, never as garbage. Pure: the host
// passes vscode.workspace.getConfiguration() as the source (src/settings.ts); unit tests pass a
// plain object, and test/unit/src/config.test.ts checks the defaults and types against package.json.
import { DEFAULT_HOVER_LANGUAGES, Setting, type SettingId } from './constants';
import { LAB_BACKEND_SETTINGS, type LabBackendSetting } from '../protocol';
import { ALL_DECK_IDS, parseDeckChoice } from './quiz/decks';

/** Where the getters read values: vscode.WorkspaceConfiguration has this shape. */
export interface SettingsSource {
  get(section: string): unknown;
}

/** Each setting's default, as package.json contributes it. */
export const SETTING_DEFAULTS = {
  [Setting.decks]: [] as readonly string[],
  [Setting.hoverEnabled]: true,
  [Setting.hoverLanguages]: DEFAULT_HOVER_LANGUAGES as readonly string[],
  [Setting.desiredRetention]: 0.9,
  [Setting.newCardsPerDay]: 10,
  [Setting.quizDecks]: ALL_DECK_IDS,
  [Setting.statusBarEnabled]: true,
  [Setting.codeLensEnabled]: true,
  [Setting.labBackend]: 'auto' as LabBackendSetting,
} as const satisfies Record<SettingId, unknown>;

const stringsOf = (raw: unknown[]): string[] => raw.filter((s): s is string => typeof s === 'string' && s.trim().length > 0);

export class Config {
  constructor(private readonly source: SettingsSource) {}

  private boolean(id: typeof Setting.hoverEnabled | typeof Setting.statusBarEnabled | typeof Setting.codeLensEnabled): boolean {
    const raw = this.source.get(id);
    return typeof raw === 'boolean' ? raw : SETTING_DEFAULTS[id];
  }

  private number(id: typeof Setting.desiredRetention | typeof Setting.newCardsPerDay): number {
    const raw = this.source.get(id);
    return typeof raw === 'number' && Number.isFinite(raw) ? raw : SETTING_DEFAULTS[id];
  }

  private strings(id: typeof Setting.decks | typeof Setting.hoverLanguages): string[] {
    const raw = this.source.get(id);
    return Array.isArray(raw) ? stringsOf(raw) : [...SETTING_DEFAULTS[id]];
  }

  /** `rnnLens.decks`: the globs of user deck files (non-empty strings only). */
  get decks(): string[] {
    return this.strings(Setting.decks);
  }

  /** `rnnLens.hover.enabled`. */
  get hoverEnabled(): boolean {
    return this.boolean(Setting.hoverEnabled);
  }

  /** `rnnLens.hover.languages`: language ids (non-empty strings only). */
  get hoverLanguages(): string[] {
    return this.strings(Setting.hoverLanguages);
  }

  /** `rnnLens.quiz.desiredRetention` as set; the scheduler clamps it to 0.7–0.99. */
  get desiredRetention(): number {
    return this.number(Setting.desiredRetention);
  }

  /** `rnnLens.quiz.newCardsPerDay` as set; the scheduler floors it at 0. */
  get newCardsPerDay(): number {
    return this.number(Setting.newCardsPerDay);
  }

  /** `rnnLens.quiz.decks`: the chosen deck ids (unknown ids dropped; every deck when it is not a list). */
  get quizDecks(): Set<string> {
    return parseDeckChoice(this.source.get(Setting.quizDecks) ?? SETTING_DEFAULTS[Setting.quizDecks]);
  }

  /** `rnnLens.statusBar.enabled`. */
  get statusBarEnabled(): boolean {
    return this.boolean(Setting.statusBarEnabled);
  }

  /** `rnnLens.lab.backend`: one of LAB_BACKEND_SETTINGS (anything else reads as `auto`). */
  get labBackend(): LabBackendSetting {
    const raw = this.source.get(Setting.labBackend);
    return LAB_BACKEND_SETTINGS.find((b) => b === raw) ?? SETTING_DEFAULTS[Setting.labBackend];
  }

  /** `rnnLens.codeLens.enabled`. */
  get codeLensEnabled(): boolean {
    return this.boolean(Setting.codeLensEnabled);
  }
}

/** The getter that reads each setting, so that every contributed setting has one. */
export const CONFIG_GETTERS = {
  [Setting.decks]: 'decks',
  [Setting.hoverEnabled]: 'hoverEnabled',
  [Setting.hoverLanguages]: 'hoverLanguages',
  [Setting.desiredRetention]: 'desiredRetention',
  [Setting.newCardsPerDay]: 'newCardsPerDay',
  [Setting.quizDecks]: 'quizDecks',
  [Setting.statusBarEnabled]: 'statusBarEnabled',
  [Setting.codeLensEnabled]: 'codeLensEnabled',
  [Setting.labBackend]: 'labBackend',
} as const satisfies Record<SettingId, keyof Config>;
