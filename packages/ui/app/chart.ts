// A dashboard's chart, drawn with ECharts (what it draws: chart-option.ts). ECharts is imported piece by piece, so
// the bundle carries only the bar chart, its axes, tooltip and the ARIA description, with the SVG renderer.

import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { chartOption, type ChartInput } from './chart-option.js';

echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export type { ChartInput } from './chart-option.js';

/** Draws (or redraws) the chart into `element`; the caller disposes of it with `disposeChart`. */
export function drawChart(element: HTMLElement, input: ChartInput): void {
  const chart = echarts.getInstanceByDom(element) ?? echarts.init(element, undefined, { renderer: 'svg' });
  chart.setOption(chartOption(input), true);
}

export function disposeChart(element: HTMLElement): void {
  echarts.getInstanceByDom(element)?.dispose();
}

/** Keeps charts at their container's width when the window changes. */
export function resizeCharts(): void {
  document
    .querySelectorAll<HTMLElement>('[data-chart]')
    .forEach((element) => echarts.getInstanceByDom(element)?.resize());
}
