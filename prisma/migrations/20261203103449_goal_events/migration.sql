-- CreateEnum
CREATE TYPE "GoalEventKind" AS ENUM ('STATUS_CHANGED', 'THRESHOLD_CROSSED');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "GoalEventState" (
    "goalId" INTEGER NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL DEFAULT 0,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "judgedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GoalEventState_pkey" PRIMARY KEY ("goalId")
);

-- CreateTable
CREATE TABLE "GoalStatusPeriod" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "goalId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GoalStatusPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GoalEvent" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "goalId" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "kind" "GoalEventKind" NOT NULL,
    "kpiKey" TEXT NOT NULL,
    "ownerUserId" INTEGER,
    "teamId" INTEGER,
    "oldStatus" TEXT,
    "newStatus" TEXT NOT NULL,
    "threshold" INTEGER,
    "attainment" DECIMAL(30,10),
    "actual" DECIMAL(30,10),
    "expected" DECIMAL(30,10),
    "projected" DECIMAL(30,10),
    "target" DECIMAL(30,10) NOT NULL,
    "numerator" DECIMAL(30,10),
    "denominator" DECIMAL(30,10),
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GoalEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "secret" TEXT NOT NULL,
    "filter" JSONB NOT NULL DEFAULT '{}',
    "disabledAt" TIMESTAMPTZ(3),
    "disabledReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "endpointId" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "giveUpAt" TIMESTAMPTZ(3) NOT NULL,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "deliveryId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "statusCode" INTEGER,
    "latencyMs" INTEGER NOT NULL,
    "error" TEXT,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GoalEventState_workspaceId_idx" ON "GoalEventState"("workspaceId");

-- CreateIndex
CREATE INDEX "GoalStatusPeriod_goalId_since_idx" ON "GoalStatusPeriod"("goalId", "since");

-- CreateIndex
CREATE INDEX "GoalEvent_workspaceId_id_idx" ON "GoalEvent"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "GoalEvent_goalId_sequence_key" ON "GoalEvent"("goalId", "sequence");

-- CreateIndex
CREATE INDEX "WebhookEndpoint_workspaceId_idx" ON "WebhookEndpoint"("workspaceId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_eventId_idx" ON "WebhookDelivery"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_endpointId_eventId_key" ON "WebhookDelivery"("endpointId", "eventId");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_idx" ON "WebhookAttempt"("deliveryId");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "GoalEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
