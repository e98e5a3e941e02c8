import { describe, expect, it } from 'vitest';
import { deploymentLocation } from './deploymentUrl';

const PAGE = 'https://care.example.org/app/index.html?deployment=x';

describe('where a deployment may come from', () => {
  it('is deployment.json beside the app, or a path on its own origin', () => {
    expect(deploymentLocation(null, PAGE)).toEqual({ ok: true, url: 'https://care.example.org/app/deployment.json' });
    expect(deploymentLocation('deployments/test.json', PAGE)).toEqual({ ok: true, url: 'https://care.example.org/app/deployments/test.json' });
    expect(deploymentLocation('/other/deployment.json', PAGE)).toEqual({ ok: true, url: 'https://care.example.org/other/deployment.json' });
  });

  it('is never another origin, however the link spells it', () => {
    for (const asked of ['https://evil.example/d.json', '//evil.example/d.json', 'http://care.example.org/d.json', 'https://care.example.org:8443/d.json', 'javascript:alert(1)']) {
      const r = deploymentLocation(asked, PAGE);
      expect(r.ok, asked).toBe(false);
    }
    expect(deploymentLocation('https://evil.example/d.json', PAGE)).toEqual({
      ok: false,
      error: expect.stringContaining('not from https://evil.example'),
    });
  });
});
