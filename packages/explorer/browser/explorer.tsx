// The explorer page: GraphiQL, with the two things every request to the hub carries besides the query
// (a bearer token and the stated purpose, X-Hub-Purpose) and the last response's refusals as a table.
// Bundled by ../src/bundle.ts from the installed packages; it loads nothing from anywhere but this page.

import { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { Kind, parse } from 'graphql';
import type { Fetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import './explorer.css';

interface ResponseError {
  message?: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * The operation to run: GraphiQL learns the editor's operation name a moment after each keystroke, so a
 * query run right after typing may come with the previous one's name. A name the document does not hold
 * is dropped when the document holds a single operation (the gateway would refuse it as unknown).
 */
function operationNameOf(query: string, named: string | null | undefined): string | undefined {
  if (!named) return undefined;
  try {
    const operations = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    return operations.length === 1 && operations[0]!.name?.value !== named ? undefined : named;
  } catch {
    return named; // a document that does not parse: the gateway says why
  }
}

/**
 * The token and GraphiQL's editors, tabs and history (query text, which may hold a person's id) are kept for
 * this tab only: closing it forgets them, as closing /ui/ signs out. The stated purpose is kept across tabs.
 */
const tabStorage = window.sessionStorage;
const STORAGE_OF: Record<'token' | 'purpose', Storage> = { token: tabStorage, purpose: window.localStorage };
const stored = (key: keyof typeof STORAGE_OF) => STORAGE_OF[key].getItem(`hub-explorer:${key}`) ?? '';
const store = (key: keyof typeof STORAGE_OF, value: string) => STORAGE_OF[key].setItem(`hub-explorer:${key}`, value);

// What an explorer of before kept in localStorage for good (a token, query text) is removed.
for (const key of Object.keys(window.localStorage)) {
  if (key === 'hub-explorer:token' || key.startsWith('graphiql:')) window.localStorage.removeItem(key);
}

const DEFAULT_QUERY = `# Paste a development token above (npm run token -- --agency hellowork-minamino),
# then run a query, e.g.:
query Openings {
  jobOpenings(first: 3) {
    title
    employer
    workStyle
  }
}
`;

/** What the explorer answers itself while no token is given: the schema loads once one is. */
// The JSON of a refusal, as the hub's own answers are read below (not GraphQLError instances).
const NO_TOKEN = {
  errors: [
    {
      message:
        'No token yet: paste one above (npm run token -- --agency <agency id>). The schema loads once it is there.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' },
    },
  ],
} as unknown as Awaited<ReturnType<Fetcher>>;

function Refusals({ errors }: { errors: ResponseError[] }) {
  if (!errors.length) return null;
  return (
    <div className="hub-refusals" role="region" aria-label="Refusals">
      <strong>
        {errors.length} error{errors.length > 1 ? 's' : ''} in the last response
      </strong>
      <table>
        <thead>
          <tr>
            <th>path</th>
            <th>code</th>
            <th>category</th>
            <th>reason</th>
            <th>message</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((error, i) => (
            <tr key={i} className={error.extensions?.['code'] === 'FORBIDDEN' ? 'forbidden' : ''}>
              <td>{(error.path ?? []).join('.') || '—'}</td>
              <td>{String(error.extensions?.['code'] ?? '')}</td>
              <td>{String(error.extensions?.['category'] ?? '')}</td>
              <td>{String(error.extensions?.['reason'] ?? '')}</td>
              <td>{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Explorer() {
  const [token, setToken] = useState(() => stored('token'));
  const [purpose, setPurpose] = useState(() => stored('purpose'));
  const [errors, setErrors] = useState<ResponseError[]>([]);

  // A new fetcher when the token or purpose changes: GraphiQL then loads the schema again with them.
  const fetcher = useMemo<Fetcher>(
    () => async (params, options) => {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
        ...((options?.headers as Record<string, string> | undefined) ?? {}),
      };
      const bearer = token.trim().replace(/^Bearer\s+/i, '');
      // The hub answers nothing without a token (401): say what to do instead of asking it.
      if (!bearer) return NO_TOKEN;
      headers['authorization'] = `Bearer ${bearer}`;
      // Header values are bytes: a purpose in Japanese goes percent-encoded, as the gateway reads it.
      if (purpose.trim()) headers['x-hub-purpose'] = encodeURIComponent(purpose.trim());
      const response = await fetch(window.location.pathname, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...params, operationName: operationNameOf(params.query, params.operationName) }),
      });
      const body = (await response.json()) as Awaited<ReturnType<Fetcher>> & { errors?: ResponseError[] };
      if (params.operationName !== 'IntrospectionQuery') setErrors(body.errors ?? []);
      return body;
    },
    [token, purpose],
  );

  return (
    <div className="hub-explorer">
      <form className="hub-toolbar" onSubmit={(event) => event.preventDefault()}>
        <label>
          Token
          <input
            name="token"
            type="password"
            autoComplete="off"
            placeholder="npm run token -- --agency <agency id>"
            value={token}
            onChange={(event) => {
              setToken(event.target.value);
              store('token', event.target.value);
            }}
          />
        </label>
        <label>
          Purpose <code>X-Hub-Purpose</code>
          <input
            name="purpose"
            placeholder="支援プラン作成 (kept in the access log)"
            value={purpose}
            onChange={(event) => {
              setPurpose(event.target.value);
              store('purpose', event.target.value);
            }}
          />
        </label>
        <span className="hub-note">development only · nothing is loaded from outside this hub</span>
      </form>
      <Refusals errors={errors} />
      <div className="hub-graphiql">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} storage={tabStorage} />
      </div>
    </div>
  );
}

createRoot(document.getElementById('explorer')!).render(<Explorer />);
