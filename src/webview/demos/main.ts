// The demo host webview (issue 6).
export {};
