/**
 * Record integrity: anchor a record's hash (hashed here, with a fresh salt), verify a file
 * against an issuer's anchor, and retract an anchor entered in error. Files and salts stay on
 * this device: only hashes go to the chain.
 */
import { useCallback, useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { Action, type DecodedEvent } from '../../chain/Action';
import { AccountInput, DocumentInput, type HashedDocument } from '../../components/inputs';
import { CategorySelect, LocalFileField, NumberField, SaltField, type LocalFile } from '../../components/fields';
import { anchorStatusText, anchorWhenText } from '../../lib/anchors';
import { categoriesText } from '../../lib/format';
import { FORM_LABEL, recordHash } from '../../lib/recordHash';
import { isSameAccount } from '../../lib/roles';
import type { RecordAnchorDataAnchor } from '../../contracts/types/record-anchor';

/** One anchor, in words. */
export function AnchorFacts({ anchor }: { anchor: RecordAnchorDataAnchor }) {
  const names = useNames();
  return (
    <dl className="facts" data-anchor={anchor.id.toString()} data-status={anchor.status}>
      <dt>Anchor</dt>
      <dd>#{anchor.id.toString()}</dd>
      <dt>Issuer</dt>
      <dd>{names(anchor.issuer.address())}</dd>
      <dt>Patient</dt>
      <dd>{anchor.patient ? names(anchor.patient.address()) : 'none (a record about no patient)'}</dd>
      <dt>Category</dt>
      <dd>{anchor.category === 0 ? 'none' : categoriesText(anchor.category)}</dd>
      <dt>When</dt>
      <dd>{anchorWhenText(anchor)}</dd>
      <dt>Status</dt>
      <dd className={anchor.status === 'Current' ? 'ok' : 'refusal'}>{anchorStatusText(anchor)}</dd>
    </dl>
  );
}

export function AnchorRecord() {
  const headingId = useId();
  const [doc, setDoc] = useState<HashedDocument | null>(null);
  const [patient, setPatientRaw] = useState('');
  const setPatient = useCallback((v: string) => setPatientRaw(v), []);
  const [category, setCategory] = useState(0);
  const [supersedesText, setSupersedesText] = useState('');
  const [supersedes, setSupersedes] = useState<bigint | null>(null);
  const [anchored, setAnchored] = useState<{ id: string; fileName: string } | null>(null);
  const args = () => {
    if (!doc) return 'Choose the record file: it is hashed on this device with a fresh salt';
    if (patient && category === 0) return 'Choose the category of the record (a record about a patient has one)';
    if (supersedesText.trim() !== '' && supersedes === null) return 'The anchor it replaces must be a number';
    return [doc.hash, patient || undefined, category, supersedes ?? undefined];
  };
  const done = (events: DecodedEvent[]) => {
    const e = events.find((x) => x.contract === 'record_anchor' && x.name === 'RecordAnchored');
    const id = (e?.data as { anchorId?: bigint } | undefined)?.anchorId;
    setAnchored(id !== undefined && doc ? { id: id.toString(), fileName: doc.fileName } : null);
  };
  return (
    <form className="task" aria-labelledby={headingId} onSubmit={(e) => e.preventDefault()}>
      <h3 id={headingId}>Anchor a record</h3>
      <p className="hint">
        The record file is hashed here, in this browser, with a fresh random salt; only the hash goes on chain. The file and its
        salt never leave this device: download the salt and keep it with the record, or nobody (you included) can later show
        that the file matches the anchor.
      </p>
      <DocumentInput label="Record file" onChange={setDoc} />
      <AccountInput label="Patient the record is about (leave empty for a record about no patient)" value={patient} onChange={setPatient} />
      <CategorySelect
        label="Category of the record"
        value={category}
        onChange={setCategory}
        allowNone="No category (only for a record about no patient)"
      />
      <NumberField
        label="Replaces anchor number (optional: for a new version of a record)"
        value={supersedesText}
        onChange={(t, id) => {
          setSupersedesText(t);
          setSupersedes(id);
        }}
      />
      <p className="hint">
        Anchoring a record about another person's data needs their consent for you (for treatment), unless you continue a record
        you first anchored yourself.
      </p>
      <Action contract="record_anchor" message="anchor_record" label="Anchor this record" args={args} onDone={done} />
      <div role="status" aria-live="polite">
        {anchored && (
          <p className="ok" data-anchored={anchored.id}>
            {anchored.fileName} is anchored as anchor #{anchored.id}. Keep the file and its salt together.
          </p>
        )}
      </div>
    </form>
  );
}

type Verdict =
  | { kind: 'busy' }
  | { kind: 'problem'; words: string }
  | { kind: 'none'; issuer: string; form: string }
  | { kind: 'found'; anchor: RecordAnchorDataAnchor; form: string };

export function VerifyFile() {
  const { contracts, account } = useSuite();
  const names = useNames();
  const headingId = useId();
  const [file, setFile] = useState<LocalFile | null>(null);
  const [salt, setSalt] = useState<Uint8Array | null>(null);
  const [issuer, setIssuerRaw] = useState(account?.address ?? '');
  const setIssuer = useCallback((v: string) => setIssuerRaw(v), []);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const verify = async () => {
    if (!account) return;
    if (!file) return setVerdict({ kind: 'problem', words: 'Choose the record file' });
    if (!salt) return setVerdict({ kind: 'problem', words: 'Give the salt that was made when the record was anchored' });
    if (!issuer) return setVerdict({ kind: 'problem', words: 'Name who anchored the record (the issuer)' });
    setVerdict({ kind: 'busy' });
    try {
      const hashed = await recordHash(file.bytes, salt);
      const r = await contracts.record_anchor.query.verify(issuer, undefined, hashed.hash, { caller: account.address });
      const form = FORM_LABEL[hashed.form];
      setVerdict(r.data ? { kind: 'found', anchor: r.data, form } : { kind: 'none', issuer, form });
    } catch (e) {
      setVerdict({ kind: 'problem', words: `The check could not be made: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  return (
    <form className="task" aria-labelledby={headingId} onSubmit={(e) => { e.preventDefault(); void verify(); }}>
      <h3 id={headingId}>Verify a file against its anchor</h3>
      <p className="hint">
        The file is hashed here with its salt, and only the hash is looked up on chain. A record is only as trustworthy as who
        anchored it: name the issuer you expect.
      </p>
      <LocalFileField label="Record file to verify" onChange={(f) => { setFile(f); setVerdict(null); }} />
      <SaltField onChange={(s) => { setSalt(s); setVerdict(null); }} />
      <AccountInput label="Anchored by (the issuer)" value={issuer} onChange={setIssuer} />
      <button type="submit" className="primary">
        Verify the file
      </button>
      <div role="status" aria-live="polite" className="answer">
        {verdict?.kind === 'busy' && <p className="progress">Hashing the file here and looking up its anchor…</p>}
        {verdict?.kind === 'problem' && <p className="refusal">{verdict.words}</p>}
        {verdict?.kind === 'none' && (
          <p className="refusal" data-verified="none">
            No anchor of this record by {names(verdict.issuer)}: the file was changed, the salt is not its salt, or that issuer
            never anchored it.
          </p>
        )}
        {verdict?.kind === 'found' && (
          <>
            <p className={verdict.anchor.status === 'Current' ? 'ok' : 'refusal'} data-verified={verdict.anchor.id.toString()}>
              The file matches anchor #{verdict.anchor.id.toString()} by {names(verdict.anchor.issuer.address())} (hashed as {verdict.form})
              {verdict.anchor.status === 'Current' ? '.' : ', but that anchor is no longer the current version of the record: see its status.'}
            </p>
            <AnchorFacts anchor={verdict.anchor} />
          </>
        )}
      </div>
    </form>
  );
}

export function MarkEnteredInError() {
  const { contracts, account } = useSuite();
  const headingId = useId();
  const [text, setText] = useState('');
  const [id, setId] = useState<bigint | null>(null);
  const [reason, setReason] = useState<HashedDocument | null>(null);
  const anchor = useRead(
    async () => (id === null || !account ? undefined : (await contracts.record_anchor.query.anchor(id, { caller: account.address })).data),
    [id, account, contracts],
  );
  const args = () => {
    if (id === null) return 'Give the number of the anchor to retract';
    if (!reason) return 'Attach the document that says why the record is wrong: its hash is recorded (the document stays here)';
    return [id, reason.hash];
  };
  const mine = anchor.state === 'ok' && anchor.value && account ? isSameAccount(anchor.value.issuer.address(), account.address) : false;
  return (
    <form className="task" aria-labelledby={headingId} onSubmit={(e) => e.preventDefault()}>
      <h3 id={headingId}>Mark an anchor entered in error</h3>
      <p className="hint">
        Retracts an anchor you issued (FHIR entered-in-error). It stays visible, marked as retracted, with the hash of the
        document giving the reason.
      </p>
      <NumberField label="Anchor number" value={text} onChange={(t, n) => { setText(t); setId(n); }} />
      {id !== null && anchor.state === 'ok' && !anchor.value && <p className="refusal">There is no anchor #{id.toString()}.</p>}
      {id !== null && anchor.state === 'ok' && anchor.value && (
        <>
          {!mine && <p className="refusal">You did not issue this anchor: only its issuer can retract it.</p>}
          <AnchorFacts anchor={anchor.value} />
        </>
      )}
      <DocumentInput label="Reason document" onChange={setReason} />
      <Action contract="record_anchor" message="mark_entered_in_error" label="Mark entered in error" args={args} />
    </form>
  );
}
