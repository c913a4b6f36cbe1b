// A query's decisions reach the access log in one statement, before its answer leaves the hub: every
// decision is still made before any subgraph is asked (a denied field is never requested), and none of
// the answer's data is delivered unless all of the decisions behind it are committed. A mutation is not
// marked: it writes as it goes, so it appends as it goes (its checks before its step is sent, its answer's
// decisions as the step returns).

import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { ACCESS_LOG_UNAVAILABLE, ERRORS, isUnreachable } from '@hub/platform';
import type { AuditWriter } from '../audit/log.js';
import type { GatewayContext } from '../context.js';
import { appendBeforeAnswer, recordAtAnswer } from './policy-port.js';

export function logBeforeAnswerPlugin(audit: AuditWriter): ApolloServerPlugin<GatewayContext> {
  /**
   * Appends what the request kept for its answer; when that fails, the answer is replaced by an error
   * (fail closed: decisions that are not in the log release nothing, not even the part of the answer that
   * needed no decision). The writer logs the failure.
   */
  const appendOrWithhold = async ({ contextValue, response }: GraphQLRequestContext<GatewayContext>) => {
    try {
      await appendBeforeAnswer(contextValue, audit);
    } catch (error) {
      const { code, status } = isUnreachable(error) ? ERRORS.SERVICE_UNAVAILABLE : ERRORS.INTERNAL_SERVER_ERROR;
      response.http.status = status;
      response.body = {
        kind: 'single',
        singleResult: {
          data: null,
          errors: [
            {
              message: 'The access log could not record the decisions of this request, so nothing of it is released.',
              extensions: { code, reason: ACCESS_LOG_UNAVAILABLE },
            },
          ],
        },
      };
    }
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'query') recordAtAnswer(contextValue);
        },
        // Appended as execution ends: before the answer is handed to willSendResponse, whose hooks (the
        // request log, the metrics) then see the answer as it will leave.
        async executionDidStart(requestContext) {
          return { executionDidEnd: () => appendOrWithhold(requestContext) };
        },
        // Anything recorded after execution (nothing is, today) is still appended before the answer leaves.
        willSendResponse: appendOrWithhold,
      };
    },
  };
}
