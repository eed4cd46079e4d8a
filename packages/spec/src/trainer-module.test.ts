import { describe, expect, it } from 'vitest';
import { trainerModuleCandidates, trainerModuleProblem } from './trainer-module.js';

describe('trainerModuleCandidates', () => {
  it('tries a dotted name as .mjs, .js, .cjs, then as given', () => {
    expect(trainerModuleCandidates('trainer.task')).toEqual([
      'trainer/task.mjs',
      'trainer/task.js',
      'trainer/task.cjs',
      'trainer.task',
    ]);
    expect(trainerModuleCandidates('task')).toEqual(['task.mjs', 'task.js', 'task.cjs', 'task']);
  });

  it('takes a file path as it is', () => {
    expect(trainerModuleCandidates('trainer/task.mjs')).toEqual(['trainer/task.mjs']);
    expect(trainerModuleCandidates('main.js')).toEqual(['main.js']);
    expect(trainerModuleCandidates('bin/train')).toEqual(['bin/train']);
  });
});

describe('trainerModuleProblem', () => {
  it.each(['trainer.task', 'task', 'my_pkg.sub-mod.task', 'trainer/task.mjs', 'main.cjs'])(
    'accepts %s',
    (name) => {
      expect(trainerModuleProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['trainer..task', 'must be a dotted module name'],
    ['.task', 'must be a dotted module name'],
    ['trainer task', 'must be a dotted module name'],
    ['/abs/task.js', 'must be a path relative to the package root'],
    ['a\\b.js', 'backslashes'],
    ['a/../b.js', 'must not contain'],
  ])('refuses %j: %s', (name, problem) => {
    expect(trainerModuleProblem(name)).toContain(problem);
  });
});
