/**
 * One `lectern` command in a fresh process, for the memory bench: runs the CLI in-process (its
 * output discarded) and prints `{ code, maxRssBytes }` as the last line of stdout.
 */
import { runCli } from '../../src/cli/run';

const code = runCli(process.argv.slice(2), { stdout: () => undefined, stderr: (t) => process.stderr.write(t) });
// resourceUsage().maxRSS is in kilobytes: the peak resident set of this whole process.
process.stdout.write(`${JSON.stringify({ code, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
