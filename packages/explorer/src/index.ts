// @hub/explorer: GraphiQL at GET /graphql in development, from the project's own packages (no CDN, so it
// works on a closed network); a landing-page plugin for the gateway's Apollo Server.

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { explorerBundle } from './bundle.js';

export { explorerBundle } from './bundle.js';

/** `</script>` inside the inlined script would end it early. */
const inlineScript = (js: string) => js.replace(/<\/script/gi, '<\\/script');
const inlineStyle = (css: string) => css.replace(/<\/style/gi, '<\\/style');

/** The whole page: script and styles inline (and no icon to fetch), so it makes no request but the ones the user runs. */
async function explorerHtml(title = 'Hub explorer (development)'): Promise<string> {
  const { js, css } = await explorerBundle();
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src 'self' data:; font-src data:; connect-src 'self'">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${inlineStyle(css)}</style>
</head>
<body>
<div id="explorer"></div>
<script>${inlineScript(js)}</script>
</body>
</html>
`;
}

/**
 * The landing page Apollo Server shows a browser at GET /graphql. For development only: the gateway
 * installs it when NODE_ENV is not production, and disables the landing page otherwise.
 */
export function explorerLandingPage<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: () => explorerHtml() };
        },
      };
    },
  };
}
