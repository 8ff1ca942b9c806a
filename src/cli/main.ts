import { runCli } from './run';

/** The `lectern` executable (bundled to dist/cli.js with a shebang; package.json `bin`). */
function write(stream: NodeJS.WriteStream, text: string): void {
  try {
    stream.write(text);
  } catch {
    // a closed pipe (`lectern todos … | head`) is not an error of ours
  }
}

process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

let code: number;
try {
  code = runCli(process.argv.slice(2), { stdout: (t) => write(process.stdout, t), stderr: (t) => write(process.stderr, t) });
} catch (e) {
  write(process.stderr, `lectern: internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  code = 2;
}
process.exitCode = code;
