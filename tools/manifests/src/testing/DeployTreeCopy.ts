import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, type Document } from 'yaml';
import { k8sDir } from './paths';

/** A copy of deploy/k8s in a temporary directory, to break on purpose. */
export class DeployTreeCopy {
  readonly root: string;
  readonly k8sDir: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'manifests-'));
    this.k8sDir = join(this.root, 'deploy', 'k8s');
    cpSync(k8sDir, this.k8sDir, { recursive: true });
  }

  path(relative: string): string {
    return join(this.k8sDir, relative);
  }

  write(relative: string, text: string): void {
    writeFileSync(this.path(relative), text);
  }

  read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  /** Edits the YAML documents of a file in place (comments and layout kept), one callback per document. */
  editYaml(relative: string, edit: (doc: Document.Parsed, index: number) => void): void {
    const docs = parseAllDocuments(this.read(relative)) as Document.Parsed[];
    docs.forEach(edit);
    this.write(relative, docs.map((d) => d.toString({ lineWidth: 0, flowCollectionPadding: false })).join(''));
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
