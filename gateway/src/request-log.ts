// One structured log line per request: who asked (agency, staff), which operation, how it ended (error
// codes, decisions allowed and denied), how long it took, under a request id also returned to the caller
// and the trace id of its spans. Never variables, query text or data: those can hold personal data.

import type { ApolloServerPlugin } from '@apollo/server';
import { activeTraceId, type Logger } from '@hub/platform';
import type { GatewayContext } from './context.js';
import { decisionsOf } from './telemetry.js';

const REQUEST_ID_HEADER = 'x-request-id';

export function requestLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue: context, response, operationName, errors }) {
          response.http.headers.set(REQUEST_ID_HEADER, context.requestId);
          // The errors of the answer as it leaves (an answer withheld because its decisions could not be
          // logged carries one error that execution never met, and none of those it met).
          const answered = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const codes = [
            ...new Set(
              (answered ?? errors ?? []).map((e) => String(e.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR')),
            ),
          ];
          const decisions = decisionsOf(context);
          logger.info(
            {
              requestId: context.requestId,
              traceId: activeTraceId(),
              agency: context.caller.agencyId,
              staff: context.caller.staffId,
              operationName: operationName ?? null,
              status: response.http.status ?? 200,
              errors: codes,
              allowed: decisions.allowed,
              denied: decisions.denied,
              ms: Math.round((performance.now() - started) * 10) / 10,
            },
            'request',
          );
        },
      };
    },
  };
}
