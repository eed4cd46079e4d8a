import type { Command, Option } from 'commander';
import { examplesOf } from '../command-kit.js';
import { CLI_DOCS_INTRO, CLI_DOCS_NOTES } from './docs-prose.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

const optionRow = (option: Option): string => {
  const extras: string[] = [];
  if (option.mandatory) extras.push('required');
  if (option.argChoices !== undefined) extras.push(`one of ${option.argChoices.join(', ')}`);
  if (option.defaultValue !== undefined)
    extras.push(`default ${JSON.stringify(option.defaultValue)}`);
  const more = extras.length === 0 ? '' : ` (${extras.join('; ')})`;
  return `| \`${cell(option.flags)}\` | ${cell(option.description)}${more} |`;
};

const leaves = (command: Command, path: string[]): Array<{ command: Command; path: string[] }> => {
  const subcommands = command.commands.filter((sub) => sub.name() !== 'help');
  if (subcommands.length === 0) return [{ command, path }];
  return subcommands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
};

const section = (command: Command, path: readonly string[]): string[] => {
  const usage = `stratus ${path.join(' ')} ${command.usage()}`.trim();
  const lines = [
    `### stratus ${path.join(' ')}`,
    '',
    command.description(),
    '',
    '```',
    usage,
    '```',
    '',
  ];
  const options = command.options.filter((option) => !option.hidden);
  if (options.length > 0)
    lines.push('| flag | meaning |', '|---|---|', ...options.map(optionRow), '');
  const examples = examplesOf(command);
  if (examples.length > 0) lines.push('```sh', ...examples, '```', '');
  return lines;
};

/**
 * docs/cli.md, generated from the command definitions: global flags, then
 * every command with its usage, flags and paste-able examples.
 */
export const renderCliDocs = (program: Command): string => {
  const groups = new Map<string, Array<{ command: Command; path: string[] }>>();
  for (const leaf of leaves(program, [])) {
    const group = leaf.path[0] ?? '';
    groups.set(group, [...(groups.get(group) ?? []), leaf]);
  }
  const lines = [
    CLI_DOCS_INTRO,
    '## Global flags',
    '',
    '| flag | meaning |',
    '|---|---|',
    ...program.options.map(optionRow),
    '',
  ];
  for (const [group, members] of groups) {
    const groupCommand = program.commands.find((command) => command.name() === group);
    lines.push(`## ${group}`, '');
    if (groupCommand !== undefined && members.length > 1)
      lines.push(groupCommand.description(), '');
    for (const member of members) lines.push(...section(member.command, member.path));
  }
  lines.push(CLI_DOCS_NOTES);
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
};
