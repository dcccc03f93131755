import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
/** Where a gateway runs during `vite` dev serving (`npm run dev:web`). */
const devGateway = process.env.JOBGATE_DEV_GATEWAY ?? 'http://127.0.0.1:4000';

/**
 * Two pages, built into dist/web and served by the gateway: `/` (index.html, the console,
 * which routes its own pages) and `/graphiql` (graphiql.html). Asset URLs are absolute (`/assets/…`) so that a page
 * served at a path without a trailing slash still finds them.
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    // `npm run build:web` (scripts/build-web.ts) gives each build a directory of its own and swaps
    // it in; a bare `vite build` writes beside them, never into the dist/web a gateway serves.
    outDir: fileURLToPath(new URL('../../dist/vite-build', import.meta.url)),
    emptyOutDir: true,
    // Monaco (GraphiQL's editor) is large by nature; it is split into its own chunks anyway.
    chunkSizeWarningLimit: 6000,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('graphiql.html', import.meta.url)),
      },
      // GraphiQL ships React-compiler directives ("use no memo") that mean nothing once bundled.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/graphql': { target: devGateway, ws: true, changeOrigin: true },
      '/downloads': { target: devGateway, changeOrigin: true },
    },
  },
});
