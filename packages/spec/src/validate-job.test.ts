import { describe, expect, it } from 'vitest';
import { thrown } from './errors.test-support.js';
import { JobSchema } from './job.js';
import {
  customPackageJob as C,
  designExampleJob as D,
  designExampleJobOutput,
  edited,
  expectViolations,
  imageJob,
  plainJob as P,
  type InvalidCase,
} from './jobs.test-support.js';
import { assertValidJobInput, validateJobInput } from './validate-job.js';
import { schemaViolations } from './validate-schema.js';

const HP = 'trainingInput.hyperparameters';
const TI = 'trainingInput';
const SCALES =
  'Stratus runs each trial as one process with one training thread and scales with parallel trials';

/** Cloud ML fields Stratus refuses, each with the reason in its message. */
const CLOUD_ML_REFUSALS: InvalidCase[] = [
  [
    'pythonModule and module that differ',
    edited(C, (j) => {
      j.trainingInput.pythonModule = 'trainer.task';
    }),
    [[`${TI}.module`, 'is an alias of pythonModule and differs from it']],
  ],
  [
    'pythonModule that is not a module name',
    edited(C, (j) => {
      delete j.trainingInput.module;
      j.trainingInput.pythonModule = 'trainer..task';
    }),
    [[`${TI}.pythonModule`, 'must be a dotted module name such as trainer.task']],
  ],
  [
    'runtimeVersion 1.15',
    edited(C, (j) => {
      j.trainingInput.runtimeVersion = '1.15';
    }),
    [
      [
        `${TI}.runtimeVersion`,
        'cannot be honoured: Stratus runs the TensorFlow 2.x runtimes on TensorFlow.js; use one of 2.1, 2.2',
      ],
    ],
  ],
  [
    'pythonVersion 2.7',
    edited(C, (j) => {
      j.trainingInput.pythonVersion = '2.7';
    }),
    [[`${TI}.pythonVersion`, 'use 3.7']],
  ],
  [
    'BASIC_TPU',
    edited(P, (j) => {
      j.trainingInput.scaleTier = 'BASIC_TPU';
    }),
    [[`${TI}.scaleTier`, 'BASIC_TPU is not supported: TPUs are not supported']],
  ],
  [
    'a TPU accelerator',
    edited(C, (j) => {
      j.trainingInput.masterConfig.acceleratorConfig.type = 'TPU_V3';
    }),
    [[`${TI}.masterConfig.acceleratorConfig.type`, 'TPUs are not supported']],
  ],
  [
    'a TPU master',
    edited(C, (j) => {
      j.trainingInput.masterType = 'cloud_tpu';
    }),
    [[`${TI}.masterType`, '"cloud_tpu" is not supported: TPUs are not supported']],
  ],
  [
    'a custom container',
    edited(C, (j) => {
      j.trainingInput.masterConfig.imageUri = 'gcr.io/demo/trainer:1';
    }),
    [
      [
        `${TI}.masterConfig.imageUri`,
        'custom containers are not supported: Stratus runs npm packages',
      ],
    ],
  ],
  [
    'workers, parameter servers and evaluators',
    edited(C, (j) => {
      Object.assign(j.trainingInput, {
        workerCount: '4',
        workerType: 'n1-standard-4',
        parameterServerCount: 1,
        evaluatorConfig: {},
      });
    }),
    [
      [`${TI}.workerCount`, SCALES],
      [`${TI}.workerType`, 'hyperparameters.maxParallelTrials'],
      [`${TI}.parameterServerCount`, SCALES],
      [`${TI}.evaluatorConfig`, 'STRATUS_WORKER_CONCURRENCY trials each'],
    ],
  ],
  [
    'a service account, a network and maxWaitTime',
    edited(C, (j) => {
      j.trainingInput.serviceAccount = 'trainer@demo.iam.gserviceaccount.com';
      j.trainingInput.network = 'projects/1/global/networks/default';
      j.trainingInput.scheduling.maxWaitTime = '60s';
    }),
    [
      [`${TI}.network`, 'custom trainers run sandboxed with no network'],
      [`${TI}.serviceAccount`, 'trainers run with no credentials'],
      [`${TI}.scheduling.maxWaitTime`, 'a job waits in its queue'],
    ],
  ],
];

/** A training job config as the Cloud ML reference writes one (REST body). */
const CLOUD_ML_JOB = {
  jobId: 'census_1',
  trainingInput: {
    scaleTier: 'BASIC',
    packageUris: ['gs://demo/packages/trainer-0.1.tgz'],
    pythonModule: 'trainer.task',
    args: ['--train-files', 'gs://demo/data/adult.data.csv', '--num-epochs', '2'],
    region: 'us-central1',
    runtimeVersion: '2.11',
    pythonVersion: '3.7',
  },
};
const BA = 'trainingInput.builtinAlgorithm';

const INVALID: InvalidCase[] = [
  [
    'both trainer kinds',
    edited(D, (j) => {
      Object.assign(j.trainingInput, { packageUris: ['gs://demo/p.tgz'], module: 'main.js' });
    }),
    [[BA, 'set either builtinAlgorithm or packageUris and pythonModule, not both']],
  ],
  [
    'neither trainer kind',
    edited(P, (j) => {
      delete j.trainingInput.builtinAlgorithm;
    }),
    [['trainingInput', 'needs a trainer: builtinAlgorithm, or packageUris and pythonModule']],
  ],
  [
    'custom package without module',
    edited(C, (j) => {
      delete j.trainingInput.module;
    }),
    [['trainingInput.pythonModule', 'is required with packageUris']],
  ],
  [
    'custom package without packageUris',
    edited(C, (j) => {
      delete j.trainingInput.packageUris;
    }),
    [['trainingInput.packageUris', 'must list at least one gs:// package']],
  ],
  [
    'absolute module path',
    edited(C, (j) => {
      j.trainingInput.module = '/etc/passwd';
    }),
    [['trainingInput.module', 'relative to the package root']],
  ],
  [
    'module escaping the package',
    edited(C, (j) => {
      j.trainingInput.module = 'dist/../../x.js';
    }),
    [['trainingInput.module', 'must not contain ".", ".."']],
  ],
  [
    'package that is not a tarball',
    edited(C, (j) => {
      j.trainingInput.packageUris = ['gs://demo/p.zip'];
    }),
    [['trainingInput.packageUris[0]', 'must be a .tgz or .tar.gz package']],
  ],
  [
    'package URI with an empty segment',
    edited(C, (j) => {
      j.trainingInput.packageUris.push('gs://demo//p.tgz');
    }),
    [['trainingInput.packageUris[1]', 'empty path segments']],
  ],
  [
    'jobDir with an upper-case bucket',
    edited(D, (j) => {
      j.trainingInput.jobDir = 'gs://Demo/jobs';
    }),
    [['trainingInput.jobDir', 'bucket name may contain only lowercase letters']],
  ],
  [
    'jobDir with ..',
    edited(D, (j) => {
      j.trainingInput.jobDir = 'gs://demo/jobs/../etc';
    }),
    [['trainingInput.jobDir', 'must not contain ".." path segments']],
  ],
  [
    'jobDir that is a local path',
    edited(P, (j) => {
      j.trainingInput.jobDir = '/tmp/jobs';
    }),
    [['trainingInput.jobDir', 'must start with gs://']],
  ],
  [
    'trainingData with a backslash',
    edited(P, (j) => {
      j.trainingInput.builtinAlgorithm.trainingData = 'gs://demo/data\\..\\x.csv';
    }),
    [[`${BA}.trainingData`, 'must not contain a backslash']],
  ],
  [
    'trainingData with no object',
    edited(P, (j) => {
      j.trainingInput.builtinAlgorithm.trainingData = 'gs://demo/';
    }),
    [[`${BA}.trainingData`, 'must name an object after the bucket']],
  ],
  [
    'validationData with a control character',
    edited(P, (j) => {
      j.trainingInput.builtinAlgorithm.validationData = 'gs://demo/v\u0000.csv';
    }),
    [[`${BA}.validationData`, 'must not contain control characters']],
  ],
  [
    'validationData with validationSplit',
    edited(D, (j) => {
      j.trainingInput.builtinAlgorithm.validationData = 'gs://demo/data/val.csv';
    }),
    [[`${BA}.validationSplit`, 'cannot be combined with validationData']],
  ],
  [
    'validationSplit outside (0,1)',
    edited(D, (j) => {
      j.trainingInput.builtinAlgorithm.validationSplit = 1;
    }),
    [[`${BA}.validationSplit`, 'must be > 0 and < 1 (got 1)']],
  ],
  [
    'epochs 0',
    edited(P, (j) => {
      j.trainingInput.builtinAlgorithm.epochs = 0;
    }),
    [[`${BA}.epochs`, 'must be an integer ≥ 1 and ≤ 100000 (got 0)']],
  ],
  [
    'hiddenUnits on a linear model',
    edited(P, (j) => {
      j.trainingInput.builtinAlgorithm.hiddenUnits = [8];
    }),
    [[`${BA}.hiddenUnits`, 'is not a setting of linear_regressor']],
  ],
  [
    'tabular model without labelColumn',
    edited(P, (j) => {
      delete j.trainingInput.builtinAlgorithm.labelColumn;
    }),
    [[`${BA}.labelColumn`, 'is required for linear_regressor']],
  ],
  [
    'label column among the features',
    edited(P, (j) => {
      j.trainingInput.builtinAlgorithm.featureColumns = ['rooms', 'price'];
    }),
    [[`${BA}.featureColumns[1]`, '"price" is the label column']],
  ],
  [
    'unknown builtin algorithm',
    edited(P, (j) => {
      j.trainingInput.builtinAlgorithm.name = 'xgboost';
    }),
    [[`${BA}.name`, 'must be one of linear_classifier, linear_regressor']],
  ],
  [
    'image size with one entry',
    edited(imageJob, (j) => {
      j.trainingInput.builtinAlgorithm.imageSize = [28];
    }),
    [[`${BA}.imageSize`, 'must have exactly 2 entries (got 1)']],
  ],
  [
    'channels 2',
    edited(imageJob, (j) => {
      j.trainingInput.builtinAlgorithm.channels = 2;
    }),
    [[`${BA}.channels`, 'must be one of 1, 3 (got 2)']],
  ],
  [
    'CUSTOM tier without masterConfig',
    edited(C, (j) => {
      delete j.trainingInput.masterConfig;
    }),
    [['trainingInput.masterConfig', 'scaleTier CUSTOM requires masterConfig']],
  ],
  [
    'masterConfig with BASIC_GPU',
    edited(C, (j) => {
      j.trainingInput.scaleTier = 'BASIC_GPU';
    }),
    [
      [
        'trainingInput.masterConfig',
        'is only allowed with scaleTier CUSTOM (scaleTier is BASIC_GPU)',
      ],
    ],
  ],
  [
    'accelerator count 0',
    edited(C, (j) => {
      j.trainingInput.masterConfig.acceleratorConfig.count = 0;
    }),
    [['trainingInput.masterConfig.acceleratorConfig.count', 'must be at least 1 (got 0)']],
  ],
  [
    'unknown accelerator type',
    edited(C, (j) => {
      j.trainingInput.masterConfig.acceleratorConfig.type = 'GTX_1080';
    }),
    [['trainingInput.masterConfig.acceleratorConfig.type', 'must be one of NVIDIA_TESLA_K80']],
  ],
  [
    'zero timeout',
    edited(C, (j) => {
      j.trainingInput.scheduling.maxRunningTime = '0s';
    }),
    [['trainingInput.scheduling.maxRunningTime', 'must be positive']],
  ],
  [
    'label key with upper case',
    edited(D, (j) => {
      j.labels = { Team: 'demo' };
    }),
    [['labels.Team', 'label key "Team" must start with a lowercase letter']],
  ],
  [
    'label value with punctuation',
    edited(D, (j) => {
      j.labels = { 'team-a': 'demo!' };
    }),
    [['labels["team-a"]', 'label value "demo!" may contain only']],
  ],
  [
    'jobId starting with a digit',
    edited(D, (j) => {
      j.jobId = '1job';
    }),
    [['jobId', 'must start with a letter and contain only letters, digits and underscores']],
  ],
  [
    'unknown field',
    edited(D, (j) => {
      j.trainingInput.pythonModul = 'trainer.task';
    }),
    [['trainingInput.pythonModul', 'unknown field "pythonModul"']],
  ],
  [
    'output-only field',
    edited(D, (j) => {
      j.state = 'RUNNING';
    }),
    [['state', 'is output only and cannot be set']],
  ],
  ['not an object', 'job', [['', 'must be an object (got "job")']]],
  ...CLOUD_ML_REFUSALS,
];

describe('validateJobInput', () => {
  it('has a table of at least 25 invalid jobs (trainer, URIs, hardware, labels, schema)', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(25);
  });

  it.each(INVALID)('rejects %s', (_name, job, expected) => {
    expectViolations(job, expected);
  });

  it.each([
    ['the docs/api.md example', D],
    ['a tuned custom-package job', C],
    ['a plain built-in job', P],
    ['an image job', imageJob],
    ['a Cloud ML reference job (pythonModule, no jobDir)', CLOUD_ML_JOB],
    [
      'STANDARD_1 and PREMIUM_1',
      edited(CLOUD_ML_JOB, (j) => {
        j.trainingInput.scaleTier = 'STANDARD_1';
      }),
    ],
    [
      'CUSTOM with a GPU machine type, an int64-string accelerator count and no worker replicas',
      edited(C, (j) => {
        j.trainingInput.masterType = 'complex_model_m_gpu';
        j.trainingInput.masterConfig.acceleratorConfig.count = '2';
        j.trainingInput.workerCount = '0';
      }),
    ],
    [
      'module and pythonModule that agree',
      edited(C, (j) => {
        j.trainingInput.pythonModule = j.trainingInput.module;
      }),
    ],
  ])('accepts %s', (_name, job) => {
    expect(validateJobInput(job)).toEqual([]);
    expect(assertValidJobInput(job)).toBe(job);
  });

  it('names every output-only field when the full docs/api.md example is posted back', () => {
    expect(validateJobInput(designExampleJobOutput).map((v) => v.field)).toEqual([
      'state',
      'createTime',
      'startTime',
      'endTime',
      'errorMessage',
      'trainingOutput',
    ]);
  });

  it('accepts the full docs/api.md example as a Job resource', () => {
    expect(schemaViolations(JobSchema, designExampleJobOutput)).toEqual([]);
  });
});

describe('assertValidJobInput', () => {
  it('throws INVALID_HYPERPARAMETER_SPEC when only the hyperparameters are wrong', () => {
    const job = edited(D, (j) => {
      j.trainingInput.hyperparameters.params = [];
      j.trainingInput.hyperparameters.maxTrials = 0;
    });
    const err = thrown(() => assertValidJobInput(job));
    expect(err.reason).toBe('INVALID_HYPERPARAMETER_SPEC');
    expect(err.httpStatus).toBe(400);
    expect(err.message).toBe(
      `Invalid hyperparameter spec: ${HP}.params: must list at least one parameter (and 1 more)`,
    );
    expect(err.violations.map((v) => v.field)).toEqual([`${HP}.params`, `${HP}.maxTrials`]);
  });

  it('throws INVALID_JOB_SPEC when anything else is wrong too', () => {
    const job = edited(D, (j) => {
      j.trainingInput.hyperparameters.params = [];
      j.trainingInput.jobDir = 'gs://x';
    });
    const err = thrown(() => assertValidJobInput(job));
    expect(err.reason).toBe('INVALID_JOB_SPEC');
    expect(err.message).toBe(
      'Invalid job: trainingInput.jobDir: bucket name must be at least 3 characters (got "x") (and 1 more)',
    );
  });
});
