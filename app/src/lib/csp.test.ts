import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASELINE_DIRECTIVES, BASELINE_POLICY, cspFor, installPolicy, type PolicyHost } from './csp';

const directives = (policy: string) => policy.split(';').map((d) => d.trim());
const connectSrc = (policy: string) => directives(policy).find((d) => d.startsWith('connect-src'));

describe('cspFor', () => {
  it('lists exactly the chain and audit origins in connect-src', () => {
    const policy = cspFor('ws://127.0.0.1:9944', 'http://127.0.0.1:8477/v1');
    expect(connectSrc(policy)).toBe('connect-src ws://127.0.0.1:9944 http://127.0.0.1:8477');
  });

  it('keeps every baseline directive and adds only connect-src', () => {
    const policy = cspFor('wss://rpc.example.org', 'https://audit.example.org/v1');
    expect(directives(policy)).toEqual([
      "default-src 'self'",
      "script-src 'self' 'wasm-unsafe-eval'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      'connect-src wss://rpc.example.org https://audit.example.org',
    ]);
  });

  it('keeps only the origin: no path, query, fragment, credentials or default port', () => {
    const policy = cspFor('wss://user:pw@rpc.example.org:443/ws?x=1#f', 'https://audit.example.org:443/v1?a=b');
    expect(connectSrc(policy)).toBe('connect-src wss://rpc.example.org https://audit.example.org');
    expect(policy).not.toContain('user');
    expect(policy).not.toContain('/v1');
  });

  it('keeps a non-default port and lowercases the host', () => {
    expect(connectSrc(cspFor('wss://RPC.Example.org:9944', 'https://Audit.example.org:8443')))
      .toBe('connect-src wss://rpc.example.org:9944 https://audit.example.org:8443');
  });

  it('cannot be made to carry another directive', () => {
    expect(() => cspFor('ws://a.example; script-src *', 'http://b.example')).toThrow(/is not a URL/);
    const policy = cspFor('ws://a.example/;script-src *;', 'http://b.example/?;img-src *');
    expect(directives(policy).filter((d) => d.startsWith('script-src'))).toEqual([
      "script-src 'self' 'wasm-unsafe-eval'",
    ]);
    expect(connectSrc(policy)).toBe('connect-src ws://a.example http://b.example');
  });

  it('refuses a chain URL that is not ws:// or wss://', () => {
    expect(() => cspFor('http://127.0.0.1:9944', 'http://127.0.0.1:8477')).toThrow(
      'The chain RPC URL "http://127.0.0.1:9944" must start with ws:// or wss://',
    );
  });

  it('refuses an audit URL that is not http:// or https://', () => {
    expect(() => cspFor('ws://127.0.0.1:9944', 'ws://127.0.0.1:8477')).toThrow(
      'The audit API URL "ws://127.0.0.1:8477" must start with http:// or https://',
    );
  });

  it('refuses what is not a URL', () => {
    expect(() => cspFor('127.0.0.1:9944x', 'http://x')).toThrow(/chain RPC URL "127.0.0.1:9944x"/);
    expect(() => cspFor('ws://x', 'not a url')).toThrow('The audit API URL "not a url" is not a URL');
  });

  it('refuses an IPv6 literal, which CSP cannot express', () => {
    expect(() => cspFor('ws://[::1]:9944', 'http://127.0.0.1:8477')).toThrow(/IPv6/);
  });
});

describe('index.html', () => {
  const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);

  it('carries the baseline policy of csp.ts, word for word', () => {
    expect(meta?.[1]).toBe(BASELINE_POLICY);
  });

  it('baseline forbids every remote script, style, font and frame', () => {
    for (const d of BASELINE_DIRECTIVES) expect(d).not.toMatch(/https?:|\*|'unsafe-inline'|'unsafe-eval'/);
  });

  it('loads nothing from another origin', () => {
    const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls).toEqual(['favicon.svg', '/src/main.tsx']);
    for (const u of urls) expect(u).not.toMatch(/^[a-z]+:|^\/\//i);
  });
});

describe('installPolicy', () => {
  it('adds a Content-Security-Policy meta element to the head', () => {
    const appended: unknown[] = [];
    const doc: PolicyHost = {
      createElement: () => ({ httpEquiv: '', content: '' }),
      head: { appendChild: (node) => appended.push(node) },
    };
    const policy = cspFor('ws://127.0.0.1:9944', 'http://127.0.0.1:8477');
    installPolicy(doc, policy);
    expect(appended).toEqual([{ httpEquiv: 'Content-Security-Policy', content: policy }]);
  });

  it('accepts the browser Document', () => {
    // Compile-time: a real Document is a PolicyHost.
    const accepts = (d: Document): PolicyHost => d;
    expect(typeof accepts).toBe('function');
  });
});
