// The Grafana dashboard in docker/ asks only for metrics the gateway exports: renaming one fails here.

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { metricsRegistry } from '@hub/platform';

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

it('every query of docker/grafana-dashboard.json names a metric the hub exports', async () => {
  const dashboard = JSON.parse(
    readFileSync(new URL('../docker/grafana-dashboard.json', import.meta.url), 'utf8'),
  ) as Dashboard;
  const exported = new Set((await metricsRegistry.getMetricsAsJSON()).map((metric) => metric.name));
  const named = dashboard.panels.flatMap((panel) =>
    panel.targets.flatMap((target) => [...target.expr.matchAll(/\bhub_[a-z_]+/g)].map((match) => match[0])),
  );
  expect(named.length).toBeGreaterThan(10);
  const unknown = named.filter((name) => !exported.has(name.replace(/_(bucket|sum|count)$/, '')));
  expect(unknown).toEqual([]);
});
