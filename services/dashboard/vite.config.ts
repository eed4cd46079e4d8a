/// <reference types="node" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const shim = fileURLToPath(new URL('./src/lib/typebox-compiler-shim.ts', import.meta.url));

// Workspace packages are bundled from their TypeScript source (the `stratus-src`
// export condition), so the dashboard builds without `tsc -b` first. TypeBox's
// compiler generates code with `new Function`, which the dashboard's CSP
// forbids: the shim checks with TypeBox's interpreter instead.
export default defineConfig({
  resolve: {
    conditions: ['stratus-src', 'module', 'browser', 'development|production'],
    alias: [{ find: /^@sinclair\/typebox\/compiler$/, replacement: shim }],
  },
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // TanStack Query's "use client" markers mean nothing outside React Server Components.
      onwarn: (warning, warn) => {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
});
