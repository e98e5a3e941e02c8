/**
 * Who the person acts as: an account of a wallet extension (SubWallet, Talisman, Polkadot{.js},
 * through typink's connectors), or — only when the chain says it is a development chain — one
 * of the well-known development accounts.
 */
import { useEffect, useState } from 'react';
import { useTypink } from 'typink';
import { useSuite, type Account } from './suite';
import { DEV_ADDRESSES } from './names';
import { shortAddress } from '../lib/manifest';

/** The development accounts' names, from the one list of them (names.ts). */
const DEV_NAMES = Object.values(DEV_ADDRESSES);

/** The development accounts, derived in the page (their keys are public knowledge). */
async function devAccounts(): Promise<Account[]> {
  const [{ Keyring }, { cryptoWaitReady }] = await Promise.all([
    import('@polkadot/keyring'),
    import('@polkadot/util-crypto'),
  ]);
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return DEV_NAMES.map((name) => {
    const pair = keyring.addFromUri(`//${name}`);
    return { address: pair.address, name, signing: { kind: 'dev', pair } };
  });
}

export function AccountPicker() {
  const { development, account, setAccount } = useSuite();
  const { wallets, connectWallet, accounts, setConnectedAccount, connectedAccount, signer } = useTypink();
  const [dev, setDev] = useState<Account[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!development) return;
    devAccounts().then(setDev, (e: unknown) => setProblem(`The development accounts could not be made: ${String(e)}`));
  }, [development]);

  // An extension account becomes ours once typink has its signer.
  useEffect(() => {
    if (connectedAccount && signer && account?.signing.kind !== 'dev') {
      if (account?.address !== connectedAccount.address) {
        setAccount({
          address: connectedAccount.address,
          name: connectedAccount.name ?? shortAddress(connectedAccount.address),
          signing: { kind: 'extension', signer },
        });
      }
    }
  }, [connectedAccount, signer, account, setAccount]);

  const choose = (value: string) => {
    const d = dev.find((a) => a.address === value);
    if (d) {
      setAccount(d);
      return;
    }
    const e = accounts.find((a) => a.address === value);
    if (e) {
      setAccount(null);
      setConnectedAccount(e);
    }
  };

  const installed = wallets.filter((w) => w.installed);
  return (
    <section className="account" aria-labelledby="account-heading">
      <h2 id="account-heading">Your account</h2>
      {problem && <p role="alert">{problem}</p>}
      <label>
        Act as{' '}
        <select value={account?.address ?? ''} onChange={(e) => choose(e.target.value)} aria-label="Act as account">
          <option value="">Choose an account…</option>
          {accounts.length > 0 && (
            <optgroup label="Wallet extension">
              {accounts.map((a) => (
                <option key={`x-${a.address}`} value={a.address}>
                  {a.name ?? 'Account'} ({shortAddress(a.address)})
                </option>
              ))}
            </optgroup>
          )}
          {dev.length > 0 && (
            <optgroup label="Development accounts (this is a development chain)">
              {dev.map((a) => (
                <option key={`d-${a.address}`} value={a.address}>
                  {a.name} ({shortAddress(a.address)})
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      {installed.length > 0 ? (
        <p>
          {installed.map((w) => (
            <button
              key={w.id}
              type="button"
              onClick={() => {
                setProblem(null);
                // A refused or failed connection (the person said no in the extension) is said, not thrown away.
                Promise.resolve()
                  .then(() => connectWallet(w.id))
                  .catch((e: unknown) => setProblem(`${w.name} could not be connected: ${e instanceof Error ? e.message : String(e)}`));
              }}
            >
              Connect {w.name}
            </button>
          ))}
        </p>
      ) : (
        <p className="hint">
          No wallet extension found (SubWallet, Talisman or Polkadot{'{'}.js{'}'}).
          {development ? ' On this development chain you can act as a development account.' : ''}
        </p>
      )}
    </section>
  );
}
