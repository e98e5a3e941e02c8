/** Names for accounts: "you", a development account's name, a contract's name, else a short form. */
import { useCallback } from 'react';
import { useSuite } from './suite';
import { isSameAccount } from '../lib/roles';
import { shortAddress } from '../lib/manifest';

/** The well-known development accounts (sr25519, //Alice …), named only on development chains. */
export const DEV_ADDRESSES: Readonly<Record<string, string>> = {
  '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY': 'Alice',
  '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty': 'Bob',
  '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y': 'Charlie',
  '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy': 'Dave',
  '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw': 'Eve',
  '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL': 'Ferdie',
};

export function nameOf(address: string, opts: { you?: string; development: boolean; contracts: { name: string; address: string }[] }): string {
  if (opts.you && isSameAccount(address, opts.you)) return 'you';
  const contract = opts.contracts.find((c) => isSameAccount(c.address, address));
  if (contract) return contract.name.replace('_', ' ');
  if (opts.development) {
    for (const [a, n] of Object.entries(DEV_ADDRESSES)) if (isSameAccount(a, address)) return n;
  }
  return shortAddress(address);
}

export function useNames(): (address: string) => string {
  const { account, development, deployment } = useSuite();
  const you = account?.address;
  return useCallback(
    (address: string) =>
      nameOf(address, { ...(you ? { you } : {}), development, contracts: deployment.manifest.contracts }),
    [you, development, deployment],
  );
}
