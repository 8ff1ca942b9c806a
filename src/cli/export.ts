import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotesRenderer, type RenderStats } from '../core/render/renderNotes';
import { EXPORT_ASSETS_FOLDER, exportTitle, standaloneHtmlParts } from '../core/render/htmlPage';
import { parseMacroPreamble, type MathMacros } from '../core/render/macros';
import { CliError, ioReason } from './errors';
import { MAX_PREAMBLE_BYTES, findPreamble } from './check';
import { readNoteFile } from './safeFile';

/**
 * `lectern export FILE [-o OUT.html]`: the page the editor's Export HTML writes (same renderer,
 * same `standaloneHtml`, same `lectern-assets/` folder beside it), so notes can be published from
 * CI. Macros come from the nearest `.lectern/macros.tex` of the note's folder or a parent, as in
 * the editor (the `lectern.math.macros` setting does not exist outside it).
 */
export interface ExportResult {
  readonly out: string;
  readonly formulas: number;
  readonly mathErrors: number;
}

export function exportNote(file: string, out: string | undefined, tags: readonly string[] | undefined): ExportResult {
  const note = readNoteFile(file);
  const target = path.resolve(out ?? file.replace(/\.[^/.\\]*$/, '') + '.html');
  if (target === path.resolve(file)) throw new CliError(`export: the output would overwrite the note ${file} (use -o OUT.html)`);
  const renderer = new NotesRenderer({ macros: preambleMacros(path.dirname(path.resolve(file))), tags });
  const targetDir = path.dirname(target);
  const noteDir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(targetDir, { recursive: true });
    copyAssets(path.join(targetDir, EXPORT_ASSETS_FOLDER));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`export: cannot write ${target}: ${ioReason(e)}`);
  }
  // The page is about ten times the note: written as it is rendered, never held whole.
  const [pageStart, pageEnd] = standaloneHtmlParts(exportTitle(file));
  let fd: number | undefined;
  const write = (html: string) => {
    try {
      fd ??= fs.openSync(target, 'w');
      fs.writeSync(fd, html);
    } catch (e) {
      throw new CliError(`export: cannot write ${target}: ${ioReason(e)}`);
    }
  };
  let rendered: RenderStats;
  try {
    write(pageStart);
    rendered = renderer.renderTo(note.text, {
      interactive: false,
      // Images stay where they are: point at them relative to the exported file (as the editor does).
      resolveImageSrc: (src) => {
        if (!src || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(src) || src.startsWith('//') || src.startsWith('#') || src.startsWith('/')) return undefined;
        let ref = src.replace(/[?#].*$/, '');
        try {
          ref = decodeURIComponent(ref);
        } catch {
          // keep the raw path
        }
        return path.relative(targetDir, path.resolve(noteDir, ref)).split(path.sep).map(encodeURIComponent).join('/');
      },
    }, write);
    write(pageEnd);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return { out: target, formulas: rendered.formulas, mathErrors: rendered.mathErrors };
}

/** The preamble `lectern check` uses (the nearest `.lectern/macros.tex`); its problems are `check`'s to report. */
function preambleMacros(dir: string): MathMacros {
  const file = findPreamble(dir);
  // Only the first 256 KB, as `check` and the editor read it (the editor: its first 256 KB of bytes).
  return file === undefined ? {} : parseMacroPreamble(readNoteFile(file).text.slice(0, MAX_PREAMBLE_BYTES)).macros;
}

/** KaTeX's CSS and fonts (built into dist/webview/katex, else from the katex package) and preview.css. */
function copyAssets(folder: string): void {
  const root = packageRoot();
  const built = path.join(root, 'dist', 'webview', 'katex');
  // Not require.resolve: webpack would turn it into a module id in dist/cli.js.
  const installed = path.join(root, 'node_modules', 'katex', 'dist');
  const katexDir = [built, installed].find((d) => fs.existsSync(path.join(d, 'katex.min.css')));
  if (!katexDir) throw new CliError(`export: KaTeX's stylesheet is missing (looked in ${built} and ${installed})`);
  const previewCss = path.join(root, 'media', 'preview.css');
  if (!fs.existsSync(previewCss)) throw new CliError(`export: Lectern's stylesheet is missing (${previewCss})`);
  fs.mkdirSync(path.join(folder, 'fonts'), { recursive: true });
  fs.copyFileSync(path.join(katexDir, 'katex.min.css'), path.join(folder, 'katex.min.css'));
  fs.copyFileSync(previewCss, path.join(folder, 'preview.css'));
  for (const entry of fs.readdirSync(path.join(katexDir, 'fonts'), { withFileTypes: true })) {
    if (entry.isFile()) fs.copyFileSync(path.join(katexDir, 'fonts', entry.name), path.join(folder, 'fonts', entry.name));
  }
}

/** The folder of Lectern's package.json (dist/cli.js and out/src/cli both work). */
export function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'lectern') return dir;
    } catch {
      // keep looking upwards
    }
    dir = path.dirname(dir);
  }
  throw new CliError('cannot find the Lectern package folder');
}
