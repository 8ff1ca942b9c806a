/**
 * An independent reading of where code and math are, straight from a bare markdown-it with the
 * same KaTeX plugin VS Code uses — nothing of Lectern's own parser. The hostile tests hold
 * Lectern's TODO extraction against it.
 */
import MarkdownIt from 'markdown-it';

// CommonJS module with an ES default export.
type Md = InstanceType<typeof MarkdownIt>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const markdownItKatex = (require('@vscode/markdown-it-katex') as { default: (md: Md, o?: object) => Md }).default;

const md = new MarkdownIt({ html: false }).use(markdownItKatex);
type Token = MarkdownIt.Token;

export interface LineRange {
  readonly type: string;
  /** 0-based, end exclusive, as markdown-it's `map`. */
  readonly start: number;
  readonly end: number;
}

export interface InlineGroup {
  readonly start: number;
  readonly end: number;
  /** The text a reader sees in this inline run, code spans and math left out. */
  readonly prose: string;
}

export interface TokenReading {
  /** Fenced and indented code blocks and display math blocks. */
  readonly codeOrMathBlocks: readonly LineRange[];
  readonly inlines: readonly InlineGroup[];
  /** Whether the text has any inline code or math at all (so a test knows it was exercised). */
  readonly hasInlineCodeOrMath: boolean;
  /** Top-level headings markdown-it sees (ATX and setext, not inside lists or quotes). */
  readonly headings: number;
}

/** Children whose text a reader sees as prose (images keep their alt text as children). */
function proseOf(children: readonly Token[]): { prose: string; excluded: boolean } {
  let prose = '';
  let excluded = false;
  for (const c of children) {
    if (c.type === 'text') prose += c.content;
    else if (c.type === 'code_inline' || c.type.startsWith('math')) {
      excluded = true;
      prose += '\u0000';
    } else if (c.type === 'image' && c.children) {
      const inner = proseOf(c.children);
      prose += inner.prose;
      excluded ||= inner.excluded;
    } else prose += '\u0000';
  }
  return { prose, excluded };
}

export function readTokens(text: string): TokenReading {
  const tokens = md.parse(text, {});
  const codeOrMathBlocks: LineRange[] = [];
  const inlines: InlineGroup[] = [];
  let hasInlineCodeOrMath = false;
  let headings = 0;
  let lastMap: [number, number] | null = null;
  for (const t of tokens) {
    if (t.map) lastMap = t.map;
    if (t.type === 'heading_open' && t.level === 0) headings++;
    if ((t.type === 'fence' || t.type === 'code_block' || t.type.startsWith('math')) && t.map) {
      codeOrMathBlocks.push({ type: t.type, start: t.map[0], end: t.map[1] });
    }
    if (t.type === 'inline') {
      // Table cells carry no map of their own: they sit on the row's line.
      const map = t.map ?? lastMap;
      if (!map) continue;
      const { prose, excluded } = proseOf(t.children ?? []);
      hasInlineCodeOrMath ||= excluded;
      inlines.push({ start: map[0], end: map[1], prose });
    }
  }
  return { codeOrMathBlocks, inlines, hasInlineCodeOrMath, headings };
}

/** Occurrences of `tag` as a word (not inside a longer run of letters) in `prose`. */
export function countTagWords(prose: string, tag: string): number {
  const re = new RegExp(`(?<!\\p{L})${tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'gu');
  return [...prose.matchAll(re)].length;
}
