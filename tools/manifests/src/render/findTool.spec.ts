import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool } from './findTool';
import { kubectlMissing } from './renderKustomization';

describe('findTool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'find-tool-'));
    writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\n');
    chmodSync(join(dir, 'kubectl'), 0o755);
    writeFileSync(join(dir, 'yamllint'), 'not executable');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an executable on PATH, and only an executable', () => {
    expect(findTool('kubectl', { PATH: `/nonexistent:${dir}` })).toBe(join(dir, 'kubectl'));
    expect(findTool('yamllint', { PATH: dir })).toBeUndefined();
    expect(findTool('kubectl', { PATH: '' })).toBeUndefined();
  });

  it('takes an override (path or name) before PATH', () => {
    expect(findTool('kubectl', { PATH: '' }, join(dir, 'kubectl'))).toBe(join(dir, 'kubectl'));
    expect(findTool('kubectl', { PATH: '' }, '/nonexistent/kubectl')).toBeUndefined();
  });

  it('says what to do when kubectl is missing', () => {
    expect(kubectlMissing('deploy/k8s', {}).message).toMatch(/^kubectl not found \(not on PATH\): .* install kubectl 1\.27 or later/);
    expect(kubectlMissing('deploy/k8s', { KUBECTL: '/opt/kubectl' }).message).toMatch(/^kubectl not found \(KUBECTL=\/opt\/kubectl is not executable\)/);
  });
});
