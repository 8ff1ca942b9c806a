/**
 * Hostile webview messages: every validator in src/shared/protocol.ts rejects malformed and unknown
 * messages (and never throws on them), and accepts the well-formed ones — so the tables below
 * could fail. Validators added later are picked up by name (`is…FromWebview`, `is…ToWebview`,
 * `parse…`) and held to the generic table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as protocol from '../../../src/shared/protocol';

const HUGE = 'x'.repeat(1_000_000);

/** Inputs no message validator may accept, whatever its message kind. */
const alwaysInvalid: ReadonlyArray<readonly [string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['number', 42],
  ['NaN', Number.NaN],
  ['string', 'ready'],
  ['boolean', true],
  ['function', () => ({ type: 'ready' })],
  ['array', []],
  ['array holding a message', [{ type: 'ready' }]],
  ['empty object', {}],
  ['unknown type', { type: 'deleteEverything' }],
  ['type of wrong case', { type: 'READY' }],
  ['numeric type', { type: 123 }],
  ['null type', { type: null }],
  ['array type', { type: ['ready'] }],
  ['object type', { type: { toString: () => 'ready' } }],
  ['type "toString"', { type: 'toString' }],
  ['type "constructor"', { type: 'constructor' }],
  ['type "__proto__"', { type: '__proto__' }],
  ['type "hasOwnProperty"', { type: 'hasOwnProperty' }],
  ['huge unknown type', { type: HUGE }],
  ['JSON __proto__ key carrying a type', JSON.parse('{"__proto__":{"type":"ready"}}')],
  ['JSON constructor.prototype payload', JSON.parse('{"type":"x","constructor":{"prototype":{"polluted":true}}}')],
];

type Validator = (value: unknown) => boolean;

const validators: Array<[string, Validator]> = Object.entries(protocol as Record<string, unknown>)
  .filter(([name, value]) => typeof value === 'function' && /^(is\w+(FromWebview|ToWebview|Message|State)|parse\w+Message)$/.test(name))
  .map(([name, value]) => [name, value as Validator]);

test('the protocol has message validators to test', () => {
  assert.ok(validators.length >= 2, `found ${validators.map(([n]) => n).join(', ') || 'none'}`);
});

for (const [name, validate] of validators) {
  test(`${name} rejects malformed and unknown messages and never throws`, () => {
    for (const [label, input] of alwaysInvalid) {
      let verdict: unknown;
      assert.doesNotThrow(() => {
        verdict = validate(input);
      }, `${name}(${label}) threw`);
      // `parse…` validators may return undefined/null or a { ok: false } result instead of false.
      const accepted = verdict === true || (typeof verdict === 'object' && verdict !== null && (verdict as { ok?: unknown }).ok !== false);
      assert.equal(accepted, false, `${name} accepted ${label}`);
    }
  });
}

/** Per known validator: well-formed messages (must pass) and near misses (must fail). */
const tables: Record<string, { valid: unknown[]; invalid: ReadonlyArray<readonly [string, unknown]> }> = {
  isPreviewFromWebview: {
    valid: [
      { type: 'ready' },
      { type: 'revealLine', line: 0 },
      { type: 'selectLine', line: 12.5 },
      { type: 'resolveTodo', todoId: 'todo-1' },
      { type: 'openDemo', demo: 'dropout', sectionIndex: 3 },
      { type: 'openLink', href: 'https://example.org' },
    ],
    invalid: [
      ['revealLine without line', { type: 'revealLine' }],
      ['revealLine with negative line', { type: 'revealLine', line: -1 }],
      ['revealLine with NaN', { type: 'revealLine', line: Number.NaN }],
      ['revealLine with Infinity', { type: 'revealLine', line: Number.POSITIVE_INFINITY }],
      ['revealLine with string line', { type: 'revealLine', line: '5' }],
      ['revealLine with absurd line', { type: 'revealLine', line: 1e12 }],
      ['selectLine with null line', { type: 'selectLine', line: null }],
      ['resolveTodo without id', { type: 'resolveTodo' }],
      ['resolveTodo with empty id', { type: 'resolveTodo', todoId: '' }],
      ['resolveTodo with numeric id', { type: 'resolveTodo', todoId: 7 }],
      ['resolveTodo with huge id', { type: 'resolveTodo', todoId: HUGE }],
      ['resolveTodo with object id', { type: 'resolveTodo', todoId: { toString: () => 'todo-1' } }],
      ['openDemo with empty demo', { type: 'openDemo', demo: '', sectionIndex: 0 }],
      ['openDemo with negative section', { type: 'openDemo', demo: 'dropout', sectionIndex: -1 }],
      ['openDemo with fractional section', { type: 'openDemo', demo: 'dropout', sectionIndex: 1.5 }],
      ['openDemo with string section', { type: 'openDemo', demo: 'dropout', sectionIndex: '0' }],
      ['openDemo with huge demo', { type: 'openDemo', demo: HUGE, sectionIndex: 0 }],
      ['openLink with huge href', { type: 'openLink', href: HUGE }],
      ['openLink with numeric href', { type: 'openLink', href: 1 }],
      ['openLink with empty href', { type: 'openLink', href: '' }],
      ['host-to-webview message sent back', { type: 'render', uri: 'file:///a.md', title: 'a', html: '<p>' }],
    ],
  },
  isPreviewToWebview: {
    valid: [
      { type: 'render', uri: 'file:///a.md', title: 'a', html: '<p>a</p>' },
      { type: 'render', uri: 'file:///a.md', title: 'a', html: '', line: 3 },
      { type: 'scrollToLine', line: 4 },
    ],
    invalid: [
      ['render without html', { type: 'render', uri: 'file:///a.md', title: 'a' }],
      ['render with numeric html', { type: 'render', uri: 'file:///a.md', title: 'a', html: 1 }],
      ['render with bad line', { type: 'render', uri: 'file:///a.md', title: 'a', html: '', line: -3 }],
      ['scrollToLine with string', { type: 'scrollToLine', line: '4' }],
      ['webview-to-host message', { type: 'ready' }],
    ],
  },
  isPreviewState: {
    valid: [{ uri: 'file:///a.md', line: 0 }],
    invalid: [
      ['empty uri', { uri: '', line: 0 }],
      ['huge uri', { uri: HUGE, line: 0 }],
      ['negative line', { uri: 'file:///a.md', line: -1 }],
      ['string line', { uri: 'file:///a.md', line: '0' }],
    ],
  },
  isDemoFromWebview: {
    valid: [
      { type: 'ready', backend: 'webgl', summary: { outputSize: 8, ok: true, label: 'x' } },
      { type: 'ready', backend: 'cpu', summary: {} },
      { type: 'backendFallback', reason: 'WebGL context lost' },
      { type: 'useAnswer', todoId: 'todo-1', answer: 'k=4, s=2, p=1 doubles the size' },
      { type: 'error', message: 'boom' },
    ],
    invalid: [
      ['ready with unknown backend', { type: 'ready', backend: 'wasm', summary: {} }],
      ['ready without summary', { type: 'ready', backend: 'cpu' }],
      ['ready with array summary', { type: 'ready', backend: 'cpu', summary: [1, 2] }],
      ['ready with nested summary', { type: 'ready', backend: 'cpu', summary: { a: { b: 1 } } }],
      ['ready with NaN in summary', { type: 'ready', backend: 'cpu', summary: { a: Number.NaN } }],
      ['ready with huge summary', { type: 'ready', backend: 'cpu', summary: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])) }],
      ['ready with huge summary string', { type: 'ready', backend: 'cpu', summary: { a: HUGE } }],
      ['backendFallback with huge reason', { type: 'backendFallback', reason: HUGE }],
      ['backendFallback with numeric reason', { type: 'backendFallback', reason: 1 }],
      ['useAnswer with empty id', { type: 'useAnswer', todoId: '', answer: 'a' }],
      ['useAnswer with blank answer', { type: 'useAnswer', todoId: 'todo-1', answer: '   ' }],
      ['useAnswer with huge answer', { type: 'useAnswer', todoId: 'todo-1', answer: HUGE }],
      ['useAnswer with numeric answer', { type: 'useAnswer', todoId: 'todo-1', answer: 4 }],
      ['error with huge message', { type: 'error', message: HUGE }],
      ['host-to-webview message sent back', { type: 'visibility', visible: true }],
    ],
  },
  isDemoToWebview: {
    valid: [
      { type: 'todos', todos: [{ id: 'todo-1', text: 'how do we get 2x?' }] },
      { type: 'todos', todos: [], section: { uri: 'file:///a.md', sectionIndex: 2, title: 'FCN' } },
      { type: 'visibility', visible: false },
      { type: 'answerResult', todoId: 'todo-1', ok: true, message: '' },
    ],
    invalid: [
      ['todos not an array', { type: 'todos', todos: { 0: { id: 'a', text: '' } } }],
      ['todos with a bad entry', { type: 'todos', todos: [{ id: '', text: 'x' }] }],
      ['todos with null entry', { type: 'todos', todos: [null] }],
      ['todos with a bad section', { type: 'todos', todos: [], section: { uri: 'file:///a.md', sectionIndex: -2, title: 'x' } }],
      ['visibility as string', { type: 'visibility', visible: 'true' }],
      ['answerResult without ok', { type: 'answerResult', todoId: 'todo-1', message: '' }],
    ],
  },
  isDemoPanelState: {
    valid: [{ demo: 'anchors' }, { demo: 'dropout', section: { uri: 'file:///a.md', sectionIndex: 0, title: 'Dropout' }, demoState: { p: 0.5 } }],
    invalid: [
      ['unknown demo', { demo: 'rm -rf' }],
      ['demo as array', { demo: ['anchors'] }],
      ['bad section', { demo: 'anchors', section: { uri: 'file:///a.md', sectionIndex: 1.5, title: '' } }],
    ],
  },
};

for (const [name, table] of Object.entries(tables)) {
  const validate = validators.find(([n]) => n === name)?.[1];
  test(`${name}: well-formed messages pass, near misses fail`, { skip: validate ? false : `${name} is not exported` }, () => {
    for (const message of table.valid) assert.equal(validate!(message), true, `rejected valid ${JSON.stringify(message)}`);
    for (const [label, message] of table.invalid) assert.equal(validate!(message), false, `accepted ${label}`);
  });
}

test('validating hostile messages pollutes no prototype', () => {
  const payloads = [
    JSON.parse('{"type":"ready","__proto__":{"polluted":"yes"}}'),
    JSON.parse('{"type":"openDemo","demo":"dropout","sectionIndex":0,"__proto__":{"polluted":"yes"}}'),
    JSON.parse('{"type":"x","constructor":{"prototype":{"polluted":"yes"}}}'),
  ];
  for (const [, validate] of validators) for (const p of payloads) validate(p);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
});
