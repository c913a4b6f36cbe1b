// What a dashboard's chart draws: the published column totals as bars on a count axis, and each suppressed total
// as a mark of its own, a hatched column the whole height of the chart labelled "X" (秘匿). The mark stands on an
// axis of its own, which is not shown, so it has no height in counts: the chart never says a hidden value is small
// (it may be 5 or more), and the count axis scales to the published totals alone.

import { isSuppressed, shown, SUPPRESSED_MARK, SUPPRESSED_TITLE, type Published } from './table-view.js';

const BAR = '#1d4f91';
const SUPPRESSED = '#6b7280';
const TEXT = '#1f2937';
/** ECharts' "no value here". */
const EMPTY = '-';

export interface ChartInput {
  title: string;
  categories: string[];
  values: Published[];
}

/** The ECharts option of a chart (its `setOption` argument). */
export function chartOption(input: ChartInput) {
  const anyPublished = input.values.some((value) => !isSuppressed(value));
  return {
    aria: {
      enabled: true,
      label: {
        // Read aloud: a suppressed value as 秘匿, not as the letter X.
        description: `${input.title}: ${input.categories
          .map((c, i) => `${c} ${isSuppressed(input.values[i]!) ? '秘匿' : shown(input.values[i]!)}`)
          .join('、')}`,
      },
    },
    animation: false,
    grid: { left: 48, right: 16, top: 24, bottom: 64 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'category',
      data: input.categories,
      axisLabel: { color: TEXT, interval: 0, rotate: input.categories.length > 6 ? 40 : 0 },
    },
    yAxis: [
      // With nothing published there is no count to read off, so no scale either.
      {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: TEXT, show: anyPublished },
        splitLine: { show: anyPublished },
      },
      { type: 'value', min: 0, max: 1, show: false },
    ],
    series: [
      {
        type: 'bar',
        name: input.title,
        yAxisIndex: 0,
        data: input.values.map((value) =>
          isSuppressed(value)
            ? EMPTY
            : { value: value.count, itemStyle: { color: BAR }, label: { show: true, position: 'top', color: TEXT } },
        ),
      },
      {
        type: 'bar',
        name: SUPPRESSED_MARK,
        yAxisIndex: 1,
        // In the same place as the published bar would stand.
        barGap: '-100%',
        data: input.values.map((value) =>
          isSuppressed(value)
            ? {
                value: 1,
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
                label: {
                  show: true,
                  position: 'insideTop',
                  formatter: SUPPRESSED_MARK,
                  color: TEXT,
                  fontWeight: 'bold',
                },
                tooltip: { formatter: SUPPRESSED_TITLE },
              }
            : EMPTY,
        ),
      },
    ],
  };
}
