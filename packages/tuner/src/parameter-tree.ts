import type { ConditionalParameterSpec, ParameterSpec } from '@stratus/spec';
import { compileParameter } from './parameter.js';
import type { Parameter, ParameterValue } from './parameter.js';
import { specViolation } from './spec-errors.js';

/** A child parameter is active when its parent is active and holds one of `values`. */
export interface Condition {
  /** Index of the parent in `ParameterTree.parameters`. */
  readonly parent: number;
  readonly values: ReadonlySet<ParameterValue>;
}

/** A value of a node that has children: its position among the node's values and those children. */
interface Block {
  readonly at: number;
  readonly children: readonly Node[];
  /** Points of the children's subtrees together. */
  readonly size: number;
}

interface Node {
  readonly parameter: Parameter;
  /** Values with children, in value order. */
  readonly blocks: readonly Block[];
  /** Points of this subtree: one per childless value, each block's size for the others. */
  readonly size: number;
}

/** The params of a spec with their `conditionalParameterSpecs`, flattened parents first. */
export interface ParameterTree {
  readonly parameters: readonly Parameter[];
  /** Field path of each parameter, e.g. `params[2].conditionalParameterSpecs[0].parameterSpec`. */
  readonly fields: readonly string[];
  /** Undefined for top-level parameters, which are always active. */
  readonly conditions: readonly (Condition | undefined)[];
  /** Number of distinct reachable points; Infinity when a DOUBLE parameter is present. */
  readonly size: number;
  /** The i-th reachable point (active parameters only), the last top-level subtree varying fastest. */
  pointAt(index: number): Record<string, ParameterValue>;
}

const PARENT_FIELD = {
  DISCRETE: 'parentDiscreteValues',
  INTEGER: 'parentIntValues',
  CATEGORICAL: 'parentCategoricalValues',
} as const;

/** The parent values a branch names, each checked to be a value the parent can take. */
const branchValues = (
  parent: Parameter,
  branch: ConditionalParameterSpec,
  field: string,
): ParameterValue[] => {
  const type = parent.spec.type;
  if (type === 'DOUBLE') {
    throw specViolation(
      field,
      `DOUBLE parameter "${parent.name}" cannot have conditional children`,
    );
  }
  const key = PARENT_FIELD[type];
  const values: readonly ParameterValue[] = branch[key]?.values ?? [];
  if (values.length === 0) {
    throw specViolation(`${field}.${key}`, `required and non-empty under ${type} "${parent.name}"`);
  }
  values.forEach((value, k) => {
    if (parent.indexOf(value) < 0) {
      throw specViolation(
        `${field}.${key}.values[${k}]`,
        `${value} is not a value of "${parent.name}"`,
      );
    }
  });
  return [...values];
};

const product = (nodes: readonly Node[]): number => nodes.reduce((n, c) => n * c.size, 1);

/** Compile a spec's params, conditional children included; throws naming the bad field. */
export const compileParameterTree = (params: readonly ParameterSpec[]): ParameterTree => {
  const parameters: Parameter[] = [];
  const fields: string[] = [];
  const conditions: (Condition | undefined)[] = [];
  const seen = new Set<string>();
  const visit = (spec: ParameterSpec, field: string, condition?: Condition): Node => {
    if (seen.has(spec.parameterName)) {
      throw specViolation(`${field}.parameterName`, `"${spec.parameterName}" is used twice`);
    }
    seen.add(spec.parameterName);
    const parameter = compileParameter(spec, field);
    const index = parameters.length;
    parameters.push(parameter);
    fields.push(field);
    conditions.push(condition);
    const byValue = new Map<number, Node[]>();
    spec.conditionalParameterSpecs?.forEach((branch, k) => {
      const b = `${field}.conditionalParameterSpecs[${k}]`;
      const values = branchValues(parameter, branch, b);
      const child = visit(branch.parameterSpec, `${b}.parameterSpec`, {
        parent: index,
        values: new Set(values),
      });
      for (const value of values) {
        const at = parameter.indexOf(value);
        byValue.set(at, [...(byValue.get(at) ?? []), child]);
      }
    });
    const blocks = [...byValue.entries()]
      .sort(([a], [b]) => a - b)
      .map(([at, children]) => ({ at, children, size: product(children) }));
    const size =
      parameter.cardinality - blocks.length + blocks.reduce((sum, block) => sum + block.size, 0);
    return { parameter, blocks, size };
  };
  const roots = params.map((spec, i) => visit(spec, `params[${i}]`));

  const nodePoint = (node: Node, r: number, out: Record<string, ParameterValue>): void => {
    const { parameter: p } = node;
    let position = 0;
    let offset = 0;
    for (const block of node.blocks) {
      const plain = block.at - position;
      if (r < offset + plain) {
        out[p.name] = p.valueAt(position + r - offset);
        return;
      }
      offset += plain;
      if (r < offset + block.size) {
        out[p.name] = p.valueAt(block.at);
        listPoint(block.children, r - offset, out);
        return;
      }
      offset += block.size;
      position = block.at + 1;
    }
    out[p.name] = p.valueAt(position + r - offset);
  };
  const listPoint = (
    nodes: readonly Node[],
    index: number,
    out: Record<string, ParameterValue>,
  ) => {
    let rest = index;
    for (let i = nodes.length - 1; i >= 0; i -= 1) {
      const node = nodes[i] as Node;
      nodePoint(node, rest % node.size, out);
      rest = Math.floor(rest / node.size);
    }
  };
  return {
    parameters,
    fields,
    conditions,
    size: product(roots),
    pointAt: (index) => {
      const out: Record<string, ParameterValue> = {};
      listPoint(roots, index, out);
      return out;
    },
  };
};
