// `rnn-lens` (dist/cli.js, package.json `bin`): the deck tool. The commands live in ./cli/main.ts.
import { version } from '../package.json';
import { main } from './main';

process.exitCode = main(process.argv.slice(2), version, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
});
