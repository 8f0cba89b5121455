import { isDocsPath } from './docsAuthentication';

describe('isDocsPath', () => {
  it.each(['/docs', '/docs/', '/docs-json', '/docs-yaml', '/DOCS', '/Docs-json', '/docs-JSON', '/%64ocs-json', '/%44OCS', '//docs-json', '/docs/swagger-ui-init.js'])('treats %s as documentation', (path) => {
    expect(isDocsPath(path)).toBe(true);
  });

  it.each(['/emsp/sessions', '/verify', '/auditor/stations/docs/gaps', '/%E0%A4%A'])('leaves %s to the routes', (path) => {
    expect(isDocsPath(path)).toBe(false);
  });
});
