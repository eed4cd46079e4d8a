const t0 = performance.now();
const { selectBackend } = await import('@stratus/trainer');
const t1 = performance.now();
const b = await selectBackend('wasm');
console.log(
  JSON.stringify({
    importMs: Math.round(t1 - t0),
    selectMs: Math.round(performance.now() - t1),
    b: b.name,
  }),
);
