// ECharts 4.9 (the version the project already depends on) ships no type declarations; these cover
// the little the figures chart uses: the core with init, and the parts registered by importing them.
declare module 'echarts/lib/echarts' {
  export interface ECharts {
    setOption(option: Record<string, unknown>, notMerge?: boolean): void;
    resize(): void;
    dispose(): void;
    on(event: string, handler: (params: { dataIndex: number; seriesIndex: number; name: string }) => void): void;
  }
  export function init(el: HTMLElement, theme?: string | Record<string, unknown> | null, opts?: { renderer?: 'canvas' | 'svg'; width?: number; height?: number }): ECharts;
}
declare module 'echarts/lib/chart/bar';
declare module 'echarts/lib/chart/line';
declare module 'echarts/lib/component/tooltip';
declare module 'echarts/lib/component/legend';
declare module 'echarts/lib/component/markLine';
