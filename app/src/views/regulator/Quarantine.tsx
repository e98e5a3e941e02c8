/** Suspect packs: the pack's state first, then clearing its quarantine or confirming it illegitimate. */
import { useState } from 'react';
import { Action } from '../../chain/Action';
import type { Pack } from '../../lib/gs1';
import { Custody, PackCodeInput, packId, packKey, packWords, usePackReading, Verdict } from '../pharmacy/common';

function SuspectPack({ pack }: { pack: Pack }) {
  const reading = usePackReading(pack);
  // Said once a decision is final: the actions then leave the page.
  const [notice, setNotice] = useState('');
  const [gtin, serial] = packId(pack);
  const value = reading.state === 'ok' ? reading.value : null;
  const record = value?.record ?? null;
  return (
    <div className="suspect" data-pack-panel={pack.serial}>
      <p className="hint">{packWords(pack)}</p>
      {reading.state === 'loading' && <p role="status">Asking the ledger…</p>}
      {reading.state === 'error' && <p role="alert">The ledger could not be asked: {reading.words}</p>}
      {value && !record && <p className="refusal">No pack with this GTIN and serial was ever commissioned.</p>}
      {value && record && (
        <>
          <Verdict verification={value.verification} />
          <Custody record={record} custodianRole={value.verification.custodianRole} />
          {record.illegitimate && <p>Confirmed illegitimate: final, nothing more can be decided.</p>}
          {!record.illegitimate && !record.suspectEvidence && <p>This pack is not flagged suspect: there is nothing to decide.</p>}
          {!record.illegitimate && record.suspectEvidence && (
            <>
              <p className="hint">Clearing lifts the quarantine (the pack moves again); confirming it illegitimate is final: it can never move again.</p>
              <Action
                contract="pharma_ledger"
                message="clear_suspect"
                label="Clear the pack (lift the quarantine)"
                args={() => [gtin, serial]}
                onDone={() => setNotice(`Pack ${pack.serial} is cleared: its quarantine is lifted and it may move again. Final on chain.`)}
              />
              <Action
                contract="pharma_ledger"
                message="confirm_illegitimate"
                label="Confirm the pack illegitimate"
                args={() => [gtin, serial]}
                onDone={() => setNotice(`Pack ${pack.serial} is confirmed illegitimate: it can never move again. Final on chain.`)}
              />
            </>
          )}
        </>
      )}
      <p role="status" aria-live="polite" className="ok">
        {notice}
      </p>
    </div>
  );
}

export function Quarantine() {
  const [pack, setPack] = useState<Pack | null>(null);
  return (
    <form className="task" aria-labelledby="quarantine-heading" onSubmit={(e) => e.preventDefault()}>
      <h3 id="quarantine-heading">Resolve a suspect pack</h3>
      <PackCodeInput label="Code of the suspect pack" action="Show the pack" onPack={setPack} />
      {pack && <SuspectPack key={packKey(pack)} pack={pack} />}
    </form>
  );
}
