import type { Command } from 'commander';

/** The command the words of argv name, and where its own words start. */
export interface CommandPath {
  readonly command: Command;
  /** `stratus.versions.create`, as error lines name it. */
  readonly id: string;
  /** Index in argv just after the last command word. */
  readonly end: number;
}

/** Whether `word` is an option of `command` or an ancestor that takes a value (`--format json`). */
const takesValue = (command: Command, word: string): boolean => {
  for (let current: Command | null = command; current !== null; current = current.parent) {
    const option = current.options.find((o) => o.long === word || o.short === word);
    if (option !== undefined) return option.required || option.optional;
  }
  return false;
};

/** The deepest command the non-option words of argv name (skipping option values). */
export const commandPathOf = (program: Command, argv: readonly string[]): CommandPath => {
  const names = [program.name()];
  let current = program;
  let end = 0;
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] ?? '';
    if (word === '--') break;
    if (word.startsWith('-')) {
      if (!word.includes('=') && takesValue(current, word)) index += 1;
      continue;
    }
    const next = current.commands.find((command) => command.name() === word);
    if (next === undefined) break;
    names.push(word);
    current = next;
    end = index + 1;
  }
  return { command: current, id: names.join('.'), end };
};

/**
 * `stratus predict --version v2` means the model version, not the CLI's:
 * commander hands every word to the program first, whose `--version` would
 * print the CLI version. After the words of a command that declares its own
 * `--version <v>`, the flag and its value are joined (`--version=v2`), which
 * only that command reads.
 */
export const protectOwnVersionFlag = (program: Command, argv: readonly string[]): string[] => {
  const { command, end } = commandPathOf(program, argv);
  const words = [...argv];
  if (command === program || !command.options.some((o) => o.long === '--version')) return words;
  for (let index = end; index < words.length; index += 1) {
    if (words[index] === '--') break;
    if (words[index] !== '--version') continue;
    const value = words[index + 1];
    const hasValue = value !== undefined && value !== '--';
    words.splice(index, hasValue ? 2 : 1, `--version=${hasValue ? value : ''}`);
  }
  return words;
};
