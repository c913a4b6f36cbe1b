// @hub/platform: what every hub service shares.

export * from './categories.js';
export * from './category-guard.js';
export * from './config.js';
export * from './dashboards.js';
export * from './database-roles.js';
export * from './database.js';
export * from './demo.js';
export * from './document-cache.js';
export * from './errors.js';
export * from './http.js';
export * from './ids.js';
export * from './keys.js';
export * from './loaders.js';
export * from './logger.js';
export * from './metrics.js';
export * from './migrate.js';
export * from './relocation.js';
export * from './replay.js';
export * from './resolver-map.js';
export * from './scalars.js';
export * from './scratch-database.js';
export * from './services.js';
export * from './signing.js';
export * from './startup.js';
export * from './subgraph.js';
export * from './tracing.js';
