/** The demo ids Lectern ships. The section → demo mapping itself lands with the demos issue. */
export const DEMO_IDS = ['dropout', 'batchnorm', 'transposed-conv', 'anchors'] as const;
export type DemoId = (typeof DEMO_IDS)[number];
