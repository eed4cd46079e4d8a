/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** A build stage: its FROM line and instructions. */
export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults. */
  readonly globalArgs: ReadonlyMap<string, string>;
  readonly stages: readonly Stage[];
  /** The leading comment block. */
  readonly header: string;
}

export const parseDockerfile = (text: string): Dockerfile => {
  const header = /^(?:#[^\n]*\n)+/.exec(text)?.[0] ?? '';
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const globalArgs = new Map<string, string>();
  const stages: Array<{ from: string; name: string | undefined; instructions: Instruction[] }> = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: match?.[1] ?? args, name: match?.[2], instructions: [] });
    } else if (stages.length === 0) {
      if (upper !== 'ARG') throw new Error(`${keyword} before the first FROM`);
      const [name = '', value = ''] = args.split('=');
      globalArgs.set(name, value);
    } else {
      stages[stages.length - 1]?.instructions.push({ keyword: upper, args });
    }
  }
  return { globalArgs, stages, header };
};

/** The stages `stage` builds on (its FROM chain), itself first. */
export const stageChain = (file: Dockerfile, stage: Stage): Stage[] => {
  const parent = file.stages.find((s) => s.name === stage.from);
  return parent === undefined ? [stage] : [stage, ...stageChain(file, parent)];
};

/** `ENV A=1 B=2` instructions of `stages`, merged. */
export const envOf = (stages: readonly Stage[]): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const stage of [...stages].reverse()) {
    for (const { keyword, args } of stage.instructions) {
      if (keyword !== 'ENV') continue;
      for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S*)/g)) {
        env[match[1] ?? ''] = match[2] ?? '';
      }
    }
  }
  return env;
};

/** The single instruction `keyword` in `stages` (the nearest one wins), as JSON when exec form. */
export const lastInstruction = (stages: readonly Stage[], keyword: string): string | undefined => {
  for (const stage of stages) {
    const found = stage.instructions.filter((i) => i.keyword === keyword).at(-1);
    if (found !== undefined) return found.args;
  }
  return undefined;
};

export const runCommands = (stage: Stage): string =>
  stage.instructions
    .filter((i) => i.keyword === 'RUN')
    .map((i) => i.args)
    .join('\n');
