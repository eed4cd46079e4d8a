import type { K8sObject } from './kustomize.js';
import { isRecord, record } from './repo-files.js';

/** Whether a label selector (matchLabels and `In` / `Exists` expressions) selects `labels`. */
export const selects = (selector: unknown, labels: Readonly<Record<string, string>>): boolean => {
  const s = record(selector ?? {}, 'selector');
  const matchLabels = record(s.matchLabels ?? {}, 'matchLabels');
  if (Object.entries(matchLabels).some(([key, value]) => labels[key] !== value)) return false;
  for (const expression of (s.matchExpressions ?? []) as Record<string, unknown>[]) {
    const value = labels[String(expression.key)];
    if (expression.operator === 'In') {
      if (value === undefined || !(expression.values as string[]).includes(value)) return false;
    } else if (expression.operator === 'Exists') {
      if (value === undefined) return false;
    } else throw new Error(`unsupported selector operator ${String(expression.operator)}`);
  }
  return true;
};

/** The labels of a Deployment's or StatefulSet's pods. */
export const podLabels = (object: K8sObject): Record<string, string> =>
  record(
    record(record(record(object.spec, 'spec').template, 'template').metadata, 'metadata').labels,
    'labels',
  ) as Record<string, string>;

const ipv4 = (address: string): number =>
  address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);

/** Whether IPv4 `address` lies in `cidr`. */
export const inCidr = (address: string, cidr: string): boolean => {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(base) / size);
};

/** The NetworkPolicies that select `labels` for `type` (Ingress or Egress). */
export const policiesFor = (
  docs: readonly K8sObject[],
  labels: Readonly<Record<string, string>>,
  type: 'Ingress' | 'Egress',
): K8sObject[] =>
  docs.filter((doc) => {
    if (doc.kind !== 'NetworkPolicy') return false;
    const spec = record(doc.spec, 'NetworkPolicy spec');
    return (spec.policyTypes as string[]).includes(type) && selects(spec.podSelector, labels);
  });

/** One egress rule: its peers and ports. */
export interface Rule {
  readonly policy: string;
  readonly peers: readonly Record<string, unknown>[] | undefined;
  readonly ports: readonly Record<string, unknown>[] | undefined;
}

export const rulesOf = (policy: K8sObject, field: 'ingress' | 'egress'): Rule[] =>
  ((record(policy.spec, 'spec')[field] ?? []) as Record<string, unknown>[]).map((rule) => ({
    policy: policy.metadata.name,
    peers: (rule[field === 'egress' ? 'to' : 'from'] ?? undefined) as
      Record<string, unknown>[] | undefined,
    ports: (rule.ports ?? undefined) as Record<string, unknown>[] | undefined,
  }));

/** Whether an egress rule lets traffic to IP `address` out (on some port). */
export const ruleReaches = (rule: Rule, address: string): boolean =>
  rule.peers === undefined ||
  rule.peers.some((peer) => {
    if (!isRecord(peer.ipBlock)) return false;
    const block = peer.ipBlock;
    const except = (block.except ?? []) as string[];
    return inCidr(address, String(block.cidr)) && !except.some((c) => inCidr(address, c));
  });
