// The HTTP ceiling of bench/predict: bare fastify routes that parse the JSON body and answer a
// constant. `/ceiling` parses with JSON.parse; `/ceiling-packed` parses as the predictor's
// :predict routes do (`packedJsonBodies`: numeric instances read straight into typed arrays,
// anything else JSON.parse), so a model's body costs the ceiling what it costs the predictor.
// Prints {"url": ...} once listening; SIGTERM stops it.
//   node --import tsx --conditions=stratus-src bench/bare-fastify.ts
import Fastify from 'fastify';
import { packedJsonBodies } from '@stratus/predictor';

const app = Fastify({ logger: false, bodyLimit: 1_572_864 });
app.post('/ceiling', async () => ({ predictions: [[0]] }));
await app.register(async (scoped) => {
  packedJsonBodies(scoped);
  scoped.post('/ceiling-packed', async () => ({ predictions: [[0]] }));
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
