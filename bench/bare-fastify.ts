// The HTTP ceiling of bench/predict: a bare fastify route that parses the JSON body (as the
// predictor must) and answers a constant. Prints {"url": ...} once listening; SIGTERM stops it.
//   node --import tsx bench/bare-fastify.ts
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1_572_864 });
app.post('/ceiling', async () => ({ predictions: [[0]] }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
