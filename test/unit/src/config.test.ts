// src/config.ts against package.json's contributes.configuration: every contributed setting has
// a getter, each getter's default is the contributed default, of the contributed type, and a
// value of the wrong type reads as that default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_GETTERS, Config, SETTING_DEFAULTS, type SettingsSource } from '../../../src/config';
import { Setting, type SettingId } from '../../../src/constants';
import { findRepoRoot } from '../../fixtures/repoRoot';

const root = findRepoRoot(__dirname);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const properties = pkg.contributes.configuration.properties as Record<string, { type: string; default: unknown; minimum?: number; maximum?: number }>;

/** Settings as a plain object: what the user wrote, or nothing. */
const source = (values: Record<string, unknown> = {}): SettingsSource => ({ get: (section) => values[section] });
/** A getter's value in plain JSON form (the quiz's deck set as a list). */
const read = (config: Config, id: SettingId): unknown => {
  const value = config[CONFIG_GETTERS[id]];
  return value instanceof Set ? [...value] : value;
};

const ofType = (type: string, value: unknown): boolean =>
  type === 'array' ? Array.isArray(value)
    : type === 'integer' ? Number.isInteger(value)
      : typeof value === type;

test('every contributed setting has a getter and a default, and nothing else has', () => {
  assert.deepEqual(Object.keys(CONFIG_GETTERS).sort(), Object.keys(properties).sort());
  assert.deepEqual(Object.keys(SETTING_DEFAULTS).sort(), Object.keys(properties).sort());
});

test('with nothing set, each getter reads package.json\'s default, of its contributed type', () => {
  const config = new Config(source());
  for (const [id, prop] of Object.entries(properties)) {
    const value = read(config, id as SettingId);
    assert.deepEqual(value, prop.default, id);
    assert.ok(ofType(prop.type, value), `${id}: ${JSON.stringify(value)} is not a ${prop.type}`);
    assert.deepEqual(SETTING_DEFAULTS[id as SettingId], prop.default, id);
    if (prop.minimum !== undefined) assert.ok((value as number) >= prop.minimum, id);
    if (prop.maximum !== undefined) assert.ok((value as number) <= prop.maximum, id);
  }
});

test('a value of the wrong type reads as the default', () => {
  const wrong: Record<string, unknown> = {};
  for (const [id, prop] of Object.entries(properties)) wrong[id] = prop.type === 'array' ? 'not a list' : prop.type === 'boolean' ? 'yes' : 'many';
  const config = new Config(source(wrong));
  for (const [id, prop] of Object.entries(properties)) assert.deepEqual(read(config, id as SettingId), prop.default, id);
  assert.equal(new Config(source({ [Setting.desiredRetention]: Number.NaN })).desiredRetention, 0.9);
});

test('set values are read, with lists kept to their usable strings', () => {
  const config = new Config(source({
    [Setting.decks]: ['decks/**/*.md', '', '  ', 7, null],
    [Setting.hoverEnabled]: false,
    [Setting.hoverLanguages]: ['python', 3, 'rust'],
    [Setting.desiredRetention]: 0.8,
    [Setting.newCardsPerDay]: 0,
    [Setting.quizDecks]: ['practice', 'nope'],
    [Setting.statusBarEnabled]: false,
    [Setting.codeLensEnabled]: false,
    [Setting.labBackend]: 'js',
  }));
  assert.deepEqual(config.decks, ['decks/**/*.md']);
  assert.equal(config.hoverEnabled, false);
  assert.deepEqual(config.hoverLanguages, ['python', 'rust']);
  assert.equal(config.desiredRetention, 0.8);
  assert.equal(config.newCardsPerDay, 0);
  assert.deepEqual([...config.quizDecks], ['practice']);
  assert.equal(config.statusBarEnabled, false);
  assert.equal(config.codeLensEnabled, false);
  assert.equal(config.labBackend, 'js');
  for (const bad of ['gpu:webgl2', 'WASM', '__proto__', 3]) assert.equal(new Config(source({ [Setting.labBackend]: bad })).labBackend, 'auto', String(bad));
});

test('the settings are read anew on each get', () => {
  const values: Record<string, unknown> = { [Setting.hoverEnabled]: true };
  const config = new Config(source(values));
  assert.equal(config.hoverEnabled, true);
  values[Setting.hoverEnabled] = false;
  assert.equal(config.hoverEnabled, false);
});
