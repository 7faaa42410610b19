/**
 * Per GraphQL request: a request id (the client's X-Request-Id when it is a
 * plain token, else a new one) returned in the response, one log line with
 * what the request cost, a warning with its plan's summary past
 * SLOW_REQUEST_MS, and the request metrics. The request's record is entered
 * around its whole handling, so that statement and KPI batch hooks count
 * toward it.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { getOperationAST } from 'graphql';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { bearerToken, keyPattern } from '../../auth/api-keys.js';
import type { Logger } from '../../telemetry/logger.js';
import { BoundedLabel, errorsTotal, rateLimitRefusals, requestDuration, requestsTotal } from '../../telemetry/metrics.js';
import type { RequestRecord } from '../../telemetry/request-scope.js';
import { costSummary, currentRequest, newRequestRecord, withRequestRecord } from '../../telemetry/request-scope.js';

export const requestIdHeader = 'x-request-id';
const acceptedRequestId = /^[\w.:-]{1,128}$/;

export interface RequestTelemetryOptions {
  graphqlEndpoint: string;
  logger: Logger;
  /** Requests slower than this get a warning with their plan's summary. */
  slowRequestMs: number;
  /** Record Prometheus metrics. */
  metrics: boolean;
}

const operationLabels = new BoundedLabel(100, /^[_A-Za-z][_0-9A-Za-z]{0,63}$/);
const codeLabels = new BoundedLabel(50, /^[A-Z][A-Z0-9_]{0,47}$/);

function errorCodesOf(result: unknown): string[] {
  const results = Array.isArray(result) ? result : [result];
  const codes: string[] = [];
  for (const one of results as ExecutionResult[]) {
    for (const error of one?.errors ?? []) {
      const code = error.extensions?.['code'];
      codes.push(typeof code === 'string' ? code : 'UNKNOWN');
    }
  }
  return codes;
}

function outcomeOf(status: number, errors: number): 'ok' | 'error' | 'refused' {
  if (status >= 400 && status < 500) return 'refused';
  return status >= 500 || errors > 0 ? 'error' : 'ok';
}

export function useRequestTelemetry(options: RequestTelemetryOptions): Plugin {
  const { logger, metrics, slowRequestMs } = options;
  const records = new WeakMap<Request, RequestRecord>();
  const recordOf = (request: Request): RequestRecord | undefined => records.get(request) ?? currentRequest();

  const finish = (record: RequestRecord, request: Request, status: number): void => {
    const ms = performance.now() - record.startedAt;
    const operation = record.operation ?? 'anonymous';
    const outcome = outcomeOf(status, record.errorCodes.length);
    if (metrics) {
      const label = operationLabels.of(operation);
      requestsTotal.inc({ operation: label, outcome });
      requestDuration.observe({ operation: label }, ms / 1000);
      for (const code of record.errorCodes) errorsTotal.inc({ code: codeLabels.of(code) });
      if (status === 429) rateLimitRefusals.inc();
    }
    if (logger.isLevelEnabled('info')) {
      const token = bearerToken(request.headers.get('authorization'));
      logger.info(
        {
          reqId: record.id,
          operation,
          status,
          outcome,
          ms: Math.round(ms * 10) / 10,
          cells: record.cells,
          statements: record.statements,
          keyPrefix: (token && keyPattern.exec(token)?.[1]) ?? null,
          ...(record.errorCodes.length > 0 ? { errors: [...new Set(record.errorCodes)] } : {}),
        },
        'request',
      );
    }
    if (ms >= slowRequestMs && logger.isLevelEnabled('warn')) {
      logger.warn({ reqId: record.id, operation, ms: Math.round(ms), plan: costSummary(record) }, 'slow request');
    }
  };

  return {
    instrumentation: {
      request({ request }, wrapped) {
        if (new URL(request.url).pathname !== options.graphqlEndpoint) return wrapped();
        const asked = request.headers.get(requestIdHeader);
        const record = newRequestRecord(asked && acceptedRequestId.test(asked) ? asked : randomUUID(), performance.now());
        records.set(request, record);
        return withRequestRecord(record, wrapped);
      },
    },
    onParams({ params, request }) {
      const record = recordOf(request);
      if (record && params.operationName) record.operation = params.operationName;
    },
    onValidate({ params, context }) {
      const record = recordOf((context as { request: Request }).request);
      if (record && !record.operation) record.operation = getOperationAST(params.documentAST, undefined)?.name?.value;
    },
    onResultProcess({ request, result }) {
      const record = recordOf(request);
      if (record) record.errorCodes.push(...errorCodesOf(result));
    },
    onResponse({ request, response }) {
      const record = recordOf(request);
      if (!record) return;
      response.headers.set(requestIdHeader, record.id);
      // The rate limit answers before yoga makes a result of its error.
      if (response.status === 429 && record.errorCodes.length === 0) record.errorCodes.push('RATE_LIMITED');
      finish(record, request, response.status);
    },
  };
}
