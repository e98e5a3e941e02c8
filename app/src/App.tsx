import { lazy, Suspense, useEffect, useState } from 'react';
import { loadDeployment, type Deployment } from './deployment';
import { deploymentLocation } from './lib/deploymentUrl';
import { SuiteProvider, useSuite } from './chain/suite';
import { AccountPicker } from './chain/AccountPicker';
import { availableViews, isSameAccount, responderStatusOf, type View } from './lib/roles';
import { cspFor, installPolicy } from './lib/csp';

const PatientView = lazy(() => import('./views/Patient'));
const CustodianView = lazy(() => import('./views/Custodian'));
const ResponderView = lazy(() => import('./views/Responder'));
const AuthorityView = lazy(() => import('./views/Authority'));
const ResearchView = lazy(() => import('./views/Research'));
const EthicsView = lazy(() => import('./views/Ethics'));
const PharmacyView = lazy(() => import('./views/Pharmacy'));
const RegulatorView = lazy(() => import('./views/Regulator'));
const AuditorView = lazy(() => import('./views/Auditor'));

/**
 * Where the deployment comes from: `?deployment=<path>`, else deployment.json beside the app —
 * from the app's own origin only. A deployment decides which chain and which audit API the page
 * talks to and the words of every refusal, so a link must not be able to bring one from
 * elsewhere (`deploymentLocation`, lib/deploymentUrl.ts).
 */
function deploymentUrl(): { ok: true; url: string } | { ok: false; error: string } {
  return deploymentLocation(new URLSearchParams(window.location.search).get('deployment'), window.location.href);
}

export function App() {
  const [deployment, setDeployment] = useState<Deployment | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const where = deploymentUrl();
    if (!where.ok) {
      setProblem(where.error);
      return;
    }
    loadDeployment(where.url).then(
      (loaded) => {
        if (!loaded.ok) {
          setProblem(loaded.error);
          return;
        }
        // From here on the page may connect to the chain and the audit API only.
        try {
          installPolicy(document, cspFor(loaded.deployment.manifest.chain_url, loaded.deployment.auditUrl));
        } catch (e) {
          setProblem(`The deployment's addresses cannot be allowed: ${String(e)}`);
          return;
        }
        setDeployment(loaded.deployment);
      },
      (e: unknown) => setProblem(String(e)),
    );
  }, []);

  return (
    <>
      <header>
        <h1>carechain</h1>
        <p className="tagline">Consent, emergency access, record integrity and drug authenticity — facts about health data, never the data.</p>
      </header>
      <main>
        {problem && (
          <section role="alert" className="refused">
            <h2>The deployment could not be loaded</h2>
            <p>{problem}</p>
          </section>
        )}
        {!problem && !deployment && (
          <p role="status" className="progress">
            Loading the deployment…
          </p>
        )}
        {deployment && (
          <SuiteProvider deployment={deployment}>
            <Workspace />
          </SuiteProvider>
        )}
      </main>
    </>
  );
}

/** The account's views, from what the chain says about it. */
function useViews(): View[] | null {
  const { account, contracts, version } = useSuite();
  const [views, setViews] = useState<View[] | null>(null);
  useEffect(() => {
    if (!account) {
      setViews(null);
      return;
    }
    let cancelled = false;
    const who = account.address;
    const opts = { caller: who };
    (async () => {
      const [custodian, ethics, responder, authority, partner, admin] = await Promise.all([
        contracts.consent_registry.query.isCustodian(who, opts),
        contracts.research_registry.query.isEthicsApprover(who, opts),
        contracts.break_glass.query.responder(who, opts),
        contracts.break_glass.query.isAuthority(who, opts),
        contracts.pharma_ledger.query.partner(who, opts),
        contracts.pharma_ledger.query.administrationAdmin(opts),
      ]);
      const p = partner.data;
      return availableViews({
        isCustodian: custodian.data,
        delegatesFor: [],
        isEthicsApprover: ethics.data,
        responderStatus: responderStatusOf(responder.data ?? null),
        isAuthority: authority.data,
        partner: p ? { role: p.role, suspended: p.suspended } : null,
        isRegulator: isSameAccount(admin.data.owner.address(), who),
      });
    })().then(
      (v) => !cancelled && setViews(v),
      () => !cancelled && setViews([]),
    );
    return () => {
      cancelled = true;
    };
  }, [account, contracts, version]);
  return views;
}

function Workspace() {
  const { account, deployment } = useSuite();
  const views = useViews();
  const [chosen, setChosen] = useState<string>('patient');
  const current = views?.find((v) => v.kind === chosen) ?? views?.[0];

  return (
    <>
      <p className="deployment">
        Connected to <strong>{deployment.manifest.network}</strong> ({deployment.manifest.chain_url}); every contract runs the
        code this deployment names.
      </p>
      <AccountPicker />
      {account && views && (
        <nav aria-label="Your roles">
          <ul>
            {views.map((v) => (
              <li key={`${v.kind}-${v.patient ?? ''}`}>
                <button
                  type="button"
                  aria-current={current?.kind === v.kind ? 'page' : undefined}
                  title={v.reason}
                  onClick={() => setChosen(v.kind)}
                >
                  {v.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {account && current && (
        <section className="view" aria-labelledby="view-heading">
          <h2 id="view-heading">
            {current.label} — {account.name}
          </h2>
          <p className="hint">{current.reason}</p>
          <Suspense fallback={<p role="status">Loading…</p>}>
            {current.kind === 'patient' && <PatientView />}
            {current.kind === 'custodian' && <CustodianView />}
            {current.kind === 'responder' && <ResponderView suspended={current.suspended === true} />}
            {current.kind === 'authority' && <AuthorityView />}
            {current.kind === 'researcher' && <ResearchView />}
            {current.kind === 'ethics-approver' && <EthicsView />}
            {(current.kind === 'pharmacist' || current.kind === 'trading-partner') && <PharmacyView />}
            {current.kind === 'regulator' && <RegulatorView />}
            {current.kind === 'auditor' && <AuditorView />}
          </Suspense>
        </section>
      )}
    </>
  );
}
