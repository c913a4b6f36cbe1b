// What the kit checks of the names and ids a department gives it, so that a typo fails at once with the
// valid choices rather than letting a test run against something else than meant.

import { ROLES } from '@hub/gateway/roles';
import { AGENCY_ID, DOMAINS, SUBGRAPH_NAMES, type Domain, type SubgraphName } from '@hub/platform';

/** The name of one of the hub's six agency subgraphs; else an error naming the six. */
export function requireSubgraphName(name: string, where: string): SubgraphName {
  if ((SUBGRAPH_NAMES as readonly string[]).includes(name)) return name as SubgraphName;
  throw new TypeError(
    `${where}: no subgraph is named "${name}"; the hub's subgraphs are ${SUBGRAPH_NAMES.join(', ')}. ` +
      "A department's system stands in for one of them, under its name.",
  );
}

/** A subgraph's URL as given; else an error naming the subgraph. */
export function requireUrl(url: string, where: string): string {
  if (URL.canParse(url)) return url;
  throw new TypeError(`${where}: "${url}" is not a URL (e.g. http://127.0.0.1:4104/graphql)`);
}

/** An agency's domain; else an error naming the domains. */
export function requireDomain(domain: string, where: string): Domain {
  if ((DOMAINS as readonly string[]).includes(domain)) return domain as Domain;
  throw new TypeError(`${where}: no domain is named "${domain}"; the domains are ${DOMAINS.join(', ')}`);
}

/** An agency id as the register takes it; else an error saying what one looks like. */
export function requireAgencyId(id: string, where: string): string {
  if (AGENCY_ID.test(id)) return id;
  throw new TypeError(
    `${where}: "${id}" is not an agency id: 2 to 63 lower-case letters, digits and hyphens, not starting with a hyphen`,
  );
}

/** Roles the hub knows; else an error naming them (a misspelt role would mint an agency's plain token). */
export function requireRoles(roles: readonly string[], where: string): readonly string[] {
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (!unknown.length) return roles;
  throw new TypeError(
    `${where}: ${unknown.map((r) => `"${r}"`).join(', ')} is not a role the hub knows: ${ROLES.join(', ')}`,
  );
}
