/**
 * The demo panel's exact HTML (src/extension/demos/demoPage.ts, same CSP) served over 127.0.0.1
 * with the built dist/webview + media, and a stand-in for `acquireVsCodeApi`, so a demo can be
 * driven in headless Chromium without VS Code: for quick checks and for the WebGL-vs-CPU timings.
 * The end-to-end test (demos.test.ts) covers the same page inside a real VS Code webview.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { demoPageHtml } from '../../src/extension/demos/demoPage';
import type { DemoBackendSetting, DemoPanelId } from '../../src/shared/protocol';

const root = path.resolve(__dirname, '..', '..', '..');
const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.svg': 'image/svg+xml' };

export interface DemoPageServer {
  readonly origin: string;
  /** URL of the page for a demo on a backend setting. */
  url(demo: DemoPanelId, backend: DemoBackendSetting): string;
  close(): Promise<void>;
}

export async function serveDemoPages(): Promise<DemoPageServer> {
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const page = /^\/page\/([a-z-]+)$/.exec(url.pathname);
    if (page) {
      const nonce = crypto.randomBytes(18).toString('base64');
      const backend = (url.searchParams.get('backend') ?? 'auto') as DemoBackendSetting;
      let html = demoPageHtml({
        nonce,
        cspSource: origin,
        asset: (...p) => `${origin}/${p.join('/')}`,
        config: {
          panel: { demo: page[1] as DemoPanelId, section: { uri: 'file:///notes.md', sectionIndex: 1, title: 'Standalone' } },
          backend,
          todos: [{ id: 'todo-1', text: 'how do we get 2x and 8x?' }],
        },
      });
      // VS Code injects acquireVsCodeApi; here a nonce'd stand-in records messages and state.
      const stub = `<script nonce="${nonce}">(function(){let s;window.__posted=[];window.acquireVsCodeApi=function(){return{postMessage:function(m){window.__posted.push(m)},getState:function(){return s},setState:function(v){s=v}}};window.__csp=[];document.addEventListener('securitypolicyviolation',function(e){window.__csp.push(e.violatedDirective+' '+e.blockedURI)});})();</script>`;
      html = html.replace('<script nonce=', `${stub}\n<script nonce=`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    const file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    const allowed = [path.join(root, 'dist', 'webview') + path.sep, path.join(root, 'media') + path.sep];
    if (!allowed.some((a) => file.startsWith(a)) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (demo, backend) => `${origin}/page/${demo}?backend=${backend}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
