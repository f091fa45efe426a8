/** Entry point of the `dl-lifecycle` command (bundled to dist/cli.js). */
import { main } from './cli/main';

void main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
