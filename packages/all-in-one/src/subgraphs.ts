// The six agency subgraphs, by name.

import type { SubgraphDefinition, SubgraphName } from '@hub/platform';
import { childDv } from '@hub/subgraph-child-dv/server';
import { employment } from '@hub/subgraph-employment/server';
import { environment } from '@hub/subgraph-environment/server';
import { seniorsWork } from '@hub/subgraph-seniors-work/server';
import { suicidePrevention } from '@hub/subgraph-suicide-prevention/server';
import { welfare } from '@hub/subgraph-welfare/server';

export const SUBGRAPH_DEFINITIONS: Readonly<Record<SubgraphName, SubgraphDefinition<unknown>>> = {
  welfare: welfare as SubgraphDefinition<unknown>,
  'suicide-prevention': suicidePrevention as SubgraphDefinition<unknown>,
  'child-dv': childDv as SubgraphDefinition<unknown>,
  employment: employment as SubgraphDefinition<unknown>,
  'seniors-work': seniorsWork as SubgraphDefinition<unknown>,
  environment: environment as SubgraphDefinition<unknown>,
};
