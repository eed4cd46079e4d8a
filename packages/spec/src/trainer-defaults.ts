/**
 * What a custom trainer may use unless configured otherwise: the defaults of
 * config's `STRATUS_TRAINER_HEAP_MB`, `_MEMORY_MB`, `_DISK_MB`, `_MAX_PROCESSES`
 * and `_MAX_RUNNING_SECONDS` (docs/operations.md), and what the trainer uses
 * when it runs without config (the CLI's local runs, tests). Defined once, here.
 */
export const TRAINER_DEFAULTS = Object.freeze({
  /** V8 heap limit of the trainer's Node process, in MiB. */
  heapMb: 4096,
  /** Its address space (RLIMIT_DATA), in MiB. */
  memoryMb: 8192,
  /** Its work dir's total, its largest file and its staged inputs', in MiB. */
  diskMb: 4096,
  /** Processes and threads (RLIMIT_NPROC). */
  maxProcesses: 256,
  /** How long a trial may run when its job sets no `maxRunningTime`. */
  maxRunningSeconds: 86_400,
});
