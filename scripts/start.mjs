// `npm start`: the all-in-one server (API + predictor + dashboard + a worker)
// arrives with the job-service work (issue 4). Until then this says plainly
// what exists, so nobody mistakes a silent exit for a running server.
process.stderr.write(
  [
    'Stratus all-in-one server is not built yet.',
    'Built so far: @stratus/spec, @stratus/config, @stratus/storage, @stratus/tuner,',
    '@stratus/trainer and @stratus/hypertune (libraries; see docs/architecture.md).',
    'Run `npm test` to exercise them.',
    '',
  ].join('\n'),
);
process.exitCode = 1;
