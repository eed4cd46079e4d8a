import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, readRepoFile } from './repo-files.js';

/** The kustomizations a reader deploys, as directories of a scratch copy of infra/k8s. */
export interface K8sTrees {
  readonly base: string;
  /** overlays/example with secrets.env made from secrets.env.example, as the docs say. */
  readonly example: string;
  /** The base plus components/gcs-key (clusters without Workload Identity). */
  readonly gcsKey: string;
  dispose(): void;
}

export const makeK8sTrees = (): K8sTrees => {
  const root = mkdtempSync(join(tmpdir(), 'stratus-k8s-'));
  cpSync(join(ROOT, 'infra/k8s'), root, { recursive: true });
  writeFileSync(
    join(root, 'overlays/example/secrets.env'),
    readRepoFile('infra/k8s/overlays/example/secrets.env.example'),
  );
  mkdirSync(join(root, 'overlays/gcs-key'));
  writeFileSync(
    join(root, 'overlays/gcs-key/kustomization.yaml'),
    [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources: [../../base]',
      'components: [../../components/gcs-key]',
      '',
    ].join('\n'),
  );
  return {
    base: join(root, 'base'),
    example: join(root, 'overlays/example'),
    gcsKey: join(root, 'overlays/gcs-key'),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
};
