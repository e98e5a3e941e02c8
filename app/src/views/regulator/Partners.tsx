/** The regulator's trading partners: registering one with its licence record, suspending or reinstating one. */
import { useCallback, useId, useState } from 'react';
import { Action } from '../../chain/Action';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { AccountInput, DocumentInput, type HashedDocument } from '../../components/inputs';
import { shortHex } from '../../lib/format';
import { ROLE_WORDS, ROLES, type PartnerRole } from '../../lib/pharma';

export function RegisterPartner() {
  const [account, setAccount] = useState('');
  const [role, setRole] = useState<PartnerRole>('Wholesaler');
  const [licence, setLicence] = useState<HashedDocument | null>(null);
  const onAccount = useCallback((v: string) => setAccount(v), []);
  const name = useId();
  return (
    <form className="task" aria-labelledby="register-heading" onSubmit={(e) => e.preventDefault()}>
      <h3 id="register-heading">Register a trading partner</h3>
      <AccountInput label="Partner's account" value={account} onChange={onAccount} />
      <fieldset className="choices">
        <legend>Role</legend>
        <div>
          {ROLES.map((r) => (
            <label key={r.role} className="check">
              <input type="radio" name={name} value={r.role} checked={role === r.role} onChange={() => setRole(r.role)} />
              {r.label} <span className="code">— {r.hint}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <DocumentInput label="Licence record (GLN, wholesale or pharmacy licence)" onChange={setLicence} />
      <Action
        contract="pharma_ledger"
        message="register_partner"
        label="Register this partner"
        args={() => (!account ? "Name the partner's account" : !licence ? 'Attach the licence record you checked: its hash goes on record' : [account, role, licence.hash])}
      />
    </form>
  );
}

export function PartnerStanding() {
  const { contracts, account: me } = useSuite();
  const names = useNames();
  const [account, setAccount] = useState('');
  const onAccount = useCallback((v: string) => setAccount(v), []);
  // Said once a change is final: the action then gives way to the opposite one.
  const [notice, setNotice] = useState('');
  const caller = me?.address ?? '';
  const r = useRead(async () => (account ? ((await contracts.pharma_ledger.query.partner(account, { caller })).data ?? null) : null), [account, contracts, caller]);
  const p = r.state === 'ok' ? r.value : null;
  return (
    <form className="task" aria-labelledby="standing-heading" onSubmit={(e) => e.preventDefault()}>
      <h3 id="standing-heading">Suspend or reinstate a partner</h3>
      <p className="hint">A suspended partner can do nothing on the ledger (no shipping, receiving, dispensing) until reinstated.</p>
      <AccountInput label="Partner" value={account} onChange={onAccount} />
      {r.state === 'error' && <p role="alert">The partner could not be read: {r.words}</p>}
      {account && r.state === 'ok' && !p && <p className="refusal">{names(account)} is not a registered trading partner.</p>}
      {p && (
        <p data-partner-suspended={p.suspended ? 'yes' : 'no'}>
          {names(account)} is a registered {ROLE_WORDS[p.role]} (licence record hash {shortHex(p.licenceHash)}),{' '}
          {p.suspended ? <strong className="refusal">suspended</strong> : <strong>active</strong>}.
        </p>
      )}
      {p && !p.suspended && (
        <Action
          contract="pharma_ledger"
          message="set_partner_suspended"
          label={`Suspend ${names(account)}`}
          args={() => [account, true]}
          onDone={() => setNotice(`${names(account)} is suspended: final on chain.`)}
        />
      )}
      {p && p.suspended && (
        <Action
          contract="pharma_ledger"
          message="set_partner_suspended"
          label={`Reinstate ${names(account)}`}
          args={() => [account, false]}
          onDone={() => setNotice(`${names(account)} is reinstated: final on chain.`)}
        />
      )}
      <p role="status" aria-live="polite" className="ok">
        {notice}
      </p>
    </form>
  );
}
