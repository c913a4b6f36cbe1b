// A dashboard's chart: the published column totals as bars. A suppressed total is drawn as a hatched outline
// labelled "X" (秘匿), a mark rather than a value, never a zero or a gap. ECharts is imported piece by piece, so the
// bundle carries only the bar chart, its axes, tooltip and the ARIA description, with the SVG renderer.

import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { shown, SUPPRESSED_MARK, SUPPRESSED_TITLE, type Published } from './table-view.js';

echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

const BAR = '#1d4f91';
const SUPPRESSED = '#6b7280';

export interface ChartInput {
  title: string;
  categories: string[];
  values: Published[];
}

/** Draws (or redraws) the chart into `element`; the caller disposes of it with `disposeChart`. */
export function drawChart(element: HTMLElement, input: ChartInput): void {
  const chart = echarts.getInstanceByDom(element) ?? echarts.init(element, undefined, { renderer: 'svg' });
  chart.setOption(
    {
      aria: {
        enabled: true,
        label: {
          description: `${input.title}: ${input.categories.map((c, i) => `${c} ${shown(input.values[i]!)}`).join('、')}`,
        },
      },
      animation: false,
      grid: { left: 48, right: 16, top: 24, bottom: 64 },
      tooltip: { trigger: 'item' },
      xAxis: {
        type: 'category',
        data: input.categories,
        axisLabel: { color: '#1f2937', interval: 0, rotate: input.categories.length > 6 ? 40 : 0 },
      },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#1f2937' } },
      series: [
        {
          type: 'bar',
          name: input.title,
          data: input.values.map((value) =>
            value.suppressed || value.count === null
              ? {
                  value: 4,
                  itemStyle: {
                    color: '#ffffff',
                    borderColor: SUPPRESSED,
                    borderWidth: 1,
                    borderType: 'dashed',
                    decal: {
                      symbol: 'rect',
                      color: SUPPRESSED,
                      dashArrayX: [1, 0],
                      dashArrayY: [2, 4],
                      rotation: Math.PI / 4,
                    },
                  },
                  label: { show: true, position: 'top', formatter: SUPPRESSED_MARK, color: '#1f2937' },
                  tooltip: { formatter: SUPPRESSED_TITLE },
                }
              : {
                  value: value.count,
                  itemStyle: { color: BAR },
                  label: { show: true, position: 'top', color: '#1f2937' },
                },
          ),
        },
      ],
    },
    true,
  );
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
