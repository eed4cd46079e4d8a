import { tf } from '@stratus/bundle';
import { StratusError, coerceError } from '@stratus/spec';
import type { Storage } from '@stratus/storage';

/** What a trial records per epoch; restored with the weights so a resumed trial reports a full history. */
export type EpochHistory = Array<{ epoch: number; metrics: Record<string, number> }>;

export interface CheckpointState {
  /** Number of completed epochs. */
  readonly epoch: number;
  readonly history: EpochHistory;
}

interface CheckpointJson extends CheckpointState {
  readonly version: 1;
  readonly modelWeights: tf.io.WeightsManifestEntry[];
  readonly optimizerWeights: tf.io.WeightsManifestEntry[];
  readonly bytes: number;
  readonly createTime: string;
}

const DIR_PATTERN = /epoch-(\d{6})\/$/;
const dirName = (epoch: number): string => `epoch-${String(epoch).padStart(6, '0')}`;

/**
 * Checkpoints of one trial under `{trialDir}/checkpoints/epoch-NNNNNN/`:
 * `weights.bin` (model then optimizer weights) and `checkpoint.json`, written
 * last, which marks the checkpoint complete. Older checkpoints beyond `keep`
 * are deleted.
 */
export class CheckpointStore {
  readonly root: string;

  constructor(
    private readonly storage: Storage,
    trialDir: string,
    private readonly keep = 2,
  ) {
    this.root = `${trialDir.replace(/\/+$/, '')}/checkpoints/`;
  }

  /** Save model weights, optimizer state and the epoch history. */
  async save(model: tf.LayersModel, state: CheckpointState): Promise<void> {
    const modelTensors = model.getWeights().map((tensor, index) => ({ name: `w${index}`, tensor }));
    const optimizerTensors = await model.optimizer.getWeights();
    const encodedModel = await tf.io.encodeWeights(modelTensors);
    const encodedOptimizer = await tf.io.encodeWeights(optimizerTensors);
    const data = tf.io.concatenateArrayBuffers([
      encodedModel.data as ArrayBuffer,
      encodedOptimizer.data as ArrayBuffer,
    ]);
    const dir = `${this.root}${dirName(state.epoch)}/`;
    await this.storage.write(`${dir}weights.bin`, new Uint8Array(data));
    const json: CheckpointJson = {
      version: 1,
      epoch: state.epoch,
      history: state.history,
      modelWeights: encodedModel.specs,
      optimizerWeights: encodedOptimizer.specs,
      bytes: data.byteLength,
      createTime: new Date().toISOString(),
    };
    await this.storage.write(`${dir}checkpoint.json`, JSON.stringify(json));
    await this.prune();
  }

  /**
   * Restore the newest complete checkpoint into `model` (already built and
   * compiled). Returns its state, or undefined when there is none. A damaged
   * checkpoint is skipped in favour of an older one; `onSkip` hears why.
   */
  async restoreLatest(
    model: tf.LayersModel,
    onSkip: (uri: string, reason: string) => void = () => undefined,
  ): Promise<CheckpointState | undefined> {
    for (const epoch of await this.epochs()) {
      const dir = `${this.root}${dirName(epoch)}/`;
      try {
        return await this.restore(model, dir);
      } catch (error) {
        onSkip(dir, coerceError(error).message);
      }
    }
    return undefined;
  }

  /** Completed checkpoint epochs, newest first. */
  async epochs(): Promise<number[]> {
    const epochs: number[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.storage.list(this.root, {
        delimiter: '/',
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      for (const prefix of page.prefixes) {
        const match = DIR_PATTERN.exec(prefix);
        if (match?.[1] !== undefined) epochs.push(Number(match[1]));
      }
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    return epochs.sort((a, b) => b - a);
  }

  private async restore(model: tf.LayersModel, dir: string): Promise<CheckpointState> {
    const invalid = (detail: string): StratusError =>
      new StratusError('CHECKPOINT_INVALID', { uri: dir, detail });
    if (!(await this.storage.exists(`${dir}checkpoint.json`))) throw invalid('incomplete');
    const json = JSON.parse((await this.storage.read(`${dir}checkpoint.json`)).toString('utf8')) as
      CheckpointJson | undefined;
    if (json?.version !== 1) throw invalid('unknown checkpoint version');
    // Checked on checkpoint.json alone, before weights.bin is read or a tensor decoded.
    const declared = specParams(json.modelWeights);
    if (declared !== model.countParams()) {
      throw invalid(
        `checkpoint.json declares ${declared} model parameters but the model has ${model.countParams()}`,
      );
    }
    // Optimizer slots: at most three per weight (RMSprop centered) plus scalars (iterations).
    if (specParams(json.optimizerWeights) > 3 * declared + json.optimizerWeights.length) {
      throw invalid('checkpoint.json declares more optimizer state than the model can have');
    }
    const stored = (await this.storage.stat(`${dir}weights.bin`)).size;
    const described = specBytes(json.modelWeights) + specBytes(json.optimizerWeights);
    if (stored !== json.bytes || json.bytes !== described) {
      throw invalid(`weights.bin has ${stored} bytes, expected ${described}`);
    }
    const buffer = await this.storage.read(`${dir}weights.bin`);
    if (buffer.byteLength !== json.bytes) {
      throw invalid(`weights.bin has ${buffer.byteLength} bytes, expected ${json.bytes}`);
    }
    const data = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const modelBytes = specBytes(json.modelWeights);
    const modelMap = tf.io.decodeWeights(
      data.slice(0, modelBytes) as ArrayBuffer,
      json.modelWeights,
    );
    const optimizerMap = tf.io.decodeWeights(
      data.slice(modelBytes) as ArrayBuffer,
      json.optimizerWeights,
    );
    const modelTensors = json.modelWeights.map((spec) => modelMap[spec.name] as tf.Tensor);
    const current = model.getWeights();
    if (
      modelTensors.length !== current.length ||
      modelTensors.some((tensor, i) => !tf.util.arraysEqual(tensor.shape, current[i]?.shape ?? []))
    ) {
      tf.dispose([...modelTensors, ...Object.values(optimizerMap)]);
      throw invalid('weights do not match the model architecture');
    }
    model.setWeights(modelTensors);
    await model.optimizer.setWeights(
      json.optimizerWeights.map((spec) => ({
        name: spec.name,
        tensor: optimizerMap[spec.name] as tf.Tensor,
      })),
    );
    tf.dispose([...modelTensors, ...Object.values(optimizerMap)]);
    return { epoch: json.epoch, history: json.history };
  }

  private async prune(): Promise<void> {
    const old = (await this.epochs()).slice(this.keep);
    for (const epoch of old) {
      for await (const object of this.storage.listAll(`${this.root}${dirName(epoch)}/`)) {
        await this.storage.delete(object.uri);
      }
    }
  }
}

function specParams(specs: readonly tf.io.WeightsManifestEntry[]): number {
  return specs.reduce(
    (total, spec) => total + spec.shape.reduce((product, dim) => product * dim, 1),
    0,
  );
}

function specBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((total, spec) => {
    const size = spec.shape.reduce((product, dim) => product * dim, 1);
    return total + size * (spec.dtype === 'bool' ? 1 : 4);
  }, 0);
}
