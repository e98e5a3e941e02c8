/** Authorities register responders, and suspend or reinstate them. */
import { useCallback, useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { AccountInput, DocumentInput, type HashedDocument } from '../../components/inputs';
import { isSameAccount } from '../../lib/roles';
import { ResponderFacts, usePolicy } from '../emergency/shared';

export function RegisterResponder() {
  const headingId = useId();
  const [responder, setResponderRaw] = useState('');
  const setResponder = useCallback((v: string) => setResponderRaw(v), []);
  const [credential, setCredential] = useState<HashedDocument | null>(null);
  const [organisation, setOrganisation] = useState<HashedDocument | null>(null);
  const args = () => {
    if (!responder) return 'Name the responder (an account)';
    if (!credential) return "Attach the responder's credential record (it stays on this device; its hash is recorded)";
    if (!organisation) return "Attach the responder's organisation record (it stays on this device; its hash is recorded)";
    return [responder, credential.hash, organisation.hash];
  };
  return (
    <form className="task" aria-labelledby={headingId} onSubmit={(e) => e.preventDefault()}>
      <h3 id={headingId}>Register a responder</h3>
      <p className="hint">
        A responder may break the glass from the moment it is registered. You vouch for it: you will not review its grants nor
        reinstate it. No authority can be a responder.
      </p>
      <AccountInput label="Responder" value={responder} onChange={setResponder} />
      <DocumentInput label="Credential record" onChange={setCredential} />
      <DocumentInput label="Organisation record" onChange={setOrganisation} />
      <Action contract="break_glass" message="register_responder" label="Register the responder" args={args} />
    </form>
  );
}

export function ResponderStanding() {
  const { contracts, account } = useSuite();
  const names = useNames();
  const headingId = useId();
  const policy = usePolicy();
  const [who, setWhoRaw] = useState('');
  const setWho = useCallback((v: string) => setWhoRaw(v), []);
  const me = account?.address ?? '';
  const [changed, setChanged] = useState<string | null>(null);
  const record = useRead(async () => (who ? (await contracts.break_glass.query.responder(who, { caller: me })).data : null), [who, me, contracts]);
  const r = record.state === 'ok' ? record.value : null;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>Suspend or reinstate a responder</h3>
      <p className="hint">
        Suspending ends every grant the responder holds at once. Reinstating clears its strikes toward the limit but keeps its
        record; only an authority other than the one that registered it may reinstate it.
      </p>
      <AccountInput label="Responder to look up" value={who} onChange={setWho} />
      {who && record.state === 'ok' && r === undefined && <p>{names(who)} is not a registered responder.</p>}
      {who && r && (
        <>
          <ResponderFacts who={who} record={r} policy={policy.state === 'ok' ? policy.value : null} />
          {r.status === 'Active' ? (
            <Action
              contract="break_glass"
              message="suspend_responder"
              label={`Suspend ${names(who)}`}
              args={() => [who]}
              onDone={() => setChanged(`${names(who)} is suspended; every grant ${names(who)} held has ended.`)}
            />
          ) : (
            <>
              {isSameAccount(r.registeredBy.address(), me) && (
                <p className="hint">You registered {names(who)}: another authority must reinstate it.</p>
              )}
              <Action
                contract="break_glass"
                message="reinstate_responder"
                label={`Reinstate ${names(who)}`}
                args={() => [who]}
                onDone={() => setChanged(`${names(who)} is reinstated; the strike record stays visible.`)}
              />
            </>
          )}
        </>
      )}
      <div role="status" aria-live="polite">
        {changed && <p className="ok">{changed}</p>}
      </div>
    </section>
  );
}
