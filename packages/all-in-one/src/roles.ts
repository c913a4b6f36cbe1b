// The hub's schemas for npm run db:roles: the gateway's hub schema and each agency subgraph's,
// with the folders of their migrations.

import { HUB_DB_SCHEMA, HUB_MIGRATIONS_DIR } from '@hub/gateway/hub';
import {
  setUpDatabaseRoles,
  SUBGRAPH_NAMES,
  subgraphService,
  type DatabaseRoles,
  type DatabaseRolesOptions,
  type ServiceSchema,
} from '@hub/platform';
import { SUBGRAPH_DEFINITIONS } from './subgraphs.js';

export const HUB_SCHEMAS: readonly ServiceSchema[] = [
  { service: 'gateway', schema: HUB_DB_SCHEMA, migrationsDir: HUB_MIGRATIONS_DIR },
  ...SUBGRAPH_NAMES.map((name) => ({
    service: name,
    schema: subgraphService(name).dbSchema,
    migrationsDir: SUBGRAPH_DEFINITIONS[name].migrationsDir,
  })),
];

/** The owner role and one role per service on the hub's database, every schema migrated and granted. */
export function setUpHubRoles(options: Omit<DatabaseRolesOptions, 'schemas'>): Promise<DatabaseRoles> {
  return setUpDatabaseRoles({ ...options, schemas: HUB_SCHEMAS });
}
