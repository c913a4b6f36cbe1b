import { describe, expect, it } from 'vitest';
import { chartOption } from './chart-option.js';

const published = (count: number) => ({ count, suppressed: false });
const hidden = { count: null, suppressed: true };

describe('the chart of a dashboard', () => {
  it('draws a suppressed total as a mark on an axis of its own, never as a height in counts', () => {
    const option = chartOption({
      title: '件数',
      categories: ['4月', '5月', '6月'],
      values: [published(12), hidden, published(7)],
    });
    const [counts, marks] = option.series;
    expect(counts!.yAxisIndex).toBe(0);
    expect(counts!.data.map((d) => (typeof d === 'string' ? d : d.value))).toEqual([12, '-', 7]);
    expect(marks!.yAxisIndex).toBe(1);
    expect(marks!.data.map((d) => (typeof d === 'string' ? d : d.value))).toEqual(['-', 1, '-']);
    expect(option.yAxis[1]).toMatchObject({ min: 0, max: 1, show: false });
    // The mark reads "X"; the description a screen reader hears says 秘匿, not the letter.
    expect((marks!.data[1] as { label: { formatter: string } }).label.formatter).toBe('X');
    expect(option.aria.label.description).toBe('件数: 4月 12、5月 秘匿、6月 7');
  });

  it('shows no count scale when every total is suppressed: there is no count to read off', () => {
    const option = chartOption({ title: '件数', categories: ['4月', '5月'], values: [hidden, hidden] });
    expect(option.yAxis[0]!.axisLabel).toMatchObject({ show: false });
    expect(option.series[0]!.data).toEqual(['-', '-']);
    const some = chartOption({ title: '件数', categories: ['4月', '5月'], values: [hidden, published(5)] });
    expect(some.yAxis[0]!.axisLabel).toMatchObject({ show: true });
  });
});
