/**
 * The contracts' typink/dedot APIs, generated from the release metadata by
 * `npm run gen:types` (scripts/gen-types.mjs) into ./types — never edit those by hand.
 */
export type { BreakGlassContractApi } from './types/break-glass';
export type { ConsentRegistryContractApi } from './types/consent-registry';
export type { ResearchRegistryContractApi } from './types/research-registry';
export type { RecordAnchorContractApi } from './types/record-anchor';
export type { PharmaLedgerContractApi } from './types/pharma-ledger';
