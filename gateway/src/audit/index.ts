// The access log's public face: writing and reading its entries, their hash chain, and the checkpoints
// that anchor it outside the database (for the hub's tools and tests; the gateway itself imports the modules).

export {
  appendAudit,
  chainHash,
  createAuditWriter,
  readChainTip,
  recordHash,
  recordsOf,
  verifyAuditChain,
  type AuditEntry,
  type AuditRecord,
} from './log.js';
export { readCheckpoint, type CheckpointSink } from './checkpoint.js';
