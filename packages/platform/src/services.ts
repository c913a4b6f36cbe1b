// The hub's services: six agency subgraphs and the gateway in front of them.
// Names are the subgraph names in the supergraph; ports are the development defaults.

export const DOMAINS = [
  'WELFARE',
  'SUICIDE_PREVENTION',
  'CHILD_DV',
  'EMPLOYMENT',
  'SENIORS_WORK',
  'ENVIRONMENT',
] as const;
export type Domain = (typeof DOMAINS)[number];

export interface SubgraphService {
  /** The subgraph's name in the supergraph and its folder under subgraphs/. */
  readonly name: SubgraphName;
  /** The agency domain whose system this subgraph is. */
  readonly domain: Domain;
  /** The PostgreSQL schema that holds its tables; nothing else writes there. */
  readonly dbSchema: string;
  readonly defaultPort: number;
}

export const SUBGRAPH_NAMES = [
  'welfare',
  'suicide-prevention',
  'child-dv',
  'employment',
  'seniors-work',
  'environment',
] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export const SUBGRAPHS: readonly SubgraphService[] = [
  { name: 'welfare', domain: 'WELFARE', dbSchema: 'welfare', defaultPort: 4001 },
  { name: 'suicide-prevention', domain: 'SUICIDE_PREVENTION', dbSchema: 'suicide_prevention', defaultPort: 4002 },
  { name: 'child-dv', domain: 'CHILD_DV', dbSchema: 'child_dv', defaultPort: 4003 },
  { name: 'employment', domain: 'EMPLOYMENT', dbSchema: 'employment', defaultPort: 4004 },
  { name: 'seniors-work', domain: 'SENIORS_WORK', dbSchema: 'seniors_work', defaultPort: 4005 },
  { name: 'environment', domain: 'ENVIRONMENT', dbSchema: 'environment', defaultPort: 4006 },
];

export function subgraphService(name: SubgraphName): SubgraphService {
  const service = SUBGRAPHS.find((s) => s.name === name);
  if (!service) throw new Error(`unknown subgraph ${name}`);
  return service;
}

/** Every service that connects to the database: the six subgraphs and the gateway (the hub schema). */
export const SERVICE_NAMES = [...SUBGRAPH_NAMES, 'gateway'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Connections in the gateway's pool. */
export const GATEWAY_POOL_SIZE = 8;
/** Connections in a subgraph's pool for its domain's queries. */
export const SUBGRAPH_POOL_SIZE = 4;
/** A subgraph's own connections for the signature check, beside its pool. */
export const SUBGRAPH_SIGNATURE_POOL_SIZE = 2;

/** The most connections one replica of a service opens: what its role's connection limit is made from. */
export function serviceConnections(name: ServiceName): number {
  return name === 'gateway' ? GATEWAY_POOL_SIZE : SUBGRAPH_POOL_SIZE + SUBGRAPH_SIGNATURE_POOL_SIZE;
}

/** `suicide-prevention` → `SUICIDE_PREVENTION`: the prefix of a service's environment variables. */
export function envPrefix(name: ServiceName): string {
  return name.toUpperCase().replace(/-/g, '_');
}

export const GATEWAY_DEFAULT_PORT = 4000;
