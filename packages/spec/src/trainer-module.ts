/** A dotted module name as gcloud's `--module-name` takes it: `trainer.task`. */
const DOTTED_NAME = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;

/** A JavaScript file a trainer module may be. */
const SCRIPT_FILE = /\.(mjs|js|cjs)$/;

/** The extensions a dotted module name is tried with, in order. */
export const TRAINER_MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs'] as const;

/** Whether a module name is a file path (has a `/` or ends in .mjs/.js/.cjs), not a dotted name. */
const isFilePath = (name: string): boolean => name.includes('/') || SCRIPT_FILE.test(name);

/**
 * The files (relative to the package root) a trainer module may mean, in the
 * order the worker tries them: a file path as given; a dotted name's path
 * with each extension (`trainer.task` → `trainer/task.mjs`, `trainer/task.js`,
 * `trainer/task.cjs`), then the name itself as a file.
 */
export const trainerModuleCandidates = (name: string): string[] => {
  if (isFilePath(name) || !DOTTED_NAME.test(name)) return [name];
  const base = name.split('.').join('/');
  return [...TRAINER_MODULE_EXTENSIONS.map((ext) => `${base}${ext}`), name];
};

/** What is wrong with a trainer module name or path, or undefined. */
export const trainerModuleProblem = (module: string): string | undefined => {
  if (module.length === 0) return 'must not be empty';
  if (!isFilePath(module)) {
    return DOTTED_NAME.test(module)
      ? undefined
      : 'must be a dotted module name such as trainer.task, or a file path relative to the package root';
  }
  if (module.startsWith('/') || /^[A-Za-z]:/.test(module)) {
    return 'must be a path relative to the package root';
  }
  if (module.includes('\\')) return 'must use "/" separators, not backslashes';
  if (module.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    return 'must not contain ".", ".." or empty path segments';
  }
  return undefined;
};
