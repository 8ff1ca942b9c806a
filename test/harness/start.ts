/**
 * `npm start` (after `npm run package`): opens the repo's notes/ folder with Lectern.
 *  - With VS Code's `code` command on PATH: installs build/lectern.vsix into it and opens notes/.
 *  - Otherwise (or with LECTERN_START=web): starts code-server (installed once, cached) on
 *    127.0.0.1 with Lectern in a throw-away profile, on the real notes/ folder so edits persist,
 *    prints the URL and stays up until Ctrl-C. LECTERN_PORT picks the port (default: a free one).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultVsix, launchCodeServer, repoRoot } from './vscode-web';

const notes = path.join(repoRoot, 'notes');

function hasCodeCommand(): boolean {
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  if (!fs.existsSync(defaultVsix)) throw new Error(`${defaultVsix} is missing: run \`npm run package\` first`);
  if (process.env.LECTERN_START !== 'web' && hasCodeCommand()) {
    const install = spawnSync('code', ['--install-extension', defaultVsix, '--force'], { stdio: 'inherit' });
    if (install.status !== 0) throw new Error('`code --install-extension` failed');
    spawnSync('code', [notes], { stdio: 'inherit' });
    console.log(`Opened ${notes} in VS Code with Lectern installed.`);
    return;
  }
  const port = process.env.LECTERN_PORT ? Number(process.env.LECTERN_PORT) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`LECTERN_PORT must be a port number, not '${process.env.LECTERN_PORT}'`);
  console.log('No `code` command found: starting VS Code in the browser (code-server) instead.');
  const server = await launchCodeServer({ folder: notes, port, browser: false });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server…');
    void server.stop().then(() => process.exit(0));
  };
  void server.exited.then(() => {
    if (stopping) return;
    console.error(`code-server exited unexpectedly; its output:\n${server.serverOutput()}`);
    process.exit(1);
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`\nLectern on ${notes}:\n\n    ${server.url}\n\nOpen that URL in a browser on this machine (loopback only). Ctrl-C stops it.`);
}

main().catch((error: unknown) => {
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
