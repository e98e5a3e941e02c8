/**
 * A contract's error in words, from the contract's own metadata: every variant of the
 * contracts' `Error` enums carries a doc comment written for people ("Only the partner that
 * commissioned the lot, or the regulator, recalls it."), and ink! puts it in the metadata's type
 * registry. Nothing here is hand-written per error, so the words follow the deployed code.
 */

/** The part of ink! v5 metadata (`<contract>.json`) read here. */
export interface InkMetadata {
  types: readonly PortableType[];
  spec: { messages: readonly MessageSpec[] };
}

export interface MessageSpec {
  label: string;
  returnType: { type: number; displayName?: readonly string[] };
}

export interface PortableType {
  id: number;
  type: {
    path?: readonly string[];
    params?: readonly { name: string; type?: number | null }[];
    def: { variant?: { variants?: readonly VariantDef[] } } & Record<string, unknown>;
    docs?: readonly string[];
  };
}

export interface VariantDef {
  name: string;
  index: number;
  fields?: readonly { name?: string; type: number; typeName?: string }[];
  docs?: readonly string[];
}

/**
 * A decoded error as dedot gives it — `"Paused"` (an enum of unit variants only) or
 * `{ type: "InvalidSerial", value: 3 }` (an enum with data), nested when a variant wraps
 * another enum (`{ type: "Consent", value: { type: "Paused" } }`) — or a path written
 * as text: `"Paused"`, `"Error::Paused"`, `"Consent::Paused"`, `"ConsentError::Paused"`.
 */
export type DecodedError = string | { type: string; value?: unknown };

function typeById(metadata: InkMetadata, id: number): PortableType | undefined {
  // The registry is normally indexed by id; fall back to a search if it is not.
  const direct = metadata.types[id];
  return direct?.id === id ? direct : metadata.types.find((t) => t.id === id);
}

function isResult(t: PortableType | undefined): t is PortableType {
  const path = t?.type.path;
  return path !== undefined && path.length === 1 && path[0] === 'Result';
}

function param(t: PortableType, name: 'T' | 'E'): number | undefined {
  const p = t.type.params?.find((x) => x.name === name);
  return typeof p?.type === 'number' ? p.type : undefined;
}

function isLangError(t: PortableType | undefined): boolean {
  const path = t?.type.path;
  return path !== undefined && path[path.length - 1] === 'LangError';
}

/**
 * The type id of the error enum of a message, found from its return type: ink! v5 returns
 * `Result<T, LangError>` (its dispatch result) around the message's own type, and a message that
 * can fail returns `Result<X, E>` — E is the answer. `null` when the message is unknown or
 * cannot fail (a query returning a plain value).
 */
export function errorTypeIdOf(metadata: InkMetadata, messageLabel: string): number | null {
  const message = metadata.spec.messages.find((m) => m.label === messageLabel);
  if (!message) return null;
  let t = typeById(metadata, message.returnType.type);
  if (isResult(t)) {
    const e = param(t, 'E');
    if (e !== undefined && isLangError(typeById(metadata, e))) {
      const inner = param(t, 'T');
      t = inner === undefined ? undefined : typeById(metadata, inner);
    }
  }
  if (!isResult(t)) return null;
  return param(t, 'E') ?? null;
}

/** "NotCommissioner" → "Not commissioner"; "InvalidGTIN" → "Invalid GTIN". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '');
  const text = words.map((w, i) => (i > 0 && !/^[A-Z0-9]{2,}$/.test(w) ? w.toLowerCase() : w)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A type's doc lines as one sentence. */
function docText(docs: readonly string[] | undefined): string {
  return (docs ?? []).map((d) => d.trim()).join(' ').replace(/\s+/g, ' ').trim();
}

function variantsOf(t: PortableType | undefined): readonly VariantDef[] | undefined {
  return t?.type.def.variant?.variants;
}

/** The steps of an error: `["Consent", "Paused"]` and the innermost value, if any. */
function stepsOf(error: DecodedError): { names: string[]; value: unknown } {
  if (typeof error === 'string') return { names: error.split('::').map((s) => s.trim()).filter((s) => s !== ''), value: undefined };
  const names: string[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && 'type' in current && typeof current.type === 'string') {
    names.push(current.type);
    current = 'value' in current ? current.value : undefined;
  }
  if (typeof current === 'string' && names.length > 0) {
    // A unit-only inner enum decodes to its variant name.
    return { names: [...names, current], value: undefined };
  }
  return { names, value: current };
}

function isPrimitive(v: unknown): v is number | bigint | string | boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || typeof v === 'boolean';
}

/** What a variant carries, for the end of its words: ` (3)`, ` (index: 3)`; '' for nothing readable. */
function describeValue(value: unknown, variant: VariantDef): string {
  if (isPrimitive(value)) {
    const field = variant.fields?.length === 1 ? variant.fields[0] : undefined;
    return field?.name ? ` (${field.name}: ${String(value)})` : ` (${String(value)})`;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    // Named fields decode to an object: { index: 3 }.
    const parts = Object.entries(value)
      .filter(([, v]) => isPrimitive(v))
      .map(([k, v]) => `${k}: ${String(v)}`);
    return parts.length > 0 ? ` (${parts.join(', ')})` : '';
  }
  return '';
}

function lastPathSegment(t: PortableType | undefined): string | undefined {
  const path = t?.type.path;
  return path?.[path.length - 1];
}

/** The enum a variant wraps (its single field, when that field is an enum). */
function wrappedEnum(metadata: InkMetadata, variant: VariantDef): PortableType | undefined {
  const fields = variant.fields ?? [];
  const only = fields.length === 1 ? fields[0] : undefined;
  const inner = only ? typeById(metadata, only.type) : undefined;
  return variantsOf(inner) ? inner : undefined;
}

/**
 * The words for `error`, a value of the enum with type id `typeId`: the variant's doc comment
 * (for a variant that wraps another enum, the inner variant's), or else its name made readable.
 * A primitive carried by the variant is added in parentheses: `… (3)`. A path segment may name
 * the variant (`Consent::Paused`) or the enum type (`Error::Paused`, `ConsentError::Paused`).
 */
export function describeError(metadata: InkMetadata, typeId: number, error: DecodedError): string {
  const { names, value } = stepsOf(error);
  const last = names[names.length - 1];
  if (last === undefined) return 'The contract refused the call';
  let t = typeById(metadata, typeId);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    const variants = variantsOf(t) ?? [];
    const variant = variants.find((v) => v.name === name);
    if (variant) {
      const inner = wrappedEnum(metadata, variant);
      if (i === names.length - 1 || !inner) {
        const words = docText(variant.docs) || humanize(name);
        return i === names.length - 1 ? words + describeValue(value, variant) : words;
      }
      t = inner;
    } else if (name === lastPathSegment(t) && i < names.length - 1) {
      // The enum's own name ("Error::Paused"): the next segment is its variant.
    } else {
      // The name of an enum wrapped by one of the variants ("ConsentError::Paused").
      const wrapping = variants.find((v) => lastPathSegment(wrappedEnum(metadata, v)) === name);
      const inner = wrapping ? wrappedEnum(metadata, wrapping) : undefined;
      if (!inner || i === names.length - 1) return humanize(last);
      t = inner;
    }
  }
  return humanize(last);
}

/** `describeError` for the error a message returned; a message without an error enum gets its name humanized. */
export function describeMessageError(metadata: InkMetadata, messageLabel: string, error: DecodedError): string {
  const id = errorTypeIdOf(metadata, messageLabel);
  if (id === null) {
    const { names } = stepsOf(error);
    return humanize(names[names.length - 1] ?? 'The contract refused the call');
  }
  return describeError(metadata, id, error);
}
