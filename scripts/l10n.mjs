// Writes l10n/bundle.l10n.json: every vscode.l10n.t('…') message in src/ (build/l10n.ts reads them).
//   npm run l10n
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(import.meta.dirname, '..');
const outfile = join(root, 'out', 'build', 'l10n.cjs');
await esbuild.build({
  entryPoints: [join(root, 'build', 'l10n.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
  outfile, logLevel: 'warning', external: ['typescript'],
});
const { extractL10n, bundleText } = createRequire(import.meta.url)(outfile);
const { messages, problems } = extractL10n(root);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
mkdirSync(join(root, 'l10n'), { recursive: true });
writeFileSync(join(root, 'l10n', 'bundle.l10n.json'), bundleText(messages));
console.log(`l10n/bundle.l10n.json: ${messages.size} messages`);
