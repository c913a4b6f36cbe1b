// A query's decisions reach the access log in one statement, before its answer leaves the hub: every
// decision is still made before any subgraph is asked (a denied field is never requested), and none of
// the answer's data is delivered unless all of the decisions behind it are committed. A mutation is not
// marked: it writes as it goes, so each of its steps appends before its subgraph is asked.

import type { ApolloServerPlugin } from '@apollo/server';
import { describeSafely, ERRORS, isUnreachable, type Logger } from '@hub/platform';
import type { AuditWriter } from '../audit/log.js';
import type { GatewayContext } from '../context.js';
import { appendBeforeAnswer, recordAtAnswer } from './policy-port.js';

export function logBeforeAnswerPlugin(audit: AuditWriter, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'query') recordAtAnswer(contextValue);
        },
        async willSendResponse({ contextValue, response }) {
          try {
            await appendBeforeAnswer(contextValue, audit);
          } catch (error) {
            // Fail closed: decisions that are not in the log release nothing, not even the part of the
            // answer that needed no decision.
            const unreachable = isUnreachable(error);
            logger.error({ error: describeSafely(error) }, 'access log append failed: the answer is withheld');
            const { code, status } = unreachable ? ERRORS.SERVICE_UNAVAILABLE : ERRORS.INTERNAL_SERVER_ERROR;
            response.http.status = status;
            response.body = {
              kind: 'single',
              singleResult: {
                data: null,
                errors: [
                  {
                    message:
                      'The access log could not record the decisions of this request, so nothing of it is released.',
                    extensions: { code },
                  },
                ],
              },
            };
          }
        },
      };
    },
  };
}
