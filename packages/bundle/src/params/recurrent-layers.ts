import {
  TopologyProblem,
  count,
  flag,
  isRecord,
  known,
  knownShape,
  type LayerConfig,
  type MaybeShape,
  type Shape,
} from './layer-config.js';
import type { LayerRule } from './layer-rule.js';

/** Gates per cell kind, and state tensors it carries. */
const CELLS: Readonly<Record<string, { gates: number; states: number }>> = {
  SimpleRNNCell: { gates: 1, states: 1 },
  GRUCell: { gates: 3, states: 1 },
  LSTMCell: { gates: 4, states: 2 },
};

/** Weights of one cell fed `fanIn` features: kernel, recurrent kernel and bias per gate. */
const cellParams = (kind: string, config: LayerConfig, fanIn: number): number => {
  const cell = CELLS[kind];
  if (cell === undefined) throw new TopologyProblem(`unknown recurrent cell ${kind}`);
  const units = count(config, 'units');
  // Keras's GRU with reset_after keeps a second bias; tfjs's GRU has one.
  const biases = kind === 'GRUCell' && flag(config, 'reset_after', false) ? 2 : 1;
  const bias = flag(config, 'use_bias', true) ? cell.gates * units * biases : 0;
  return cell.gates * (fanIn * units + units * units) + bias;
};

interface CellSpec {
  readonly kind: string;
  readonly config: LayerConfig;
}

/** The cells a generic `RNN` layer runs: one cell, a list, or StackedRNNCells. */
const cellsOf = (raw: unknown): CellSpec[] => {
  if (Array.isArray(raw)) return raw.flatMap(cellsOf);
  if (!isRecord(raw) || typeof raw.class_name !== 'string' || !isRecord(raw.config)) {
    throw new TopologyProblem('cell must be a {class_name, config} object');
  }
  if (raw.class_name === 'StackedRNNCells') return cellsOf(raw.config.cells);
  return [{ kind: raw.class_name, config: raw.config }];
};

/** Count a stack of cells over a [batch, time, features] input and shape the layer's outputs. */
const runCells = (config: LayerConfig, input: MaybeShape, cells: readonly CellSpec[]) => {
  const shape = knownShape(input);
  if (shape.length !== 3) {
    throw new TopologyProblem(`expects a [batch, time, features] input, got [${shape.join(', ')}]`);
  }
  let fanIn = known(shape[2], 'feature count');
  let params = 0;
  const states: Shape[] = [];
  for (const cell of cells) {
    params += cellParams(cell.kind, cell.config, fanIn);
    fanIn = count(cell.config, 'units');
    const carried = CELLS[cell.kind]?.states ?? 1;
    for (let i = 0; i < carried; i += 1) states.push([shape[0] ?? null, fanIn]);
  }
  const sequence: Shape = flag(config, 'return_sequences', false)
    ? [shape[0] ?? null, shape[1] ?? null, fanIn]
    : [shape[0] ?? null, fanIn];
  return {
    params,
    outputs: flag(config, 'return_state', false) ? [sequence, ...states] : [sequence],
  };
};

const layer =
  (cellKind: string): LayerRule =>
  (config, [input]) =>
    runCells(config, input, [{ kind: cellKind, config }]);

const rnn: LayerRule = (config, [input]) => runCells(config, input, cellsOf(config.cell));

/** SimpleRNN, GRU, LSTM and the generic RNN over cells. */
export const RECURRENT_RULES: Readonly<Record<string, LayerRule>> = {
  SimpleRNN: layer('SimpleRNNCell'),
  GRU: layer('GRUCell'),
  LSTM: layer('LSTMCell'),
  RNN: rnn,
};
