// Checks FHIR R5 JSON files against HL7's own definitions, from the hl7.fhir.r5.core package:
//  1. the official JSON schema (openapi/fhir.schema.json): element names, types, value patterns;
//  2. every cardinality minimum of the resource's StructureDefinition (the schema leaves out
//     required primitives such as Bundle.type, Consent.status, AuditEvent.recorded);
//  3. every `code` element whose binding is `required` holds a code of that value set (the
//     schema has no enums), where the value set and its code systems are in the package;
//  4. bdl-15: a searchset Bundle's entries have a fullUrl.
// Usage: node check.mjs FILE.json...  — exits 1 and names each violation when a file fails.
import Ajv from "ajv";
import draft06 from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const core = dirname(createRequire(import.meta.url).resolve("hl7.fhir.r5.core/package.json"));
const schema = JSON.parse(readFileSync(join(core, "openapi", "fhir.schema.json"), "utf8"));
// Draft-06 names a schema's id `$id`; HL7's file still spells it `id`.
schema.$id = schema.id;
delete schema.id;
// unicodeRegExp off: HL7's decimal pattern has a stray `}` that only non-unicode RegExps read (as itself).
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
ajv.addMetaSchema(draft06);
ajv.addSchema(schema);
const validator = (type) => ajv.getSchema(`${schema.$id}#/definitions/${type}`);

// Canonical URL → ValueSet / CodeSystem of the package, for required bindings.
const terminology = new Map();
for (const f of readdirSync(core)) {
  if (!/^(ValueSet|CodeSystem)-.*\.json$/.test(f)) continue;
  const r = JSON.parse(readFileSync(join(core, f), "utf8"));
  terminology.set(r.url, r);
}
const allCodes = (concepts = []) => concepts.flatMap((c) => [c.code, ...allCodes(c.concept)]);
const valueSets = new Map();
// The codes a value set allows, or null when it draws on terminology outside the package.
function codesOf(url) {
  const canonical = url.split("|")[0];
  if (valueSets.has(canonical)) return valueSets.get(canonical);
  const vs = terminology.get(canonical);
  let codes = vs ? new Set() : null;
  for (const inc of vs?.compose?.include ?? []) {
    if (inc.concept) inc.concept.forEach((c) => codes.add(c.code));
    else if (inc.system && terminology.get(inc.system)?.concept && !inc.filter) {
      allCodes(terminology.get(inc.system).concept).forEach((c) => codes.add(c));
    } else codes = null;
    if (codes === null) break;
  }
  valueSets.set(canonical, codes);
  return codes;
}

const definitions = new Map();
function structure(type) {
  if (!definitions.has(type)) {
    const sd = JSON.parse(readFileSync(join(core, `StructureDefinition-${type}.json`), "utf8"));
    definitions.set(type, sd.snapshot.element);
  }
  return definitions.get(type);
}

// Every node at `path` (e.g. AuditEvent.agent) under `resource`, with its location.
function nodes(resource, path) {
  let found = [[resource, resource.resourceType]];
  for (const step of path.split(".").slice(1)) {
    found = found.flatMap(([n, at]) => {
      const v = n?.[step];
      if (v === undefined) return [];
      return Array.isArray(v) ? v.map((x, i) => [x, `${at}.${step}[${i}]`]) : [[v, `${at}.${step}`]];
    });
  }
  return found;
}

function cardinality(resource) {
  const errors = [];
  for (const el of structure(resource.resourceType)) {
    if (!(el.min >= 1) || !el.path.includes(".")) continue;
    const parent = el.path.slice(0, el.path.lastIndexOf("."));
    const name = el.path.slice(el.path.lastIndexOf(".") + 1);
    for (const [node, at] of nodes(resource, parent)) {
      const present = name.endsWith("[x]")
        ? Object.keys(node).some((k) => k.startsWith(name.slice(0, -3)))
        : node[name] !== undefined || node[`_${name}`] !== undefined;
      if (!present) errors.push(`${at}: ${name} is required (${el.path} ${el.min}..${el.max})`);
    }
  }
  return errors;
}

function bindings(resource) {
  const errors = [];
  for (const el of structure(resource.resourceType)) {
    const code = el.type?.length === 1 && el.type[0].code === "code";
    if (!code || el.binding?.strength !== "required" || !el.binding.valueSet) continue;
    const allowed = codesOf(el.binding.valueSet);
    if (!allowed) continue;
    for (const [value, at] of nodes(resource, el.path)) {
      if (!allowed.has(value)) errors.push(`${at}: "${value}" is not in ${el.binding.valueSet} (required binding)`);
    }
  }
  return errors;
}

function schemaErrors(resource, prefix = "") {
  const validate = validator(resource.resourceType);
  if (!validate) return [`${prefix}: unknown resourceType ${JSON.stringify(resource.resourceType)}`];
  if (validate(resource)) return [];
  // A Bundle's entries are checked one by one below: the schema's oneOf over every resource
  // type would bury the one error in a hundred.
  return validate.errors
    .filter((e) => !/^\/entry\/\d+\/resource/.test(e.instancePath))
    .map((e) => `schema: ${prefix}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

function check(resource, prefix = "") {
  const here = (m) => (prefix ? `${prefix}: ${m}` : m);
  const errors = [...schemaErrors(resource, prefix), ...[...cardinality(resource), ...bindings(resource)].map(here)];
  if (resource.resourceType === "Bundle") {
    (resource.entry ?? []).forEach((e, i) => {
      if (resource.type === "searchset" && !e.fullUrl) errors.push(`Bundle.entry[${i}]: bdl-15 needs a fullUrl`);
      if (e.resource) errors.push(...check(e.resource, `${prefix}/entry/${i}/resource`));
    });
  }
  return errors;
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  const resource = JSON.parse(readFileSync(file, "utf8"));
  const errors = check(resource);
  if (errors.length) {
    failed++;
    console.log(`${file}: INVALID`);
    for (const e of errors.slice(0, 50)) console.log(`  ${e}`);
  } else {
    console.log(`${file}: valid FHIR R5 ${resource.resourceType}`);
  }
}
process.exit(failed ? 1 : 0);
