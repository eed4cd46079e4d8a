/** The hand-written part of docs/cli.md above the generated command reference. */
export const CLI_DOCS_INTRO = `# \`stratus\` CLI reference

<!-- Generated from packages/cli/src/commands and packages/cli/src/docs/docs-prose.ts by
     \`npm run docs -w @stratus/cli\`. A test fails when this file is stale: edit those, not this. -->

\`stratus\` is shaped like \`gcloud ai-platform\`: the same command names, flags, \`--config\` file
and \`--format\` projections, so a Cloud ML Engine user can paste what they know. It talks to a Stratus
API server through \`@stratus/client\`; \`stratus local\` and \`stratus storage\` work without one.

## Install and start

\`\`\`sh
npm ci && npm run build
npx stratus --help                   # inside the repository
npm install -g ./packages/cli        # or put \`stratus\` on your PATH (links the built package)
stratus serve                        # all-in-one server; points this CLI at it (config file below)
source <(stratus completion bash)    # tab completion (zsh: source <(stratus completion zsh))
\`\`\`

## Configuration

| setting | config file key | environment | flag | default |
|---|---|---|---|---|
| API server | \`api-url\` | \`STRATUS_API_URL\` | \`--api-url\` | \`http://127.0.0.1:8080\` |
| project | \`project\` | \`STRATUS_PROJECT\` | \`--project\` | \`default\` |
| bearer token | \`token\` | \`STRATUS_TOKEN\` | — | none |

The config file is \`$XDG_CONFIG_HOME/stratus/config.json\` (\`~/.config/stratus/config.json\` when
\`XDG_CONFIG_HOME\` is unset), mode 0600 because it holds the token. A value in the environment
overrides the file; a flag overrides both. \`stratus serve\` writes \`api-url\`, \`project\` and the
admin \`token\` on start, so the CLI works at once. \`stratus config list\` shows each value and where
it came from.

\`stratus storage\`, \`stratus local\` and \`--package-path\` use the storage the *CLI's* environment
names, read the same way the server reads it (\`@stratus/config\`): \`STRATUS_STORAGE=local\` (the
default) means \`$STRATUS_HOME/buckets/<bucket>/\` on this machine, the same directories an all-in-one
server on this machine uses; \`STRATUS_STORAGE=gcs\` means Google Cloud Storage with Application
Default Credentials (or \`STORAGE_EMULATOR_HOST\`), which a remote server on the same bucket reads.

## Output and exit codes

- \`--format json|yaml|table|table(FIELD,...)|value(FIELD,...)|csv(FIELD,...)\` on every command
  that prints resources. Fields are paths such as \`jobId\`, \`labels.team\`,
  \`trainingOutput.bestTrialId\`, \`trainingOutput.trials[0].state\`; \`value(...)\` prints them
  tab-separated, one resource a line; \`csv(...)\` prints a heading of the field names, then one
  line per resource, a field quoted (\`"\`, inner quotes doubled) when it holds a comma, a quote or a
  line break (RFC 4180); \`csv[no-heading](...)\` leaves the heading out. Lists in YAML are
  separate documents (\`---\`), as gcloud prints them.
- Lists (\`jobs list\`, \`models list\`, \`versions list\`) take gcloud's list flags, applied in
  gcloud's order: \`--filter\` is sent to the server; \`--sort-by FIELD\` (a comma list or repeated,
  \`~FIELD\` descending; resources without the field last) sorts what came back; \`--limit N\` then
  keeps the first N — without \`--sort-by\` the CLI stops fetching pages once it has N, with it every
  page is read first. \`--page-size N\` sets the resources fetched per request. \`--uri\` prints each
  resource's REST URL (\`API_URL/v1/projects/P/models/M\`), one a line, instead of the resources.
  \`auth tokens list\` and \`storage ls-buckets\` (one answer, no paging) take \`--sort-by\` and
  \`--limit\`.
- Defaults: \`describe\` and \`create\` print YAML, \`list\` a table, \`submit\`/\`cancel\` the job id
  and state.
- Tables fit the terminal width (the widest columns are cut with \`…\`); colour only on a terminal
  and never with \`NO_COLOR\` set (\`FORCE_COLOR=1\` forces it).
- Status messages and progress bars go to stderr; \`-q/--quiet\` silences them. Resources go to stdout.
- Destructive commands (\`jobs cancel\`, \`models delete\`, \`versions delete\`, \`auth tokens
  revoke\`) say what they will do and ask \`Do you want to continue (Y/n)?\` on stderr when stdin is a
  terminal, as gcloud does: Enter, \`y\` or end of input continue; \`n\` stops with
  \`ERROR: (stratus.models.delete) Aborted by user.\` and exit code 1, before anything is changed.
  \`-q/--quiet\` disables prompts (the default answer, continue, is taken), and so does a stdin that is
  not a terminal (scripts, pipes, CI), so nothing waits for an answer nobody can give.
- Errors are one line: \`ERROR: (stratus.jobs.describe) JOB_NOT_FOUND: Job "projects/demo/jobs/x" not
  found\` — the API's reason code and message (one more line per field for invalid jobs), never a
  stack trace.
- Exit codes: \`0\` success, \`1\` an error (API error, invalid job, unreadable or invalid \`--config\`,
  server down, a followed job that did not succeed), \`2\` usage (unknown flag or command, missing
  argument, bad flag value), \`130\` interrupted while following a job or waiting for a version.
`;

/** The hand-written notes after the command reference. */
export const CLI_DOCS_NOTES = `## How some commands behave

### \`jobs submit training\`

The job is assembled from \`--config\` (YAML or JSON: a Job-shaped \`{trainingInput: {...}, labels:
{...}}\` or the \`trainingInput\` alone, as gcloud's \`--config\`), then each flag overrides its field:
\`--job-dir\` → \`jobDir\`, \`--module-name\` → \`pythonModule\` (dotted, \`trainer.task\`, or a file
path; it replaces a \`module\` in the file), \`--packages\` → \`packageUris\`, \`--scale-tier\` →
\`scaleTier\`, \`--master-machine-type\` → \`masterType\`, \`--master-accelerator\` →
\`masterConfig.acceleratorConfig\`, \`--runtime-version\` → \`runtimeVersion\`, \`--python-version\` →
\`pythonVersion\`, \`--region\` → \`region\`, the built-in flags → \`builtinAlgorithm.*\`, \`--labels\`
merge into the file's labels, and \`-- USER_ARGS\` replace \`args\`. When neither the file nor
\`--job-dir\` sets \`jobDir\`, \`--staging-bucket gs://B\` sets it to \`gs://B/JOB\`; with neither, the
server's default applies (\`gs://<project>-stratus-staging/jobs/JOB\`, docs/api.md). A job config
written for Cloud ML (\`trainingInput:\` with \`pythonModule\`, \`packageUris\`, \`runtimeVersion\`, …)
is taken unchanged; the fields Stratus refuses are listed in docs/api.md. Hyperparameter tuning
is configured in the file (\`trainingInput.hyperparameters\`). The job is validated with the
API's own validator before anything is uploaded or sent, so an invalid job fails with the API's
\`INVALID_JOB_SPEC\` message and every field path, exit 1.

\`--package-path DIR\` runs \`npm pack --json --pack-destination <tmp>\` in DIR (so \`files\`,
\`.npmignore\`, \`bundleDependencies\` and a \`prepack\` script apply), uploads the tarball to
\`{jobDir}/packages/<name>-<version>.tgz\` through the CLI's storage (above), and puts that URI first
in \`packageUris\`; it needs a \`jobDir\` (the file's, \`--job-dir\` or \`--staging-bucket\`). The API
never receives files: for a remote server the CLI and the server must share the bucket (GCS),
exactly as \`gcloud\` uploads to GCS before calling the API.

\`--stream-logs\` follows the job's log and metric streams (SSE; a dropped connection resumes where
it stopped) and prints one line per log entry and one per trial epoch
(\`METRIC  trial 2: epoch 7: loss=0.31 accuracy=0.9 …\`) until the job ends; the exit code is 0 only
if it SUCCEEDED. Without it (or with \`--async\`) the command returns once the job is queued. With
\`--format json\` the stream is printed as one JSON object a line (\`{"type": "log"|"metric", ...}\`).

### \`jobs submit prediction\`

A batch prediction job (the API's \`predictionInput\`, see the API reference): \`--model M\` runs
the model's default version (\`modelName\`), \`--model M --version V\` that version (\`versionName\`),
and \`--model-dir gs://…\` a model bundle that is not deployed (\`uri\`; not with \`--model\`). The
project is the CLI's \`--project\`. \`--input-paths\` is a comma list of \`gs://\` objects (\`*\` matches
within a path segment; quote it from the shell), \`--output-path\` the \`gs://\` folder for
\`prediction.results-NNNNN-of-NNNNN\` and \`prediction.errors_stats-NNNNN-of-NNNNN\`. \`--data-format\`
and \`--output-data-format\` take the API's words in any case (\`json\`, \`CSV\`). The other flags set
\`batchSize\`, \`maxWorkerCount\`, \`signatureName\`, \`runtimeVersion\`, \`keyField\`, \`resume\` and
\`maxErrorRate\`. The job is checked with the API's own validator before anything is sent; a problem
is a usage error (exit 2) naming the flag in the API's words, e.g. \`ERROR: (stratus.jobs.submit.prediction)
--data-format: TF_RECORD is not supported; use JSON (JSON Lines), TEXT or CSV\`. What needs the server
(the inputs match objects, the output folder holds no results unless \`--resume\`, the model exists
and is READY) is checked when it is submitted: an \`INVALID_JOB_SPEC\` error naming the field, exit 1.

\`--stream-logs\` (and \`jobs stream-logs JOB\` on a prediction job) reads the job every half second
and shows its \`predictionOutput\`: \`RUNNING 2250/5000 rows (45%) 1834 rows/s, shards 1/3, 1490
predictions, 0 errors\`. On a terminal that is one bar redrawn in place; elsewhere a line each time
the state or a count changes (not rows/s alone); with \`--format json\` one \`{"type": "progress", "state", "processed", "total",
"rowsPerSecond", "completedShards", "shards", "predictions", "errors"}\` object a line. It ends with
\`Job [score_1] SUCCEEDED; output: gs://demo/batch/out/ (4990 predictions, 10 errors).\` and exit 0,
or the error line and exit 1 (after \`Output so far: …\`). \`jobs describe JOB --summarize\` prints the
same overview once; \`jobs list\` shows each job's TYPE (\`training\` or \`batch prediction\`).

### \`local train\` and \`local predict\`

These run \`@stratus/trainer\` (\`local train\`) and \`@stratus/bundle\` (\`local predict\`) in the CLI's
process (custom trainers in a child process, as a worker runs them): no server, no Redis. Local paths are accepted wherever a \`gs://\` URI is: the files
(or directories, e.g. an image folder or a model bundle) are copied into a scratch bucket
\`gs://stratus-local/\` in a temp directory that is deleted afterwards; \`gs://\` URIs are read from the
configured storage. A local \`--job-dir\` (or a new temp directory, printed, when it is omitted)
receives the checkpoints and \`model/\`; a \`gs://\` job dir is written to the configured storage.
Messages and errors name your local paths, not the scratch bucket. The trial's hyperparameters
(what a tuner would set) come from \`--hyperparameters k=v,...\`; the \`hyperparameters\` block of a
config file is not searched locally.

\`local predict\` reads newline-delimited JSON instances (\`--json-instances FILE\`, \`-\` for stdin;
blank lines skipped) or a \`{"instances": [...]}\` body (\`--json-request\`), and prints a table of
predictions (\`--format json\` prints the API's \`{"predictions": [...]}\`).

### \`storage cp\` and \`storage ls\`

\`cp\` copies local→\`gs://\`, \`gs://\`→local and \`gs://\`→\`gs://\`. A destination ending in \`/\` (or an
existing local directory) receives the source under its own name. With \`-r\`, SRC is copied into
\`DST/<name of SRC>/\`, like \`cp -r\`; a SRC ending in \`/\` copies its contents into DST, like rsync.
Downloads are written beside the target and renamed into place. A transfer of 4 MiB or more draws a
progress bar on a terminal. \`ls\` lists one level (folders end in \`/\`) or, with \`-r\`, every object;
\`-l\` adds size and update time; it exits 1 when nothing matches.

### Buckets belong to projects

A bucket belongs to the first project that uses it (see the API reference). \`storage mb gs://B\`
claims it for \`--project\` (a no-op for its owner; \`PERMISSION_DENIED\`, exit 1, when another
project owns it). \`storage ls-buckets\` lists the project's buckets with their grants, then the
buckets other projects granted it. \`storage grant gs://B --grantee P --role READER|WRITER\` lets
project P read (READER) or read and write (WRITER) a bucket you own; \`storage revoke gs://B
--grantee P\` takes that back (the grantee flag is \`--grantee\` because \`--project\` is the global
flag naming the project you act for). \`storage cp\` first makes sure the project may use each
\`gs://\` bucket it names (owned, or granted READER for a source and WRITER for a destination),
claiming a fresh one through the API; a bucket of another project is refused with the API's 403
and nothing is copied. When no API server answers (the offline \`local\` workflow), \`cp\` copies
anyway and says the bucket was not claimed; the first job or version that names it claims it.

### \`models\`, \`versions\` and \`predict\`

\`versions create V --model M\` deploys either a model bundle (\`--origin gs://…/model\`, a directory
with \`model.json\`, or with \`model.onnx\` and \`--framework onnx\` for a model exported to ONNX) or what a training job trained (\`--from-job JOB\`: its best trial, or
\`--trial N\` of a tuning job). It then waits until a predictor has loaded and warmed the version:
a spinner on a terminal (one \`Creating version […]…\` line otherwise), then the READY version
(YAML by default) and exit 0. If the version ends FAILED (a missing or invalid bundle), it prints
the reason and message (\`ERROR: (stratus.versions.create) BUNDLE_INVALID: Model bundle … is invalid:
…\`) and exits 1. \`--async\` prints the CREATE_VERSION operation at once instead;
\`versions describe\` shows the state later. \`--timeout\` (seconds, default 600) bounds the wait;
Ctrl-C stops waiting (exit 130) but not the deployment. The first version of a model becomes its
default; \`versions set-default\` switches to another READY one. \`models delete\` is refused while
the model has versions, and the default version can only be deleted last.

\`predict --model M [--version V]\` sends \`--json-instances\` (newline-delimited JSON, \`-\` for
stdin) or a \`--json-request\` body to the model's \`:predict\` (its default version unless
\`--version\`) and prints the predictions as \`local predict\` does: for built-in classifiers a
table of \`LABEL\` and \`PROBABILITIES\`, \`--format json\` for the API's \`{"predictions": [...]}\`.
\`--api-url\` may name a standalone predictor (\`stratus predictor\`) as well as the API server.

### \`serve\`, \`worker\`, \`predictor\` and \`api\`

\`serve\` is the all-in-one server (API with the predictor mounted, a worker child, Redis found or
started). For deployments that scale each part, \`api\` runs the REST API alone (no worker, no
predictor; trials are queued in Redis), \`worker\` runs trials and \`predictor\` serves the deployed
versions (Cloud ML, TF Serving and KServe v2 paths); they share \`REDIS_URL\`,
\`STRATUS_REDIS_PREFIX\` and the storage settings, and read the rest of their configuration from the
environment (\`docs/operations.md\`). Each prints the URL it listens on and stops cleanly on Ctrl-C or
SIGTERM (open log streams end; queued predictions get 503 while running model calls finish).
`;
