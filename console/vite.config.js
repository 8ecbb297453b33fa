// The console is served by eddy at /console/ (src/api/console_route.cc), so every URL is built under it.
// The output (dist/) is committed and embedded in the binary; tests/e2e/console checks it is current.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One JS and one CSS file: fewer entries in the binary, and nothing to lazy-load over a slow link.
    chunkSizeWarningLimit: 2048,
    cssCodeSplit: false,
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
});
