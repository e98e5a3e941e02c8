/**
 * Where the page may load its deployment from: `asked` (the `?deployment=` parameter) or
 * `deployment.json`, resolved against the page — and only on the page's own origin. The operator
 * who serves the app decides the deployment; a link cannot point the page at another chain,
 * another audit API or other error words.
 */
export function deploymentLocation(asked: string | null, page: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(asked ?? 'deployment.json', page);
  } catch {
    return { ok: false, error: `"${asked ?? ''}" is not a path to a deployment` };
  }
  const own = new URL(page).origin;
  if (url.origin !== own) {
    return {
      ok: false,
      error: `A deployment is loaded from this app's own address (${own}) only, not from ${url.origin}: ask whoever serves the app to serve that deployment here.`,
    };
  }
  return { ok: true, url: url.href };
}
