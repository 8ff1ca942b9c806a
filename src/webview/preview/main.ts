// The lecture preview webview (issue 5).
export {};
