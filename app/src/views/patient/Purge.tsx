/**
 * Frees what can never apply again (consent_registry.purge_expired and
 * research_registry.purge_expired): the storage deposits of revoked or ended consents, ended
 * deny rules, expired delegations and lapsed research requests go back to the caller.
 */
import { useSuite } from '../../chain/suite';
import { useRead } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { count } from '../../lib/patient';

export function Purge({ patient, acting }: { patient: string; acting: boolean }) {
  const { contracts, account } = useSuite();
  const caller = account?.address ?? patient;
  // What a purge would free now: the same messages, asked without signing.
  const preview = useRead(async () => {
    const [consents, research] = await Promise.all([
      contracts.consent_registry.query.purgeExpired(patient, { caller }),
      contracts.research_registry.query.purgeExpired(patient, { caller }),
    ]);
    const c = consents.data;
    const r = research.data;
    return {
      consents: c.isOk ? c.value : null,
      research: r.isOk ? r.value : null,
    };
  }, [patient, caller, contracts]);
  return (
    <section className="panel" aria-labelledby="purge-heading">
      <h3 id="purge-heading">Free spent storage</h3>
      <p>
        Revoked or ended consents, ended deny rules, expired delegations and lapsed research requests can never apply again, but the chain
        keeps them — and the deposit paid to store them — until they are purged. Purging deletes them and returns their deposits to{' '}
        {acting ? 'you, the account that purges' : 'you'}. Nothing in force is touched, and the history of what they were stays in the audit
        trail.
      </p>
      {preview.state === 'ok' && (
        <ul aria-label="What can be freed now">
          <li>
            {preview.value.consents
              ? `Consents and rules: ${count(preview.value.consents.consents, 'consent')}, ${count(preview.value.consents.denyRules, 'deny rule')}, ${count(preview.value.consents.delegates, 'delegation')} can be freed.`
              : 'Consents and rules: cannot be purged by this account.'}
          </li>
          <li>
            {preview.value.research !== null
              ? `Research: ${count(preview.value.research, 'lapsed request')} can be freed.`
              : 'Research: cannot be purged by this account.'}
          </li>
        </ul>
      )}
      {preview.state === 'error' && <p role="alert">What can be freed could not be read: {preview.words}</p>}
      <Action contract="consent_registry" message="purge_expired" label="Free spent consents, deny rules and delegations" args={() => [patient]} />
      <Action contract="research_registry" message="purge_expired" label="Free lapsed research requests" args={() => [patient]} />
    </section>
  );
}
