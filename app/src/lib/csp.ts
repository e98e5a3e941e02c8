/**
 * Content-Security-Policy of the app.
 *
 * The page may talk to exactly two places: the chain's RPC endpoint and the audit API of the
 * loaded deployment. Both are only known at run time, so index.html carries the baseline
 * (everything but the connections is decided there) and the full policy is made here:
 * `cspFor(chainUrl, auditUrl)` for the server's `Content-Security-Policy` header, and
 * `installPolicy` to add it to the page itself once a deployment is loaded. A browser enforces
 * every policy it was given, so the added one narrows the baseline's connect-src and nothing can
 * widen it again short of a reload.
 */

/** Every directive but connect-src; the same words as the meta element of index.html. */
export const BASELINE_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** What only a header can say (a meta element's frame-ancestors is ignored): the server adds it. */
export const HEADER_ONLY_DIRECTIVES: readonly string[] = ["frame-ancestors 'none'"];

/**
 * The connect-src of the index.html meta element, before a deployment is loaded: any
 * ws/wss/http/https endpoint, because a policy can be narrowed later but never widened.
 */
export const BASELINE_CONNECT_SRC = "connect-src 'self' ws: wss: http: https:";

/** The policy of the index.html meta element. */
export const BASELINE_POLICY = [...BASELINE_DIRECTIVES, BASELINE_CONNECT_SRC].join('; ');

/**
 * The origin of `url` as a CSP source expression, if its scheme is one of `schemes`.
 * Throws an Error naming `what` when it is not a URL, has another scheme, or names an IPv6
 * literal (CSP host sources cannot express one).
 */
function originOf(url: string, schemes: readonly string[], what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`The ${what} ${JSON.stringify(url)} is not a URL`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new Error(
      `The ${what} ${JSON.stringify(url)} must start with ${schemes.map((s) => `${s}://`).join(' or ')}`,
    );
  }
  if (parsed.hostname.startsWith('[')) {
    throw new Error(
      `The ${what} ${JSON.stringify(url)} names an IPv6 address, which a Content-Security-Policy ` +
        'cannot list: use a host name for it',
    );
  }
  // URL.origin is scheme://host[:port] with the default port dropped: no path, query,
  // credentials, spaces or semicolons can reach the policy.
  return parsed.origin;
}

/**
 * The full policy for a deployment: the baseline plus a connect-src that names exactly the
 * chain's RPC origin (ws:// or wss://) and the audit API's origin (http:// or https://).
 * Throws an Error in words when either URL is not of that form.
 */
export function cspFor(chainUrl: string, auditUrl: string): string {
  const chain = originOf(chainUrl, ['ws', 'wss'], 'chain RPC URL');
  const audit = originOf(auditUrl, ['http', 'https'], 'audit API URL');
  return [...BASELINE_DIRECTIVES, `connect-src ${chain} ${audit}`].join('; ');
}

/** The part of `Document` that `installPolicy` uses. */
export interface PolicyHost {
  createElement(tagName: 'meta'): { httpEquiv: string; content: string };
  head: { appendChild(node: unknown): unknown };
}

/**
 * Adds `policy` to the page as a Content-Security-Policy meta element. From then on the
 * browser enforces it on top of the baseline; it cannot be removed (removing the element does
 * not lift it), so loading another deployment means reloading the page.
 */
export function installPolicy(doc: PolicyHost, policy: string): void {
  const meta = doc.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = policy;
  doc.head.appendChild(meta);
}
