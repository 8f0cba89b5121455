import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// docs/compliance.md maps each legal duty to the test that shows it; this keeps the map honest.
const root = join(__dirname, '..', '..', '..');
const text = readFileSync(join(root, 'docs', 'compliance.md'), 'utf8');
const citations = [...text.matchAll(/`([^`\s]+\.spec\.ts)` › "([^"]+)"/g)].map((m) => ({ file: m[1], name: m[2] }));

describe('docs/compliance.md', () => {
  it('cites tests', () => {
    expect(citations.length).toBeGreaterThanOrEqual(20);
  });

  it.each(citations.map((c) => [c.file, c.name]))('cites %s › %s, which exists', (file, name) => {
    const path = join(root, file);
    expect(existsSync(path)).toBe(true);
    const source = readFileSync(path, 'utf8');
    const quoted = [`'${name.replace(/'/g, "\\'")}'`, `"${name}"`, `\`${name}\``];
    expect(quoted.some((q) => source.includes(q))).toBe(true);
  });

  it('maps every one of the ten §33 duties and the operator duties of §31 and §32', () => {
    for (let duty = 1; duty <= 10; duty++) expect(text).toMatch(new RegExp(`^\\| ${duty}\\. `, 'm'));
    expect(text).toMatch(/§32: notify the calibration authority/);
    expect(text).toMatch(/point 5: keep every signed packet/);
    expect(text).toMatch(/point 8: on request/);
  });
});
