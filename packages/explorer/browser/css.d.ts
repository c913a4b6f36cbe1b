// Style sheets the page imports; esbuild bundles them beside the script.
declare module '*.css';
