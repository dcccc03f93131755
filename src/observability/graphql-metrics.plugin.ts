import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GatewayMetrics } from './metrics';

/**
 * Counts and times every GraphQL operation Apollo answers (HTTP), by operation type and name.
 * An operation that does not parse or validate has no type: it is counted as `unknown`.
 */
export function graphqlMetricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, errors, response }) {
          const body = response.body;
          const failed = Boolean(errors?.length) || (body.kind === 'single' && Boolean(body.singleResult.errors?.length));
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.operation(operation?.operation ?? 'unknown', operationName, failed, seconds);
        },
      };
    },
  };
}
