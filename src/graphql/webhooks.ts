/**
 * Webhook endpoints (admin): register an https URL with an event filter,
 * see its delivery log, rotate its secret, redeliver, re-enable. Secrets are
 * shown once, by the mutation that makes them.
 */
import type { Prisma } from '../generated/prisma/client.js';
import { newWebhookSecret } from '../webhooks/signing.js';
import { refusedTarget } from '../webhooks/targets.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { badUserInput, notFound } from './errors.js';
import { GoalEventFilterInput, eventFilter } from './goal-events.js';

const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where a delivery stands.',
  values: {
    PENDING: { description: 'Not yet answered with 2xx; retried with back-off.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Retried for the whole retry window (WEBHOOK_RETRY_HOURS) without success; redeliver to try again.' },
  },
});

builder.prismaObject('WebhookAttempt', {
  description: 'One try of a delivery.',
  fields: (t) => ({
    number: t.exposeInt('number', { description: '1 for the first try.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'The HTTP status answered; null when none came (time-out, refused connection).' }),
    latencyMs: t.exposeInt('latencyMs', { description: 'Milliseconds until the answer or the failure.' }),
    error: t.exposeString('error', { nullable: true, description: 'Why the try failed; null on success.' }),
  }),
});

builder.prismaObject('WebhookDelivery', {
  description: 'One event sent to one endpoint, with its attempts.',
  fields: (t) => ({
    id: t.exposeID('id'),
    eventId: t.id({ description: 'The GoalEvent.id sent; the webhook-id header is `evt_` and this id.', resolve: (d) => String(d.eventId) }),
    status: t.field({ type: DeliveryStatusEnum, resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', description: 'When it is tried next while PENDING.' }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    attemptLog: t.relation('attemptLog', { description: 'Every try, first first.', query: { orderBy: { number: 'asc' } } }),
  }),
});

const EndpointRef = builder.prismaObject('WebhookEndpoint', {
  description: 'An https URL that receives goal events, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    description: t.exposeString('description'),
    filter: t.field({ type: 'JSON', description: 'The event filter: status, kpi, ownerId, teamId, kind (row ids).', resolve: (e) => e.filter }),
    enabled: t.boolean({ resolve: (e) => e.disabledAt === null }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why it was disabled, e.g. deliveries failing for the whole retry window.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveries: t.relation('deliveries', {
      description: 'The delivery log, newest first.',
      args: { first: t.arg.int({ required: false, defaultValue: 20 }), status: t.arg({ type: DeliveryStatusEnum, required: false }) },
      query: (args) => ({ orderBy: { id: 'desc' }, take: Math.min(Math.max(args.first ?? 20, 1), 100), ...(args.status ? { where: { status: args.status } } : {}) }),
    }),
  }),
});

interface SecretShape {
  endpointId: number;
  secret: string;
}

const SecretRef = builder.objectRef<SecretShape>('WebhookEndpointWithSecret').implement({
  description: 'An endpoint and its signing secret, shown this once.',
  fields: (t) => ({
    secret: t.string({ description: '`whsec_…`: verify webhook-signature with it. It is not shown again; rotate it if lost.', resolve: (s) => s.secret }),
    endpoint: t.prismaField({ type: 'WebhookEndpoint', resolve: (query, s, _args, ctx) => ctx.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: s.endpointId } }) }),
  }),
});

const EndpointInput = builder.inputType('WebhookEndpointInput', {
  description: 'An endpoint’s settings; on update, the fields left out stay.',
  fields: (t) => ({
    url: t.string({ required: false, description: 'https:// URL (private and loopback addresses only with WEBHOOK_ALLOW_PRIVATE=true).' }),
    description: t.string({ required: false }),
    filter: t.field({ type: GoalEventFilterInput, required: false, description: 'Which events to send; left out: all.' }),
    enabled: t.boolean({ required: false, description: 'true re-enables a disabled endpoint; false disables it.' }),
  }),
});

async function checkedUrl(ctx: GraphQLContext, url: string): Promise<string> {
  const refused = await refusedTarget(url, ctx.config.WEBHOOK_ALLOW_PRIVATE);
  if (refused) throw badUserInput({ field: 'input.url', message: `${url.slice(0, 100)} ${refused}` });
  return url;
}

function storedFilter(filter: typeof GoalEventFilterInput.$inferInput | null | undefined): Prisma.InputJsonObject {
  const parsed = eventFilter(filter);
  const entries = Object.entries(parsed).filter(([, value]) => Array.isArray(value) && value.length > 0);
  return Object.fromEntries(entries) as Prisma.InputJsonObject;
}

/** A webhook row ID as the API shows it (a positive whole number within the database's integer range), or BAD_USER_INPUT. */
function webhookRowId(id: string | number, field: string, what: string): number {
  const text = String(id);
  if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > 2_147_483_647) throw badUserInput({ field, message: `is not a valid ${what} ID (a positive whole number).` });
  return Number(text);
}

async function endpointOf(ctx: GraphQLContext, id: string | number): Promise<number> {
  const endpointId = webhookRowId(id, 'id', 'webhook endpoint');
  const found = await ctx.prisma.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { id: true } });
  if (!found) throw notFound('Webhook endpoint', String(endpointId));
  return found.id;
}

builder.queryField('webhookEndpoints', (t) =>
  t.prismaField({
    type: ['WebhookEndpoint'],
    authScopes: { admin: true },
    description: 'The workspace’s webhook endpoints (admin).',
    resolve: (query, _root, _args, ctx) => ctx.prisma.webhookEndpoint.findMany({ ...query, orderBy: { id: 'asc' } }),
  }),
);

builder.mutationField('createWebhookEndpoint', (t) =>
  t.field({
    type: SecretRef,
    authScopes: { admin: true },
    description: 'Registers an endpoint for goal events; the answer carries its signing secret, shown once.',
    args: { input: t.arg({ type: EndpointInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (!input.url) throw badUserInput({ field: 'input.url', message: 'is required.' });
      const url = await checkedUrl(ctx, input.url);
      const secret = newWebhookSecret();
      const row = await ctx.prisma.webhookEndpoint.create({
        data: { workspaceId: ctx.workspace.id, url, secret, description: input.description ?? '', filter: storedFilter(input.filter), ...(input.enabled === false ? { disabledAt: ctx.clock.now(), disabledReason: 'Created disabled.' } : {}) },
      });
      return { endpointId: row.id, secret };
    },
  }),
);

builder.mutationField('updateWebhookEndpoint', (t) =>
  t.prismaField({
    type: EndpointRef,
    authScopes: { admin: true },
    description: 'Changes an endpoint: URL, description, filter, or enabled (re-enabling clears the reason it was disabled).',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: EndpointInput, required: true }) },
    resolve: async (query, _root, { id, input }, ctx) => {
      const endpointId = await endpointOf(ctx, id);
      const data: Prisma.WebhookEndpointUpdateInput = {};
      if (input.url) data.url = await checkedUrl(ctx, input.url);
      if (input.description !== null && input.description !== undefined) data.description = input.description;
      if (input.filter) data.filter = storedFilter(input.filter);
      if (input.enabled === true) Object.assign(data, { disabledAt: null, disabledReason: null });
      if (input.enabled === false) Object.assign(data, { disabledAt: ctx.clock.now(), disabledReason: 'Disabled by an admin.' });
      await ctx.prisma.webhookEndpoint.update({ where: { id: endpointId }, data });
      return ctx.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: endpointId } });
    },
  }),
);

builder.mutationField('rotateWebhookSecret', (t) =>
  t.field({
    type: SecretRef,
    authScopes: { admin: true },
    description: 'Replaces an endpoint’s signing secret; deliveries from now on are signed with the new one, shown once.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const endpointId = await endpointOf(ctx, id);
      const secret = newWebhookSecret();
      await ctx.prisma.webhookEndpoint.update({ where: { id: endpointId }, data: { secret } });
      return { endpointId, secret };
    },
  }),
);

builder.mutationField('deleteWebhookEndpoint', (t) =>
  t.boolean({
    authScopes: { admin: true },
    description: 'Deletes an endpoint and its delivery log.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      await ctx.prisma.webhookEndpoint.delete({ where: { id: await endpointOf(ctx, id) } });
      return true;
    },
  }),
);

builder.mutationField('redeliverWebhook', (t) =>
  t.prismaField({
    type: 'WebhookDelivery',
    authScopes: { admin: true },
    description: 'Sends a delivery again now (same webhook-id), with a fresh retry window.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const deliveryId = webhookRowId(id, 'id', 'webhook delivery');
      const found = await ctx.prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { id: true } });
      if (!found) throw notFound('Webhook delivery', String(id));
      await ctx.prisma.webhookDelivery.update({
        where: { id: deliveryId },
        data: { status: 'PENDING', nextAttemptAt: ctx.clock.now(), lockedUntil: null, giveUpAt: new Date(ctx.clock.now().getTime() + ctx.config.WEBHOOK_RETRY_HOURS * 3_600_000) },
      });
      return ctx.prisma.webhookDelivery.findUniqueOrThrow({ ...query, where: { id: deliveryId } });
    },
  }),
);
