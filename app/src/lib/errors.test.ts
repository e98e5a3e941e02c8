import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeError, describeMessageError, errorTypeIdOf, humanize, type InkMetadata } from './errors';

// The release metadata of scripts/build. The app's tests run after the release build (CI
// builds first), so a missing file is a failure, not a skip.
const RELEASE = new URL('../../../target/release-contracts/', import.meta.url);
const CONTRACTS = ['break_glass', 'consent_registry', 'research_registry', 'record_anchor', 'pharma_ledger'] as const;

function metadata(name: (typeof CONTRACTS)[number]): InkMetadata {
  const file = new URL(`${name}.json`, RELEASE);
  if (!existsSync(file)) {
    throw new Error(
      `${file.pathname} is missing: build the release contracts (scripts/build) before running the app's tests`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as InkMetadata;
}

const pharma = metadata('pharma_ledger');
const consent = metadata('consent_registry');
const breakGlass = metadata('break_glass');
const research = metadata('research_registry');
const anchor = metadata('record_anchor');

/** The type path of a type id, e.g. ["pharma_ledger", "errors", "Error"]. */
function pathOf(m: InkMetadata, id: number | null): readonly string[] | undefined {
  return m.types.find((t) => t.id === id)?.type.path;
}

describe('humanize', () => {
  it('makes a variant name readable', () => {
    expect(humanize('NotCommissioner')).toBe('Not commissioner');
    expect(humanize('UndoWindowPassed')).toBe('Undo window passed');
    expect(humanize('InvalidGTIN')).toBe('Invalid GTIN');
    expect(humanize('GS1Error')).toBe('GS1 error');
    expect(humanize('Paused')).toBe('Paused');
    expect(humanize('too_many_items')).toBe('Too many items');
  });
});

describe('errorTypeIdOf (release metadata)', () => {
  it("finds each contract's own Error enum behind Result<Result<T, Error>, LangError>", () => {
    expect(pathOf(pharma, errorTypeIdOf(pharma, 'recall_lot'))).toEqual(['pharma_ledger', 'errors', 'Error']);
    expect(pathOf(consent, errorTypeIdOf(consent, 'grant_consent'))).toEqual(['consent_registry', 'errors', 'Error']);
    expect(pathOf(breakGlass, errorTypeIdOf(breakGlass, 'break_glass'))).toEqual(['break_glass', 'errors', 'Error']);
    expect(pathOf(research, errorTypeIdOf(research, 'approve_request'))).toEqual(['research_registry', 'errors', 'Error']);
    expect(pathOf(anchor, errorTypeIdOf(anchor, 'anchor_record'))).toEqual(['carechain_shared', 'types', 'AnchoringError']);
  });

  it('finds the shared enums of trait messages', () => {
    expect(pathOf(pharma, errorTypeIdOf(pharma, 'Administration::set_paused'))).toEqual([
      'carechain_shared',
      'admin',
      'AdminError',
    ]);
    expect(pathOf(consent, errorTypeIdOf(consent, 'ResearchConsents::grant_research_consent'))).toEqual([
      'carechain_shared',
      'types',
      'GrantRefusal',
    ]);
  });

  it('is null for a message that cannot fail and for an unknown message', () => {
    expect(errorTypeIdOf(pharma, 'verify')).toBeNull(); // returns a Verification
    expect(errorTypeIdOf(consent, 'is_custodian')).toBeNull(); // returns a bool
    expect(errorTypeIdOf(breakGlass, 'responder')).toBeNull(); // returns an Option
    expect(errorTypeIdOf(pharma, 'no_such_message')).toBeNull();
  });
});

describe('describeError (release metadata)', () => {
  const pharmaError = errorTypeIdOf(pharma, 'recall_lot') ?? -1;

  it("gives pharma_ledger's NotCommissioner its doc comment", () => {
    expect(describeError(pharma, pharmaError, 'NotCommissioner')).toBe(
      'Only the partner that commissioned the lot, or the regulator, recalls it.',
    );
    // As dedot decodes it.
    expect(describeError(pharma, pharmaError, { type: 'NotCommissioner' })).toBe(
      'Only the partner that commissioned the lot, or the regulator, recalls it.',
    );
  });

  it('joins a doc comment of several lines with spaces', () => {
    expect(describeError(pharma, pharmaError, { type: 'Paused' })).toBe(
      'The ledger is paused: no claims, commissioning, shipping, receiving, dispensing or undo until it resumes ' +
        '(recalls, suspect flags, decommissioning, rejections and cancellations still work).',
    );
  });

  it('adds the value a variant carries', () => {
    expect(describeError(pharma, pharmaError, { type: 'InvalidSerial', value: 3 })).toBe(
      'Serial at this index of the batch is empty, longer than 20, or outside GS1 set 82. (3)',
    );
  });

  it('accepts the enum name as a leading path segment', () => {
    expect(describeError(pharma, pharmaError, 'Error::WrongRole')).toBe(
      "The caller's partner role may not do this (e.g. only dispensers dispense).",
    );
  });

  it('humanizes a variant the metadata does not have', () => {
    expect(describeError(pharma, pharmaError, 'NoSuchThing')).toBe('No such thing');
    expect(describeError(pharma, pharmaError, '')).toBe('The contract refused the call');
  });

  it('describes errors of every contract', () => {
    expect(describeMessageError(consent, 'grant_consent', 'InvalidPeriod')).toBe('`until <= from`.');
    expect(describeMessageError(breakGlass, 'break_glass', 'PatientOptedOut')).toBe(
      'The patient opted out of break-glass access.',
    );
    expect(describeMessageError(research, 'register_study', 'NotEthicsApprover')).toBe(
      'The caller is not an ethics approver appointed by the owner.',
    );
    expect(describeMessageError(anchor, 'anchor_record', 'ConsentRefused')).toBe(
      "consent_registry answered that the caller may not handle this patient's data.",
    );
    expect(describeMessageError(breakGlass, 'Administration::set_paused', 'PauseUnchanged')).toBe(
      'Pausing a paused contract or resuming a running one.',
    );
    expect(describeMessageError(consent, 'ResearchConsents::grant_research_consent', { type: 'Paused' })).toBe(
      'The registry is paused.',
    );
  });

  it('humanizes an error of a message without an error enum', () => {
    expect(describeMessageError(pharma, 'verify', 'SomethingOdd')).toBe('Something odd');
  });

  it('has words for every error variant of every contract', () => {
    for (const name of CONTRACTS) {
      const m = metadata(name);
      for (const message of m.spec.messages) {
        const id = errorTypeIdOf(m, message.label);
        if (id === null) continue;
        const variants = m.types.find((t) => t.id === id)?.type.def.variant?.variants ?? [];
        expect(variants.length, `${name}.${message.label}`).toBeGreaterThan(0);
        for (const v of variants) {
          const words = describeError(m, id, { type: v.name });
          // A doc comment, not the humanized fallback: every variant is documented.
          expect(words, `${name}.${message.label}: ${v.name}`).not.toBe(humanize(v.name));
          expect(words.length, `${name}: ${v.name}`).toBeGreaterThan(10);
        }
      }
    }
  });
});

describe('describeError (nested enums)', () => {
  // Error { NotOwner, Consent(ConsentError), Serial { index: u32 } }, ConsentError { Paused, Expired }.
  const nested: InkMetadata = {
    spec: { messages: [{ label: 'act', returnType: { type: 0 } }] },
    types: [
      { id: 0, type: { path: ['Result'], params: [{ name: 'T', type: 1 }, { name: 'E', type: 5 }], def: { variant: { variants: [] } } } },
      { id: 1, type: { path: ['Result'], params: [{ name: 'T', type: 6 }, { name: 'E', type: 2 }], def: { variant: { variants: [] } } } },
      {
        id: 2,
        type: {
          path: ['demo', 'errors', 'Error'],
          def: {
            variant: {
              variants: [
                { name: 'NotOwner', index: 0, docs: [' Not the owner. '] },
                { name: 'Consent', index: 1, fields: [{ type: 3, typeName: 'ConsentError' }], docs: ['The consent check failed.'] },
                { name: 'Serial', index: 2, fields: [{ name: 'index', type: 4, typeName: 'u32' }], docs: ['Bad serial.'] },
              ],
            },
          },
        },
      },
      {
        id: 3,
        type: {
          path: ['demo', 'ConsentError'],
          def: {
            variant: {
              variants: [
                { name: 'Paused', index: 0, docs: ['The registry is paused,', '   try later.'] },
                { name: 'Expired', index: 1 },
              ],
            },
          },
        },
      },
      { id: 4, type: { def: { primitive: 'u32' } } },
      { id: 5, type: { path: ['ink_primitives', 'LangError'], def: { variant: { variants: [{ name: 'CouldNotReadInput', index: 1 }] } } } },
      { id: 6, type: { def: { tuple: [] } } },
    ],
  };

  it('finds the error enum under the LangError result', () => {
    expect(errorTypeIdOf(nested, 'act')).toBe(2);
  });

  it('describes the inner variant of a wrapped enum, in every spelling', () => {
    const expected = 'The registry is paused, try later.';
    expect(describeError(nested, 2, { type: 'Consent', value: 'Paused' })).toBe(expected);
    expect(describeError(nested, 2, { type: 'Consent', value: { type: 'Paused' } })).toBe(expected);
    expect(describeError(nested, 2, 'Consent::Paused')).toBe(expected);
    expect(describeError(nested, 2, 'ConsentError::Paused')).toBe(expected);
    expect(describeError(nested, 2, 'Error::Consent::ConsentError::Paused')).toBe(expected);
  });

  it('humanizes an undocumented inner variant, and describes the outer one alone', () => {
    expect(describeError(nested, 2, 'Consent::Expired')).toBe('Expired');
    expect(describeError(nested, 2, 'Consent')).toBe('The consent check failed.');
  });

  it('trims docs and names a named field', () => {
    expect(describeError(nested, 2, 'NotOwner')).toBe('Not the owner.');
    expect(describeError(nested, 2, { type: 'Serial', value: 7 })).toBe('Bad serial. (index: 7)');
    // dedot decodes named fields to an object.
    expect(describeError(nested, 2, { type: 'Serial', value: { index: 7 } })).toBe('Bad serial. (index: 7)');
    expect(describeError(nested, 2, { type: 'Serial', value: { index: 7n, note: [1] } })).toBe('Bad serial. (index: 7)');
  });
});
