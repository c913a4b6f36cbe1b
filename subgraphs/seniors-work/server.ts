// The seniors' work subgraph (シルバー人材センター), built and not listening: the all-in-one start and the tests import it.

import { defineSubgraph, pathBeside, readBeside } from '@hub/platform';
import { resolvers } from './resolvers.js';
import { seed } from './seed.js';
import { createStore, relocate } from './store.js';

export const seniorsWork = defineSubgraph({
  name: 'seniors-work',
  sdl: readBeside(import.meta.url, 'schema.graphql'),
  resolvers,
  migrationsDir: pathBeside(import.meta.url, 'migrations'),
  createStore,
  seed,
  relocate,
});
