import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The shared package is consumed from source so the client and the server validate
// against the very same zod schemas without a build step in between.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@vethmap/shared': new URL('../shared/src/index.ts', import.meta.url).pathname } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:7070', '/socket.io': { target: 'http://127.0.0.1:7070', ws: true } } },
});
