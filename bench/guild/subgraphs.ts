// The four subgraphs of the public gateway benchmark (accounts, inventory, products, reviews), re-created
// with @apollo/subgraph over the same in-memory data, and the one deep query with fragments it sends.
// Each subgraph counts the calls and `_entities` representations it receives.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createRequire } from 'node:module';
import type { DocumentNode, GraphQLSchema } from 'graphql';

// @apollo/subgraph builds its schemas with graphql's CommonJS build; a bundler that resolves graphql
// to its ES build (vitest does) would hand execute another copy of graphql, so take the same one.
const { execute, parse, validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides", "@requires"])`;

const USERS = [
  { id: '1', name: 'Uri Goldshtein', username: 'urigo', birthday: 1234567890 },
  { id: '2', name: 'Dotan Simha', username: 'dotansimha', birthday: 1234567890 },
  { id: '3', name: 'Kamil Kisiela', username: 'kamilkisiela', birthday: 1234567890 },
  { id: '4', name: 'Arda Tanrikulu', username: 'ardatan', birthday: 1234567890 },
  { id: '5', name: 'Gil Gardosh', username: 'gilgardosh', birthday: 1234567890 },
  { id: '6', name: 'Laurin Quast', username: 'laurin', birthday: 1234567890 },
];

const PRODUCTS = [
  { upc: '1', name: 'Table', price: 899, weight: 100 },
  { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: '3', name: 'Glass', price: 15, weight: 20 },
  { upc: '4', name: 'Chair', price: 499, weight: 100 },
  { upc: '5', name: 'TV', price: 1299, weight: 1000 },
  { upc: '6', name: 'Lamp', price: 6999, weight: 300 },
  { upc: '7', name: 'Grill', price: 3999, weight: 2000 },
  { upc: '8', name: 'Fridge', price: 100000, weight: 6000 },
  { upc: '9', name: 'Sofa', price: 9999, weight: 800 },
];

const IN_STOCK: Record<string, boolean> = {
  1: true,
  2: false,
  3: false,
  4: false,
  5: true,
  6: true,
  7: true,
  8: false,
  9: true,
};

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';
const SED =
  'Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta sunt explicabo. Nemo enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugi';
const QUIA =
  'sed quia consequuntur magni dolores eos qui ratione voluptatem sequi nesciunt. Neque porro quisquam est, qui dolorem ipsum quia dolor sit amet, consectetur, adipisci velit, sed quia non numquam eius modi tempora incidunt ut labore et dolore magnam aliquam quaerat voluptatem.';
const MINIMA =
  'Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut aliquid ex ea commodi consequatur? Quis autem';
const VERO =
  'At vero eos et accusamus et iusto odio dignissimos ducimus qui blanditiis praesentium voluptatum deleniti atque corrupti quos dolores et quas molestias excepturi sint occaecati cupiditate non provident, similique sunt in culpa qui officia deserunt mollitia animi, id est laborum et dolorum fuga. Et harum quidem rerum facilis est et expedita distinctio. Nam libero tempore, cum soluta nobis est eligendi optio cumque nihil impedit quo minus id quod maxime placeat facere possimus, omnis voluptas assumenda est, omnis dolor repellendus. Temporibus autem quibusdam et aut officiis debitis aut rerum necessitatibus saepe eveniet ut et voluptates repudiandae sint et molestiae non recusandae. Itaque earum rerum hic tenetur a sapiente delectus, ut aut reiciendis voluptatibus maiores alias consequatur aut perferendis doloribus asperiores repellat.';

const REVIEWS = [
  { id: '1', body: LOREM, upc: '1' },
  { id: '2', body: SED, upc: '1' },
  { id: '3', body: QUIA, upc: '1' },
  { id: '4', body: MINIMA, upc: '1' },
  { id: '5', body: LOREM, upc: '2' },
  { id: '6', body: SED, upc: '2' },
  { id: '7', body: QUIA, upc: '2' },
  { id: '8', body: MINIMA, upc: '2' },
  { id: '9', body: MINIMA, upc: '3' },
  { id: '10', body: MINIMA, upc: '4' },
  { id: '11', body: VERO, upc: '4' },
];

type Review = (typeof REVIEWS)[number];
const reviewOut = (r: Review) => ({ id: r.id, body: r.body, product: { upc: r.upc } });
// As in the original: every author is user 1 (username provided), and every user's reviews are the first two.
const firstReviews = () => REVIEWS.slice(0, 2).map(reviewOut);

export const GUILD_SUBGRAPHS = {
  accounts: buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION}
      type Query { me: User  user(id: ID!): User  users: [User] }
      type User @key(fields: "id") { id: ID!  name: String  username: String @shareable  birthday: Int }`),
    resolvers: {
      Query: {
        me: () => USERS[0],
        user: (_: unknown, { id }: { id: string }) => USERS.find((u) => u.id === id) ?? null,
        users: () => USERS,
      },
      User: { __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) ?? null },
    } as never,
  }),
  inventory: buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION}
      type Product @key(fields: "upc") {
        upc: String!  weight: Int @external  price: Int @external  inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`),
    resolvers: {
      Product: {
        // As in the original, the stored record (without price and weight) answers, so the estimate is null.
        __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc, inStock: IN_STOCK[ref.upc] ?? null }),
        shippingEstimate: (p: { price?: number | null; weight?: number | null }) =>
          p.price == null ? null : p.price > 1000 ? 0 : p.weight == null ? null : Math.floor(p.weight / 2),
      },
    } as never,
  }),
  products: buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION}
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String!  name: String  price: Int  weight: Int }`),
    resolvers: {
      Query: { topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first) },
      Product: { __resolveReference: (ref: { upc: string }) => PRODUCTS.find((p) => p.upc === ref.upc) ?? null },
    } as never,
  }),
  reviews: buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION}
      type Review @key(fields: "id") { id: ID!  body: String  product: Product  author: User @provides(fields: "username") }
      type User @key(fields: "id") { id: ID!  username: String @external  reviews: [Review] }
      type Product @key(fields: "upc") { upc: String!  reviews: [Review] }`),
    resolvers: {
      Review: {
        __resolveReference: (ref: { id: string }) => {
          const review = REVIEWS.find((r) => r.id === ref.id);
          return review ? reviewOut(review) : null;
        },
        author: () => ({ id: '1', username: 'urigo' }),
      },
      User: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id, username: 'user' }),
        reviews: firstReviews,
      },
      Product: {
        __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
        reviews: (p: { upc: string }) => REVIEWS.filter((r) => r.upc === p.upc).map(reviewOut),
      },
    } as never,
  }),
} satisfies Record<string, GraphQLSchema>;

export type GuildSubgraphName = keyof typeof GUILD_SUBGRAPHS;

export const GUILD_QUERY = /* GraphQL */ `
  fragment User on User {
    id
    username
    name
  }

  fragment Review on Review {
    id
    body
  }

  fragment Product on Product {
    inStock
    name
    price
    shippingEstimate
    upc
    weight
  }

  query TestQuery {
    users {
      ...User
      reviews {
        ...Review
        product {
          ...Product
          reviews {
            ...Review
            author {
              ...User
              reviews {
                ...Review
                product {
                  ...Product
                }
              }
            }
          }
        }
      }
    }
    topProducts {
      ...Product
      reviews {
        ...Review
        author {
          ...User
          reviews {
            ...Review
            product {
              ...Product
            }
          }
        }
      }
    }
  }
`;

/** The supergraph of the four subgraphs at the given URLs. */
export function composeGuildSupergraph(urls: Record<GuildSubgraphName, string>): string {
  const result = composeServices(
    Object.entries(GUILD_SUBGRAPHS).map(([name, schema]) => ({
      name,
      url: urls[name as GuildSubgraphName],
      typeDefs: parse(printSubgraphSdl(schema)),
    })),
  );
  if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl!;
}

function printSubgraphSdl(schema: GraphQLSchema): string {
  const result = execute({ schema, document: parse('{ _service { sdl } }') }) as {
    data?: { _service: { sdl: string } };
  };
  return result.data!._service.sdl;
}

export interface SubgraphCounts {
  calls: number;
  representations: number;
  /** Bytes of the answers sent. */
  responseBytes: number;
}

export interface RunningGuildSubgraphs {
  readonly urls: Record<GuildSubgraphName, string>;
  readonly counts: Record<GuildSubgraphName, SubgraphCounts>;
  close(): Promise<void>;
}

export interface GuildSubgraphsOptions {
  /** @default 127.0.0.1 */
  host?: string;
  /** How long each answer waits before it is sent, as a slower subgraph's would (tests). @default 0 */
  delayMs?: number;
}

/** Serves each subgraph on its own port: a minimal POST handler, parsed documents cached by text. */
export async function startGuildSubgraphs({
  host = '127.0.0.1',
  delayMs = 0,
}: GuildSubgraphsOptions = {}): Promise<RunningGuildSubgraphs> {
  const urls = {} as Record<GuildSubgraphName, string>;
  const counts = {} as Record<GuildSubgraphName, SubgraphCounts>;
  const servers: Server[] = [];
  for (const [name, schema] of Object.entries(GUILD_SUBGRAPHS) as [GuildSubgraphName, GraphQLSchema][]) {
    const documents = new Map<string, DocumentNode>();
    const count: SubgraphCounts = { calls: 0, representations: 0, responseBytes: 0 };
    counts[name] = count;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          query: string;
          variables?: Record<string, unknown>;
          operationName?: string;
        };
        count.calls += 1;
        // Representations under any variable name: gateways that batch entity fetches name them their own way.
        for (const value of Object.values(variables ?? {})) {
          if (
            Array.isArray(value) &&
            value.every((v) => typeof (v as { __typename?: unknown })?.__typename === 'string')
          ) {
            count.representations += value.length;
          }
        }
        let document = documents.get(query);
        if (!document) {
          document = parse(query);
          const errors = validate(schema, document);
          if (errors.length) {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ errors: errors.map((e) => ({ message: e.message })) }));
            return;
          }
          documents.set(query, document);
        }
        const result = await execute({
          schema,
          document,
          variableValues: variables ?? {},
          operationName: operationName ?? null,
        });
        const text = JSON.stringify(result);
        const bytes = Buffer.byteLength(text);
        count.responseBytes += bytes;
        if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes });
        res.end(text);
      });
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    urls[name] = `http://${host}:${(server.address() as AddressInfo).port}/graphql`;
    servers.push(server);
  }
  return {
    urls,
    counts,
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
